import ArgumentParser
import ConductorDomain
import ConductorKit

/// `git conductor log`: runs newest first, one line each.
struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "List runs, newest first.",
        discussion: """
            Columns: run id, status, age, mode, task branch, iterations, tokens, cost.
            A run whose run.json cannot be read is listed with status "corrupt", and a
            warning names the file.

            Examples:
              $ git conductor log --limit 10
              $ git conductor log --status failed --oneline
              $ git conductor log --json | jq '.[0].id'
            """
    )

    @Option(help: "Show at most this many runs.")
    var limit: Int?

    @Option(help: ArgumentHelp("Show only runs with this status.", valueName: "status"))
    var status: String?

    @Flag(help: "One short line per run: id, status and title.")
    var oneline = false

    @Flag(help: "Print the runs as a JSON array.")
    var json = false

    /// Every status word a run can have.
    static let statuses = ["new", "corrupt", "interrupted"] + RunState.allCases.map(\.displayName)

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1, not \(limit).") }
        if let status, !Self.statuses.contains(status.lowercased()) {
            throw ValidationError("unknown --status '\(status)'; expected one of: \(Self.statuses.joined(separator: ", ")).")
        }
        if json && oneline { throw ValidationError("--json and --oneline cannot be combined.") }
    }

    func run() throws {
        try reportingErrors { () throws(ConductorError) in
            let repository = try ConductorRepository.open()
            guard let snapshot = try repository.stateSnapshot() else {
                if json { return Terminal.json([LogEntry]()) }
                return Terminal.standardError("No runs yet: there is no orchestrator-state branch (create it with 'git conductor init').")
            }
            _ = try snapshot.format()
            let wanted = status?.lowercased()
            let summaries = try RunCatalog(repository: repository, snapshot: snapshot)
                .summaries(limit: limit) { wanted == nil || repository.displayStatus($0) == wanted }
            let now = repository.clock.now()
            for summary in summaries {
                if let problem = summary.problem { Terminal.warning("run \(summary.id): \(problem)") }
            }
            let entries = summaries.map { LogEntry($0, status: repository.displayStatus($0), now: now) }
            if json { return Terminal.json(entries) }
            if entries.isEmpty { return }
            Terminal.standardOutput(oneline ? Self.oneline(entries) : Self.table(entries))
        }
    }

    static func oneline(_ entries: [LogEntry]) -> String {
        entries.map { "\($0.id) \($0.status) \(TerminalText.line($0.title))" }.joined(separator: "\n")
    }

    static func table(_ entries: [LogEntry]) -> String {
        // A PR column only when some run has one, so listings without PRs stay narrow.
        let withPullRequests = entries.contains { $0.pullRequest != nil }
        let header = ["RUN", "STATUS", "AGE", "MODE", "BRANCH", "ITER", "TOKENS", "COST"] + (withPullRequests ? ["PR"] : [])
        let rows = entries.map { entry in
            [
                entry.id, entry.status, entry.age ?? "", entry.mode ?? "", entry.taskBranch ?? "",
                entry.iterations == 0 ? "" : String(entry.iterations),
                entry.tokens.map(String.init) ?? "", entry.cost ?? "",
            ] + (withPullRequests ? [entry.pullRequest ?? ""] : [])
        }
        return Display.table([header] + rows)
    }
}

/// One run in `log --json`: the summary plus the derived words people see.
struct LogEntry: Encodable {
    let id: String
    let status: String
    let title: String
    let mode: String?
    let taskBranch: String?
    let createdAt: String?
    let age: String?
    let iterations: Int
    let tokens: Int?
    let costUSD: Double?
    let cost: String?
    let failureReason: String?
    let lastActivity: String?
    let problem: String?
    let pullRequest: String?

    init(_ summary: RunSummary, status: String? = nil, now: Timestamp) {
        id = summary.id.rawValue
        self.status = status ?? summary.status
        title = summary.title
        mode = summary.mode?.rawValue
        taskBranch = summary.taskBranch
        createdAt = summary.createdAt?.description
        age = summary.createdAt.map { Display.age(of: $0, now: now) }
        iterations = summary.iterations
        tokens = summary.tokens
        costUSD = summary.costUSD
        cost = summary.costUSD.map(CostFormat.dollars) ?? (summary.tokens == nil ? nil : "unknown")
        failureReason = summary.failureReason?.rawValue
        lastActivity = summary.lastActivity?.description
        problem = summary.problem
        pullRequest = summary.pullRequestURL
    }

    enum CodingKeys: String, CodingKey {
        case id, status, title, mode, age, iterations, tokens, cost, problem
        case taskBranch = "task_branch", createdAt = "created_at", costUSD = "cost_usd"
        case failureReason = "failure_reason", lastActivity = "last_activity", pullRequest = "pull_request"
    }

    /// Every key is always present, `null` when empty, so scripts can rely on the shape.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(status, forKey: .status)
        try container.encode(title, forKey: .title)
        try container.encode(mode, forKey: .mode)
        try container.encode(taskBranch, forKey: .taskBranch)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(age, forKey: .age)
        try container.encode(iterations, forKey: .iterations)
        try container.encode(tokens, forKey: .tokens)
        try container.encode(costUSD, forKey: .costUSD)
        try container.encode(cost, forKey: .cost)
        try container.encode(failureReason, forKey: .failureReason)
        try container.encode(lastActivity, forKey: .lastActivity)
        try container.encode(problem, forKey: .problem)
        try container.encode(pullRequest, forKey: .pullRequest)
    }
}
