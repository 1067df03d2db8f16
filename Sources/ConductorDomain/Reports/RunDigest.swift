/// What a reviewer needs to know about one run, gathered from the state branch, the notes
/// and the task branch alone: the data behind `pr-body` (and its `--format json`, whose
/// schema this is, versioned by ``schema``) and `report`. Text in it is as recorded; escaping
/// and redaction happen when it is rendered.
public struct RunDigest: Sendable, Equatable, Codable {
    /// The JSON schema version of `pr-body --format json` (docs/pr-body.md).
    public static let currentSchema = 1

    public var schema = RunDigest.currentSchema
    public var run: RunID
    /// A short imperative title for the pull request.
    public var title: String
    public var prompt: String
    public var mode: RunMode
    public var state: RunState?
    public var failureReason: FailureReason?
    public var failureDetail: String?
    public var provider: String?
    public var model: String?
    public var baseCommit: String
    public var taskBranch: String
    /// The task branch's tip, when the branch exists here.
    public var tipCommit: String?
    public var toolVersion: String?
    public var createdAt: Timestamp
    public var endedAt: Timestamp?
    public var spec: String?
    public var plan: [PlanStep]
    public var changes: [FileChange]
    /// Each state the run was in, in order, with when it began and how long it lasted.
    public var timeline: [StateSpan]
    public var verification: Verification
    public var iterations: [Iteration]
    public var tokensIn: Int
    public var tokensOut: Int
    /// Nil when any call's price was unknown: shown as unknown, never as 0.
    public var costUSD: Double?
    /// How the run was found from what the user named.
    public var foundThrough: RunSource
    public var pullRequestURL: String?

    public struct PlanStep: Sendable, Equatable, Codable {
        public enum Status: String, Sendable, Codable {
            case pending, inProgress = "in_progress", done
        }

        public var description: String
        public var files: [String]
        public var status: Status
        /// The short id of the commit that did the step.
        public var commit: String?

        public init(description: String, files: [String], status: Status, commit: String?) {
            self.description = description
            self.files = files
            self.status = status
            self.commit = commit
        }
    }

    public struct StateSpan: Sendable, Equatable, Codable {
        public var state: RunState
        public var start: Timestamp
        /// Nil for the state the run is in now (or ended in).
        public var durationMilliseconds: Int?
        public var detail: String?

        public init(state: RunState, start: Timestamp, durationMilliseconds: Int?, detail: String?) {
            self.state = state
            self.start = start
            self.durationMilliseconds = durationMilliseconds
            self.detail = detail
        }

        enum CodingKeys: String, CodingKey {
            case state, start, detail
            case durationMilliseconds = "duration_ms"
        }
    }

    public struct FileChange: Sendable, Equatable, Codable {
        public var path: String
        public var oldPath: String?
        /// `added`, `deleted`, `modified`, `renamed`, …
        public var status: String
        public var insertions: Int
        public var deletions: Int
        public var binary: Bool

        public init(path: String, oldPath: String?, status: String, insertions: Int, deletions: Int, binary: Bool) {
            self.path = path
            self.oldPath = oldPath
            self.status = status
            self.insertions = insertions
            self.deletions = deletions
            self.binary = binary
        }

        enum CodingKeys: String, CodingKey {
            case path, status, insertions, deletions, binary
            case oldPath = "old_path"
        }
    }

    public struct Verification: Sendable, Equatable, Codable {
        public var commands: [String]
        /// The last BIST of the run, if it got that far.
        public var last: BISTReport?
        /// Every BIST outcome in order, one per verified iteration.
        public var outcomes: [VerifyOutcome]
        /// Commands that failed and then passed on a re-run, in any iteration.
        public var flakyCommands: [String]

        public init(commands: [String], last: BISTReport?, outcomes: [VerifyOutcome], flakyCommands: [String]) {
            self.commands = commands
            self.last = last
            self.outcomes = outcomes
            self.flakyCommands = flakyCommands
        }

        /// "failed 2 times, then passed", "passed on the first attempt", "failed 3 times".
        public var history: String {
            guard !outcomes.isEmpty else { return "never verified" }
            let failures = outcomes.filter(\.isFailure).count
            let times = "\(failures) time\(failures == 1 ? "" : "s")"
            guard let last = outcomes.last, !last.isFailure else { return "failed \(times)" }
            let passed = failures == 0 ? "passed on the first attempt" : "failed \(times), then passed"
            return last == .flaky ? passed + " (flaky: only on a re-run)" : passed
        }

        enum CodingKeys: String, CodingKey {
            case commands, last, outcomes
            case flakyCommands = "flaky_commands"
        }
    }

    public struct Iteration: Sendable, Equatable, Codable {
        public var number: Int
        /// How the iteration ended: `pass`, `fail`, `flaky`, `timeout`, `edits rejected`,
        /// `no answer`, or `unfinished`.
        public var outcome: String
        public var bist: String?
        public var tests: TestCounts?
        public var commit: String?
        public var tokensIn: Int
        public var tokensOut: Int
        public var costUSD: Double?
        public var startedAt: Timestamp?
        public var durationMilliseconds: Int?
        /// What the prompt carried of the repository, one line a file (the `context` event);
        /// nil for runs recorded before the context engine.
        public var context: [String]?

        public init(
            number: Int, outcome: String, bist: String?, tests: TestCounts?, commit: String?,
            tokensIn: Int, tokensOut: Int, costUSD: Double?, startedAt: Timestamp? = nil, durationMilliseconds: Int?,
            context: [String]? = nil
        ) {
            self.number = number
            self.outcome = outcome
            self.bist = bist
            self.tests = tests
            self.commit = commit
            self.tokensIn = tokensIn
            self.tokensOut = tokensOut
            self.costUSD = costUSD
            self.startedAt = startedAt
            self.durationMilliseconds = durationMilliseconds
            self.context = context
        }

        enum CodingKeys: String, CodingKey {
            case number, outcome, bist, tests, commit, context
            case tokensIn = "tokens_in", tokensOut = "tokens_out", costUSD = "cost_usd", startedAt = "started_at", durationMilliseconds = "duration_ms"
        }
    }

    enum CodingKeys: String, CodingKey {
        case schema, run, title, prompt, mode, state, provider, model, spec, plan, changes, timeline, verification, iterations
        case failureReason = "failure_reason", failureDetail = "failure_detail", baseCommit = "base_commit"
        case taskBranch = "task_branch", tipCommit = "tip_commit", toolVersion = "tool_version"
        case createdAt = "created_at", endedAt = "ended_at", tokensIn = "tokens_in", tokensOut = "tokens_out"
        case costUSD = "cost_usd", foundThrough = "found_through", pullRequestURL = "pull_request_url"
    }
}

/// How `pr-body` found the run it describes. Notes do not survive a squash merge or a
/// rebase without `notes.rewriteRef`, so a branch's run is looked up in falling order of
/// directness, and the body says which one answered.
public enum RunSource: String, Sendable, Equatable, Codable {
    /// A run id or prefix given on the command line.
    case argument
    /// The note of a commit on the branch.
    case note
    /// A `Conductor-Run` trailer in a commit message on the branch.
    case trailer
    /// The state branch's record of which run made the branch.
    case stateBranch = "state branch"
}
