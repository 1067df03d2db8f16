/// One line of `git conductor log`: a run's status and totals, folded from its record and events.
public struct RunSummary: Sendable, Equatable, Codable {
    public let id: RunID
    /// The prompt's first line; empty when `run.json` could not be read.
    public let title: String
    public let mode: RunMode?
    public let taskBranch: String?
    public let createdAt: Timestamp?
    /// The state after the last transition; nil before the first one.
    public let state: RunState?
    public let failureReason: FailureReason?
    /// The highest iteration number that started.
    public let iterations: Int
    /// Total tokens over every provider call; nil when no call was recorded.
    public let tokens: Int?
    /// Total cost; nil when nothing was spent yet or any call's price was unknown.
    public let costUSD: Double?
    public let eventCount: Int
    public let lastActivity: Timestamp?
    /// What could not be read (a corrupt `run.json` or event), so listings can mark the run.
    public let problem: String?
    /// The clone that started the run; only that clone can tell whether it is still running.
    public let machine: MachineID?
    /// The latest pull request `git conductor pr create` opened for the run.
    public let pullRequestURL: String?

    public init(
        id: RunID, title: String, mode: RunMode?, taskBranch: String?, createdAt: Timestamp?,
        state: RunState?, failureReason: FailureReason?, iterations: Int, tokens: Int?, costUSD: Double?,
        eventCount: Int, lastActivity: Timestamp?, problem: String?, machine: MachineID? = nil, pullRequestURL: String? = nil
    ) {
        self.id = id
        self.title = title
        self.mode = mode
        self.taskBranch = taskBranch
        self.createdAt = createdAt
        self.state = state
        self.failureReason = failureReason
        self.iterations = iterations
        self.tokens = tokens
        self.costUSD = costUSD
        self.eventCount = eventCount
        self.lastActivity = lastActivity
        self.problem = problem
        self.machine = machine
        self.pullRequestURL = pullRequestURL
    }

    /// Folds a run's events, in any order, into its summary. `record` is nil when `run.json`
    /// is missing or corrupt; `problem` says what could not be read.
    public static func fold(id: RunID, record: RunRecord?, events: [Event], problem: String?) -> RunSummary {
        let ordered = events.sorted { $0.stamp < $1.stamp }
        var state: RunState?
        var reason: FailureReason?
        var iterations = 0
        var tokens: Int?
        var cost: Double? = 0
        var sawUsage = false
        var pullRequest: String?
        for event in ordered {
            switch event.payload {
            case let .transition(_, to, failure, _):
                state = to
                reason = to == .failed ? failure : nil
            case .iterationStarted(let number):
                iterations = max(iterations, number)
            case .usage(let usage):
                sawUsage = true
                tokens = (tokens ?? 0) + usage.total
                cost = cost.flatMap { total in usage.costUSD.map { total + $0 } }
            case .pullRequest(let url):
                pullRequest = url
            case .steering, .providerAttempt, .syncConflict, .fileRequest, .contextPicked, .unknown:
                break
            }
        }
        return RunSummary(
            id: id, title: record?.title ?? "", mode: record?.mode, taskBranch: record?.taskBranch,
            createdAt: record?.createdAt ?? Timestamp(milliseconds: Int64(id.milliseconds)),
            state: state, failureReason: reason, iterations: iterations, tokens: tokens,
            costUSD: sawUsage ? cost : nil, eventCount: events.count,
            lastActivity: ordered.map(\.time).max(), problem: problem, machine: record?.machine,
            pullRequestURL: pullRequest
        )
    }

    /// The status word shown in listings: `corrupt` when the record is unreadable, `new` before
    /// the first transition, otherwise the state's lowercase name.
    public var status: String {
        if problem != nil, mode == nil { return "corrupt" }
        return state?.displayName ?? "new"
    }
}
