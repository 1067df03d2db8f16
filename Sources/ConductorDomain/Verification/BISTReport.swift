/// The result of the VERIFYING step: every command run, the overall outcome, and a one-line
/// summary for the git note. Stored as `iterations/<n>/bist.json` on the state branch.
public struct BISTReport: Sendable, Equatable, Codable {
    /// The version of this JSON shape; readers refuse versions they do not know.
    public static let currentFormat = 1

    public var format: Int
    public var startedAt: Timestamp?
    public var durationMilliseconds: Int
    /// Every run of every command, in order; a re-run follows the attempt it repeats.
    public var results: [CommandResult]
    /// Commands that were not run because an earlier one failed.
    public var notRun: [String]
    public var outcome: VerifyOutcome
    /// Counts added over the last attempt of every command that reported any.
    public var counts: TestCounts?
    /// The signature of what failed (for a flaky pass, of the failed first attempt); nil on a pass.
    public var failureSignature: FailureSignature?
    /// One line for the `BIST:` key of the git note: `pass (42 tests)`, `fail: 2 of 42 tests`,
    /// `flaky: passed on re-run`, `timeout after 120 s (swift test)`.
    public var summary: String

    public init(results: [CommandResult], notRun: [String] = [], startedAt: Timestamp? = nil, durationMilliseconds: Int? = nil) {
        format = Self.currentFormat
        self.startedAt = startedAt
        self.results = results
        self.notRun = notRun
        self.durationMilliseconds = durationMilliseconds ?? results.reduce(0) { $0 + $1.durationMilliseconds }
        let finals = Self.lastAttempts(results)
        let decisive = finals.first { $0.outcome.isFailure }
        outcome = decisive?.outcome ?? (finals.contains { $0.outcome == .flaky } ? .flaky : .passed)
        let counted = finals.compactMap(\.counts)
        counts = counted.isEmpty ? nil : counted.reduce(.zero, +)
        switch outcome {
        case .passed:
            failureSignature = nil
        case .flaky:
            failureSignature = FailureSignature.combining(results.filter { $0.outcome == .failed }.compactMap(\.failureSignature))
        case .failed, .timedOut, .couldNotStart:
            failureSignature = FailureSignature.combining(finals.filter { $0.outcome.isFailure }.compactMap(\.failureSignature))
        }
        let runners = finals.flatMap(\.countedBy)
        let unit = !runners.isEmpty && runners.allSatisfy { $0 == .goPackages } ? "package" : "test"
        summary = Self.summary(outcome: outcome, decisive: decisive, counts: counts, unit: unit, commandCount: finals.count)
    }

    /// The last attempt of each command, in the order the commands ran.
    static func lastAttempts(_ results: [CommandResult]) -> [CommandResult] {
        var finals: [CommandResult] = []
        for result in results {
            if result.attempt > 1, let last = finals.last, last.command == result.command {
                finals[finals.count - 1] = result
            } else {
                finals.append(result)
            }
        }
        return finals
    }

    static func summary(outcome: VerifyOutcome, decisive: CommandResult?, counts: TestCounts?, unit: String, commandCount: Int) -> String {
        func plural(_ count: Int) -> String { "\(count) \(unit)\(count == 1 ? "" : "s")" }
        let tally = counts.map { counts in
            counts.skipped > 0 ? "\(plural(counts.total)), \(counts.skipped) skipped" : plural(counts.total)
        }
        switch outcome {
        case .passed:
            if commandCount == 0 { return "pass (no verify commands)" }
            return tally.map { "pass (\($0))" } ?? "pass"
        case .flaky:
            return "flaky: passed on re-run" + (tally.map { " (\($0))" } ?? "")
        case .failed:
            if let counts, counts.failed > 0 { return "fail: \(counts.failed) of \(plural(counts.total))" }
            guard let decisive else { return "fail" }
            let how = decisive.signal.map { "signal \($0)" } ?? decisive.exitCode.map { "exit \($0)" } ?? "failed"
            return "fail: \(how) from \(shortened(decisive.command))"
        case .timedOut:
            let limit = decisive.map { seconds($0.timeoutMilliseconds) } ?? "?"
            return "timeout after \(limit) s" + (decisive.map { " (\(shortened($0.command)))" } ?? "")
        case .couldNotStart:
            return "could not start" + (decisive.map { ": \(shortened($0.command))" } ?? "")
        }
    }

    /// `120`, `1.5`, `0.25`: seconds without trailing zeros.
    static func seconds(_ milliseconds: Int) -> String {
        let whole = milliseconds / 1000
        var fraction = String(milliseconds % 1000)
        guard fraction != "0" else { return String(whole) }
        fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return "\(whole).\(fraction)"
    }

    /// A command line on one line, cut to 40 characters.
    static func shortened(_ command: String) -> String {
        let flat = String(command.map { $0.isNewline ? " " : $0 })
        return flat.count <= 40 ? flat : String(flat.prefix(39)) + "…"
    }

    enum CodingKeys: String, CodingKey {
        case format, startedAt = "started_at", durationMilliseconds = "duration_ms", results
        case notRun = "not_run", outcome, counts, failureSignature = "failure_signature", summary
    }
}
