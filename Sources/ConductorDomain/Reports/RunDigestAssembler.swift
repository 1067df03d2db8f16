/// Builds a ``RunDigest`` from what the state branch and the task branch recorded. Pure: the
/// caller reads the files; this folds them, so every rule here is table-tested.
public struct RunDigestAssembler: Sendable {
    public var record: RunRecord
    public var events: [Event]
    /// The accepted plan (`plan.json`) and its checklist as last written (`plan.md`).
    public var plan: Plan?
    public var planMarkdown: String?
    public var verifyCommands: [String]
    /// `iterations/<n>/bist.json` by iteration.
    public var reports: [Int: BISTReport]
    public var changes: [RunDigest.FileChange]
    public var tipCommit: String?
    public var foundThrough: RunSource

    public init(
        record: RunRecord, events: [Event], plan: Plan?, planMarkdown: String?, verifyCommands: [String],
        reports: [Int: BISTReport], changes: [RunDigest.FileChange], tipCommit: String?, foundThrough: RunSource
    ) {
        self.record = record
        self.events = events.sorted { $0.stamp < $1.stamp }
        self.plan = plan
        self.planMarkdown = planMarkdown
        self.verifyCommands = verifyCommands
        self.reports = reports
        self.changes = changes
        self.tipCommit = tipCommit
        self.foundThrough = foundThrough
    }

    public func digest() -> RunDigest {
        let summary = RunSummary.fold(id: record.id, record: record, events: events, problem: nil)
        let iterations = self.iterations()
        let usages = events.compactMap { event -> TokenUsage? in if case .usage(let usage) = event.payload { usage } else { nil } }
        let ordered = reports.keys.sorted().compactMap { reports[$0] }
        return RunDigest(
            run: record.id, title: Self.title(for: record.prompt), prompt: record.prompt, mode: record.mode,
            state: summary.state, failureReason: summary.failureReason, failureDetail: failureDetail(),
            provider: record.provider, model: usages.last(where: { $0.model != nil })?.model ?? record.model,
            baseCommit: record.baseCommit, taskBranch: record.taskBranch, tipCommit: tipCommit,
            toolVersion: record.toolVersion, createdAt: record.createdAt,
            endedAt: summary.state?.isFinal == true ? events.last?.time : nil,
            spec: plan?.spec, plan: planSteps(), changes: changes, timeline: timeline(),
            verification: RunDigest.Verification(
                commands: verifyCommands, last: ordered.last, outcomes: ordered.map(\.outcome),
                flakyCommands: Array(Set(ordered.flatMap { $0.results.filter { $0.outcome == .flaky }.map(\.command) })).sorted()
            ),
            iterations: iterations, tokensIn: usages.reduce(0) { $0 + $1.tokensIn },
            tokensOut: usages.reduce(0) { $0 + $1.tokensOut },
            costUSD: usages.reduce(Optional(0.0)) { total, usage in total.flatMap { sum in usage.costUSD.map { sum + $0 } } },
            foundThrough: foundThrough, pullRequestURL: nil
        )
    }

    /// The prompt's first line as a title: capitalised, without a closing period, at most
    /// 72 characters, cut at a word.
    public static func title(for prompt: String) -> String {
        let first = prompt.split(whereSeparator: \.isNewline).first ?? ""
        var line = String(first.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
        while line.hasSuffix(".") { line.removeLast() }
        if line.count > 72 {
            let cut = line.prefix(71)
            line = (cut.lastIndex(of: " ").map { String(cut[..<$0]) } ?? String(cut)) + "…"
        }
        return line.prefix(1).uppercased() + line.dropFirst()
    }

    private func failureDetail() -> String? {
        for event in events.reversed() {
            if case let .transition(_, .failed, _, detail) = event.payload { return detail }
        }
        return nil
    }

    /// The plan's steps with the marks `plan.md` shows last.
    private func planSteps() -> [RunDigest.PlanStep] {
        guard let plan else { return [] }
        let marks = (planMarkdown ?? "").split(separator: "\n").compactMap { line -> (RunDigest.PlanStep.Status, String?)? in
            guard line.hasPrefix("- [") else { return nil }
            if line.hasPrefix("- [x] ") {
                return (.done, line.dropFirst(6).split(separator: " ").first.map(String.init))
            }
            return (line.hasPrefix("- [~]") ? .inProgress : .pending, nil)
        }
        return plan.steps.enumerated().map { index, step in
            let mark = index < marks.count ? marks[index] : (.pending, nil)
            return RunDigest.PlanStep(description: step.description, files: step.files, status: mark.0, commit: mark.1)
        }
    }

    /// One span per transition, lasting until the next one.
    private func timeline() -> [RunDigest.StateSpan] {
        var spans: [RunDigest.StateSpan] = []
        for event in events {
            guard case let .transition(_, to, _, detail) = event.payload else { continue }
            if let last = spans.indices.last {
                spans[last].durationMilliseconds = Int(event.time.milliseconds - spans[last].start.milliseconds)
            }
            spans.append(RunDigest.StateSpan(state: to, start: event.time, durationMilliseconds: nil, detail: detail))
        }
        return spans
    }

    /// One row per iteration, from its `iteration` event to the next one or the run's end.
    private func iterations() -> [RunDigest.Iteration] {
        var rows: [RunDigest.Iteration] = []
        var started: Timestamp?
        func close(at time: Timestamp) {
            guard let start = started, !rows.isEmpty else { return }
            rows[rows.count - 1].durationMilliseconds = Int(time.milliseconds - start.milliseconds)
            started = nil
        }
        for event in events {
            switch event.payload {
            case .iterationStarted(let number):
                close(at: event.time)
                started = event.time
                rows.append(RunDigest.Iteration(
                    number: number, outcome: "unfinished", bist: nil, tests: nil, commit: nil,
                    tokensIn: 0, tokensOut: 0, costUSD: 0, startedAt: event.time, durationMilliseconds: nil
                ))
            case .usage(let usage) where started != nil:
                rows[rows.count - 1].tokensIn += usage.tokensIn
                rows[rows.count - 1].tokensOut += usage.tokensOut
                rows[rows.count - 1].costUSD = rows[rows.count - 1].costUSD.flatMap { total in usage.costUSD.map { total + $0 } }
            case let .transition(.building?, .verifying, _, detail) where started != nil:
                rows[rows.count - 1].commit = detail.flatMap { $0.hasPrefix("commit ") ? String($0.dropFirst(7)) : nil }
            case let .contextPicked(number, files, _) where rows.last?.number == number:
                rows[rows.count - 1].context = files
            case .transition(.building?, .repairing, _, _) where started != nil:
                rows[rows.count - 1].outcome = "edits rejected"
            case let .transition(_, to, reason, _) where to.isFinal || to == .paused:
                if to == .failed, reason == .provider, started != nil, rows[rows.count - 1].outcome == "unfinished" {
                    rows[rows.count - 1].outcome = "no answer"
                }
                close(at: event.time)
            default:
                break
            }
        }
        return rows.map { row in
            guard let report = reports[row.number] else { return row }
            var row = row
            row.outcome = Self.word(for: report.outcome)
            row.bist = report.summary
            row.tests = report.counts
            return row
        }
    }

    static func word(for outcome: VerifyOutcome) -> String {
        switch outcome {
        case .passed: "pass"
        case .flaky: "flaky"
        case .failed: "fail"
        case .timedOut: "timeout"
        case .couldNotStart: "could not start"
        }
    }
}
