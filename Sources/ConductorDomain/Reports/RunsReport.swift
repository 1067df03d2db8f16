/// `git conductor report` over many runs: how they ended and what they cost. Pure: built from
/// the runs' summaries and the verify commands' results, so every figure is table-tested.
public struct RunsReport: Sendable, Equatable, Codable {
    public struct Row: Sendable, Equatable, Codable {
        public var run: RunID
        public var title: String
        public var status: String
        public var failureReason: FailureReason?
        public var iterations: Int
        public var tokens: Int?
        public var costUSD: Double?
        public var createdAt: Timestamp?
        public var durationMilliseconds: Int?
        /// The share of the run's input tokens read from a prompt cache; nil (and left out of
        /// JSON) when no call reported cached tokens.
        public var cacheHitShare: Double?

        enum CodingKeys: String, CodingKey {
            case run, title, status, iterations, tokens
            case failureReason = "failure_reason", costUSD = "cost_usd", createdAt = "created_at", durationMilliseconds = "duration_ms"
            case cacheHitShare = "cache_hit_share"
        }
    }

    public struct Count: Sendable, Equatable, Codable {
        public var name: String
        public var count: Int
    }

    public struct SlowCommand: Sendable, Equatable, Codable {
        public var command: String
        public var runs: Int
        public var slowestMilliseconds: Int
        public var medianMilliseconds: Int

        enum CodingKeys: String, CodingKey {
            case command, runs
            case slowestMilliseconds = "slowest_ms", medianMilliseconds = "median_ms"
        }
    }

    public struct Totals: Sendable, Equatable, Codable {
        public var runs: Int
        /// Runs by status word (`complete`, `failed`, `interrupted`, …), most first.
        public var byOutcome: [Count]
        /// Completed runs among those that ended (complete, failed, cancelled); nil when none ended.
        public var successRate: Double?
        public var medianIterationsToComplete: Double?
        public var tokensPerCompletedRun: Double?
        /// Nil when no run completed or any completed run's cost is unknown.
        public var costPerCompletedRun: Double?
        public var failureReasons: [Count]
        public var slowestVerifyCommands: [SlowCommand]

        enum CodingKeys: String, CodingKey {
            case runs
            case byOutcome = "by_outcome", successRate = "success_rate", medianIterationsToComplete = "median_iterations_to_complete"
            case tokensPerCompletedRun = "tokens_per_completed_run", costPerCompletedRun = "cost_per_completed_run"
            case failureReasons = "failure_reasons", slowestVerifyCommands = "slowest_verify_commands"
        }
    }

    public var rows: [Row]
    public var totals: Totals
    /// Runs that could not be read, with why; they are left out of rows and totals.
    public var skipped: [String]

    /// `statuses` gives each summary's status word (`interrupted` needs I/O to tell);
    /// `verifyResults` the command results of the runs' last verifications.
    public init(summaries: [RunSummary], statuses: [RunID: String] = [:], verifyResults: [CommandResult]) {
        let readable = summaries.filter { $0.status != "corrupt" }
        skipped = summaries.filter { $0.status == "corrupt" }.map { "\($0.id): \($0.problem ?? "unreadable")" }
        rows = readable.map { summary in
            Row(
                run: summary.id, title: summary.title, status: statuses[summary.id] ?? summary.status,
                failureReason: summary.failureReason, iterations: summary.iterations, tokens: summary.tokens,
                costUSD: summary.costUSD, createdAt: summary.createdAt,
                durationMilliseconds: summary.createdAt.flatMap { start in summary.lastActivity.map { Int($0.milliseconds - start.milliseconds) } },
                cacheHitShare: summary.cacheHitShare
            )
        }
        totals = Self.totals(rows, verifyResults: verifyResults)
    }

    static func totals(_ rows: [Row], verifyResults: [CommandResult]) -> Totals {
        let completed = rows.filter { $0.status == RunState.complete.displayName }
        let ended = rows.filter { ["complete", "failed", "cancelled"].contains($0.status) }
        let completedCosts = completed.map(\.costUSD)
        return Totals(
            runs: rows.count,
            byOutcome: counts(rows.map(\.status)),
            successRate: ended.isEmpty ? nil : Double(completed.count) / Double(ended.count),
            medianIterationsToComplete: median(completed.map(\.iterations)),
            tokensPerCompletedRun: completed.isEmpty ? nil : Double(completed.reduce(0) { $0 + ($1.tokens ?? 0) }) / Double(completed.count),
            costPerCompletedRun: completed.isEmpty || completedCosts.contains(nil) ? nil : completedCosts.reduce(0) { $0 + ($1 ?? 0) } / Double(completed.count),
            failureReasons: counts(rows.compactMap { $0.failureReason?.rawValue }),
            slowestVerifyCommands: slowest(verifyResults)
        )
    }

    /// Names by how often they occur, most first, then by name.
    static func counts(_ names: [String]) -> [Count] {
        Dictionary(grouping: names, by: { $0 }).map { Count(name: $0.key, count: $0.value.count) }
            .sorted { ($0.count, $1.name) > ($1.count, $0.name) }
    }

    static func median(_ values: [Int]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? Double(sorted[middle]) : Double(sorted[middle - 1] + sorted[middle]) / 2
    }

    /// The five commands with the slowest single run.
    static func slowest(_ results: [CommandResult]) -> [SlowCommand] {
        Dictionary(grouping: results, by: \.command).map { command, results in
            let durations = results.map(\.durationMilliseconds)
            return SlowCommand(command: command, runs: results.count, slowestMilliseconds: durations.max() ?? 0, medianMilliseconds: Int(median(durations) ?? 0))
        }
        .sorted { ($0.slowestMilliseconds, $1.command) > ($1.slowestMilliseconds, $0.command) }
        .prefix(5).map { $0 }
    }
}
