import ArgumentParser
import ConductorDomain
import ConductorKit
import Foundation

/// `git conductor report [<run>]`: what runs did, took and cost.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Report on one run (timeline, iterations) or on many (outcomes, success rate, cost).",
        discussion: """
            For one run: each state with its start and duration, and each iteration's tokens
            in and out, cost, BIST outcome and duration. For many runs (no run named): one
            row per run, then totals: runs by outcome, success rate, median iterations to
            complete, tokens and cost per completed run, the most frequent failure reasons and
            the slowest verify commands. Unknown costs print as unknown, never as $0; corrupt
            runs are listed as skipped.

            --html writes one self-contained page (SVG timeline and bar chart, no external
            assets) that reads in a browser and prints.

            Examples:
              $ git conductor report 01k9x2
              $ git conductor report --since 2026-11-01 --status failed
              $ git conductor report --json | jq .totals.success_rate
              $ git conductor report 01k9x2 --html run.html
            """
    )

    @Argument(help: ArgumentHelp("A run id or a unique prefix of one; all runs when absent.", valueName: "run"))
    var runID: String?

    @Option(help: ArgumentHelp("Only runs created at or after this day or time (2026-11-01, or RFC 3339).", valueName: "date"))
    var since: String?

    @Option(help: ArgumentHelp("Only runs created before this day or time.", valueName: "date"))
    var until: String?

    @Option(name: .customLong("status"), help: ArgumentHelp("Only runs with this status (complete, failed, interrupted…); repeat for several.", valueName: "status"))
    var statuses: [String] = []

    @Flag(help: "Print JSON instead of tables.")
    var json = false

    @Option(help: ArgumentHelp("Also write a self-contained HTML report to this file.", valueName: "file"))
    var html: String?

    func validate() throws {
        if runID != nil, since != nil || until != nil || !statuses.isEmpty {
            throw ValidationError("--since, --until and --status select among runs; they do not apply to one named run.")
        }
        for (name, value) in [("--since", since), ("--until", until)] {
            if let value, Self.time(value) == nil {
                throw ValidationError("\(name) '\(value)' is not a date (2026-11-01) or an RFC 3339 time (2026-11-01T09:30:00Z).")
            }
        }
    }

    func run() throws {
        try reportingErrors { () throws(ConductorError) in
            let repository = try ConductorRepository.open()
            let redactor = SecretRedactor(environment: repository.environment)
            if let runID {
                let (id, source) = try RunLocator(repository: repository).locate(run: runID, branch: nil)
                let digest = try RunDigestReader(repository: repository).digest(of: id, foundThrough: source)
                try write(ReportHTML.page(for: digest, redact: redactor.redact))
                if json { return Terminal.standardOutput(try PullRequestBody(redact: redactor.redact).json(for: digest)) }
                return Terminal.standardOutput(ReportTables.run(digest, redact: redactor.redact))
            }
            let report = try RunsReportReader(repository: repository).report(
                since: since.flatMap(Self.time), until: until.flatMap(Self.time), statuses: Set(statuses.map { $0.lowercased() })
            )
            try write(ReportHTML.page(for: report, redact: redactor.redact))
            if json { return Terminal.json(report) }
            if report.rows.isEmpty && report.skipped.isEmpty {
                return Terminal.standardOutput(runID == nil && since == nil && until == nil && statuses.isEmpty ? "no runs yet" : "no runs match")
            }
            Terminal.standardOutput(ReportTables.runs(report, redact: redactor.redact))
        }
    }

    private func write(_ page: @autoclosure () -> String) throws(ConductorError) {
        guard let html else { return }
        do {
            try page().write(toFile: html, atomically: true, encoding: .utf8)
        } catch {
            throw .fileSystem(path: html, detail: error.localizedDescription)
        }
    }

    /// A day (`2026-11-01`, midnight UTC) or an RFC 3339 time.
    static func time(_ text: String) -> Timestamp? {
        Timestamp(rfc3339: text) ?? Timestamp(rfc3339: text + "T00:00:00Z")
    }
}

/// `report`'s terminal tables.
enum ReportTables {
    static func run(_ digest: RunDigest, redact: (String) -> String) -> String {
        let header = "run \(digest.run): \(TerminalText.line(redact(digest.title)))\n"
            + "\(digest.state?.rawValue ?? "unknown") · \(digest.mode.rawValue) · \(digest.iterations.count) iterations · "
            + "\(digest.tokensIn + digest.tokensOut) tokens · \(PullRequestView.cost(digest.costUSD)) · verification \(digest.verification.history)"
        let timeline = Display.table([["STATE", "STARTED", "DURATION", "DETAIL"]] + digest.timeline.map { span in
            [span.state.rawValue, span.start.description, span.durationMilliseconds.map(PullRequestView.duration) ?? "", redact(span.detail ?? "")]
        })
        let iterations = Display.table([["#", "OUTCOME", "BIST", "IN", "OUT", "COST", "DURATION"]] + digest.iterations.map { row in
            [String(row.number), row.outcome, redact(row.bist ?? ""), String(row.tokensIn), String(row.tokensOut),
             PullRequestView.cost(row.costUSD), row.durationMilliseconds.map(PullRequestView.duration) ?? ""]
        })
        return [header, "Timeline\n" + indent(timeline), "Iterations\n" + (digest.iterations.isEmpty ? "  none" : indent(iterations))].joined(separator: "\n\n")
    }

    static func runs(_ report: RunsReport, redact: (String) -> String) -> String {
        // The CACHED column (the share of input read from a prompt cache) appears only when
        // some run's provider reported cached tokens.
        let showCache = report.rows.contains { $0.cacheHitShare != nil }
        let header = ["RUN", "STATUS", "ITER", "TOKENS"] + (showCache ? ["CACHED"] : []) + ["COST", "TASK"]
        let rows = Display.table([header] + report.rows.map { row -> [String] in
            let status = row.status + (row.failureReason.map { " (\($0.rawValue))" } ?? "")
            let cost = row.tokens == nil ? "" : PullRequestView.cost(row.costUSD)
            let cached = showCache ? [row.cacheHitShare.map { "\(Int(($0 * 100).rounded())) %" } ?? ""] : []
            return [row.run.rawValue, status, String(row.iterations), row.tokens.map(String.init) ?? ""] + cached + [cost, redact(row.title)]
        })
        let totals = report.totals
        let outcomes = totals.byOutcome.map { "\($0.name) \($0.count)" }.joined(separator: ", ")
        let reasons = totals.failureReasons.map { "\($0.name) \($0.count)" }.joined(separator: ", ")
        let success: String = totals.successRate.map { "\(Int(($0 * 100).rounded())) %" } ?? "–"
        let median: String = totals.medianIterationsToComplete.map { String(format: "%g", $0) } ?? "–"
        let tokens: String = totals.tokensPerCompletedRun.map { String(Int($0.rounded())) } ?? "–"
        let cost: String = totals.tokensPerCompletedRun == nil ? "–" : PullRequestView.cost(totals.costPerCompletedRun)
        var lines: [String] = [
            "Runs: \(totals.runs) (\(outcomes))",
            "Success rate: \(success)",
            "Median iterations to complete: \(median)",
            "Tokens per completed run: \(tokens)",
            "Cost per completed run: \(cost)",
            "Failure reasons: \(reasons.isEmpty ? "–" : reasons)",
        ]
        lines.append("Slowest verify commands:" + (totals.slowestVerifyCommands.isEmpty ? " –" : ""))
        lines += totals.slowestVerifyCommands.map { command -> String in
            let median = PullRequestView.duration(command.medianMilliseconds)
            let runs = "\(command.runs) run\(command.runs == 1 ? "" : "s")"
            return "  \(TerminalText.line(redact(command.command))): \(PullRequestView.duration(command.slowestMilliseconds)) (median \(median), \(runs))"
        }
        var sections = [rows, "Totals\n" + indent(lines.joined(separator: "\n"))]
        if !report.skipped.isEmpty { sections.append("Skipped (unreadable)\n" + indent(report.skipped.map(TerminalText.line).joined(separator: "\n"))) }
        return sections.joined(separator: "\n\n")
    }

    static func indent(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "  \($0)" }.joined(separator: "\n")
    }
}
