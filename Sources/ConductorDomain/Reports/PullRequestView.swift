/// A value a pull-request template can use: text, a flag, a list of objects, or an object.
public enum TemplateValue: Sendable, Equatable {
    case text(String)
    case flag(Bool)
    case list([[String: TemplateValue]])
    case object([String: TemplateValue])
}

/// What `pr-body` templates render (docs/pr-body.md lists every variable): the Markdown
/// sections of the built-in layout, ready to use, and the facts behind them, every piece of
/// recorded text already escaped for Markdown and passed through the redactor.
///
/// Long sections fold into `<details>`. GitHub refuses bodies over 65 536 characters, so a
/// renderer that finds the body too long asks again with more ``detail`` cut: each cut
/// section says what it left out and which command prints the whole.
public struct PullRequestView: Sendable {
    /// How much of the long sections to keep; each level cuts more.
    public enum Detail: Int, Sendable, CaseIterable, Comparable {
        case full, trimmed, brief, minimal

        public static func < (lhs: Detail, rhs: Detail) -> Bool { lhs.rawValue < rhs.rawValue }

        /// Iteration rows kept at each end of the table.
        var iterationRows: Int? { [nil, 15, 5, 0][rawValue] }
        var changedFiles: Int? { [nil, 200, 40, 10][rawValue] }
        var outputCharacters: Int { [6000, 2000, 600, 0][rawValue] }
    }

    public let digest: RunDigest
    public let detail: Detail
    let redact: @Sendable (String) -> String

    public init(_ digest: RunDigest, detail: Detail = .full, redact: @escaping @Sendable (String) -> String) {
        self.digest = digest
        self.detail = detail
        self.redact = redact
    }

    /// Sections longer than this many lines fold into `<details>`.
    static let foldAfterLines = 12

    /// The command that prints everything a cut section leaves out.
    var fullCommand: String { "git conductor report \(digest.run)" }

    public var context: [String: TemplateValue] {
        var context: [String: TemplateValue] = [
            "title": .text(text(digest.title)),
            "run_id": .text(digest.run.rawValue),
            "summary": .text(summary),
            "plan": .text(plan),
            "changes": .text(changes),
            "verification": .text(verification),
            "iterations": .text(iterations),
            "provenance": .text(provenance),
            "marker": .text("<!-- conductor-run: \(digest.run) -->"),
            "has_plan": .flag(!digest.plan.isEmpty),
            "has_iterations": .flag(!digest.iterations.isEmpty),
        ]
        context.merge(facts) { current, _ in current }
        return context
    }

    // MARK: Sections

    var summary: String {
        var lines = ["## Summary", "", MarkdownText.codeBlock(redact(digest.prompt), language: "text"), ""]
        lines.append("**Mode:** \(digest.mode.rawValue) · **Outcome:** \(outcome)")
        if let detail = digest.failureDetail, digest.state == .failed {
            lines.append("")
            lines.append("**Why it failed:** \(text(detail))")
        }
        return lines.joined(separator: "\n")
    }

    var outcome: String {
        let count = digest.iterations.count
        let after = "after \(count) iteration\(count == 1 ? "" : "s")"
        switch digest.state {
        case .complete?: return "✅ complete \(after)"
        case .failed?: return "❌ failed (\(digest.failureReason?.rawValue ?? "unknown reason")) \(after)"
        case .cancelled?: return "⏹ cancelled \(after)"
        case let state?: return "⏳ \(state.displayName) \(after)"
        case nil: return "unknown"
        }
    }

    var plan: String {
        guard !digest.plan.isEmpty else { return "" }
        let lines = digest.plan.map { step -> String in
            let box = switch step.status {
            case .done: "[x]"
            case .inProgress: "[ ] (in progress)"
            case .pending: "[ ]"
            }
            let commit = step.commit.map { " \(MarkdownText.code($0))" } ?? ""
            let files = step.files.isEmpty ? "" : " — " + step.files.map { MarkdownText.code(redact($0)) }.joined(separator: ", ")
            return "- \(box)\(commit) \(text(step.description))\(files)"
        }
        var section = "## Plan\n\n"
        if let spec = digest.spec, !spec.isEmpty { section += text(spec) + "\n\n" }
        return section + fold(lines.joined(separator: "\n"), summary: "\(lines.count) steps")
    }

    var changes: String {
        guard !digest.changes.isEmpty else { return "## Changes\n\nNo files changed." }
        let insertions = digest.changes.reduce(0) { $0 + $1.insertions }
        let deletions = digest.changes.reduce(0) { $0 + $1.deletions }
        let total = "\(digest.changes.count) file\(digest.changes.count == 1 ? "" : "s") changed, \(insertions) insertion\(insertions == 1 ? "" : "s")(+), \(deletions) deletion\(deletions == 1 ? "" : "s")(-)"
        let kept = detail.changedFiles.map { Array(digest.changes.prefix($0)) } ?? digest.changes
        var rows = ["| File | Change | + | − |", "|---|---|--:|--:|"]
        for change in kept {
            let path = change.oldPath.map { "\(MarkdownText.code(redact($0))) → " } ?? ""
            let counts = change.binary ? ["binary", ""] : [String(change.insertions), String(change.deletions)]
            rows.append("| \(path)\(MarkdownText.code(redact(change.path))) | \(change.status) | \(counts[0]) | \(counts[1]) |")
        }
        var table = rows.joined(separator: "\n")
        if kept.count < digest.changes.count {
            table += "\n\n_\(digest.changes.count - kept.count) more files not listed to keep this body within GitHub's limit; `git diff --stat \(digest.baseCommit.prefix(12))...\(digest.taskBranch)` lists them all._"
        }
        return "## Changes\n\n**\(total)**\n\n" + fold(table, summary: "\(digest.changes.count) files")
    }

    var verification: String {
        let verification = digest.verification
        var lines: [String] = []
        if !verification.commands.isEmpty {
            lines.append("**Commands:** " + verification.commands.map { MarkdownText.code(redact($0)) }.joined(separator: ", "))
        }
        if let last = verification.last {
            var result = "**Last result:** \(text(last.summary))"
            if let counts = last.counts { result += " — \(counts.passed) passed, \(counts.failed) failed, \(counts.skipped) skipped" }
            lines.append(result)
        }
        lines.append("**History:** \(verification.history)")
        if !verification.flakyCommands.isEmpty {
            lines.append("**⚠️ Flaky:** " + verification.flakyCommands.map { MarkdownText.code(redact($0)) }.joined(separator: ", ")
                + " failed, then passed on a re-run")
        }
        var section = "## Verification\n\n" + lines.joined(separator: "  \n")
        if let output = failureOutput { section += "\n\n" + output }
        return section
    }

    /// The last failing command's output, when the run ended on a failure.
    var failureOutput: String? {
        guard let last = digest.verification.last, last.outcome.isFailure,
              let failing = last.results.last(where: { $0.outcome.isFailure }) else { return nil }
        let limit = detail.outputCharacters
        guard limit > 0 else { return "_Output not shown to keep this body within GitHub's limit; `\(fullCommand)` shows it._" }
        var output = redact(failing.output.text)
        var note = ""
        if output.count > limit {
            output = "…\n" + String(output.suffix(limit))
            note = "\n\n_The output is cut to its last \(limit) characters; `\(fullCommand)` shows it all._"
        }
        return "<details><summary>Output of \(MarkdownText.code(redact(failing.command)))</summary>\n\n\(MarkdownText.codeBlock(output, language: "text"))\n\n</details>" + note
    }

    var iterations: String {
        guard !digest.iterations.isEmpty else { return "" }
        var rows = ["| # | Outcome | BIST | Tokens | Cost | Duration |", "|--:|---|---|--:|--:|--:|"]
        let all = digest.iterations
        var shown = all.map(row)
        var note = ""
        if let keep = detail.iterationRows, all.count > keep * 2 {
            shown = all.prefix(keep).map(row) + (keep > 0 ? ["| … | | | | | |"] : []) + all.suffix(keep).map(row)
            note = "\n\n_\(all.count - keep * 2) of \(all.count) iterations are not listed to keep this body within GitHub's limit; `\(fullCommand)` lists them all._"
        }
        rows += shown
        let table = shown.isEmpty ? "" : rows.joined(separator: "\n")
        return "## Iterations\n\n" + fold(table, summary: "\(all.count) iteration\(all.count == 1 ? "" : "s")") + note + contextShown
    }

    /// What each iteration's prompt carried of the repository, folded; left out as soon as
    /// the body must be cut.
    private var contextShown: String {
        let listed = digest.iterations.filter { !($0.context ?? []).isEmpty }
        guard detail.iterationRows == nil, !listed.isEmpty else { return "" }
        let items = listed.map { iteration in
            "- **Iteration \(iteration.number):**\n" + (iteration.context ?? []).map { "  - \(text($0))" }.joined(separator: "\n")
        }
        return "\n\n<details><summary>What the model was shown of the repository</summary>\n\n" + items.joined(separator: "\n") + "\n\n</details>"
    }

    var provenance: String {
        var rows = [
            "- **Run:** \(MarkdownText.code(digest.run.rawValue)) (found through \(digest.foundThrough.rawValue))",
            "- **Provider / model:** \(text(digest.provider ?? "unknown")) / \(text(digest.model ?? "unknown"))",
            "- **Tokens:** \(digest.tokensIn + digest.tokensOut) (\(digest.tokensIn) in, \(digest.tokensOut) out) · **Cost:** \(Self.cost(digest.costUSD))",
            "- **Base:** \(MarkdownText.code(digest.baseCommit)) · **Branch:** \(MarkdownText.code(redact(digest.taskBranch)))",
            "- **git-conductor:** \(text(digest.toolVersion ?? "unknown"))",
        ]
        if let url = digest.pullRequestURL { rows.append("- **Pull request:** \(text(url))") }
        return "## Provenance\n\n" + rows.joined(separator: "\n")
    }

    private func row(_ iteration: RunDigest.Iteration) -> String {
        let duration = iteration.durationMilliseconds.map(Self.duration) ?? ""
        return "| \(iteration.number) | \(iteration.outcome) | \(iteration.bist.map(text) ?? "") | \(iteration.tokensIn + iteration.tokensOut) | \(Self.cost(iteration.costUSD)) | \(duration) |"
    }

    // MARK: Facts

    /// The raw facts, for templates that lay the body out their own way.
    var facts: [String: TemplateValue] {
        [
            "prompt": .text(text(digest.prompt)),
            "prompt_block": .text(MarkdownText.codeBlock(redact(digest.prompt), language: "text")),
            "mode": .text(digest.mode.rawValue),
            "state": .text(digest.state?.rawValue ?? "unknown"),
            "outcome": .text(outcome),
            "complete": .flag(digest.state == .complete),
            "failure_reason": .text(digest.failureReason?.rawValue ?? ""),
            "provider": .text(text(digest.provider ?? "unknown")),
            "model": .text(text(digest.model ?? "unknown")),
            "tokens_in": .text(String(digest.tokensIn)),
            "tokens_out": .text(String(digest.tokensOut)),
            "tokens": .text(String(digest.tokensIn + digest.tokensOut)),
            "cost": .text(Self.cost(digest.costUSD)),
            "base_commit": .text(digest.baseCommit),
            "task_branch": .text(text(digest.taskBranch)),
            "tool_version": .text(text(digest.toolVersion ?? "unknown")),
            "found_through": .text(digest.foundThrough.rawValue),
            "verification_history": .text(digest.verification.history),
            "flaky": .flag(!digest.verification.flakyCommands.isEmpty),
            "steps": .list(digest.plan.map { ["description": .text(text($0.description)), "done": .flag($0.status == .done), "commit": .text($0.commit ?? "")] }),
            "files": .list(digest.changes.map { ["path": .text(MarkdownText.code(redact($0.path))), "insertions": .text(String($0.insertions)), "deletions": .text(String($0.deletions))] }),
            "iteration_rows": .list(digest.iterations.map { row in
                ["number": .text(String(row.number)), "outcome": .text(row.outcome), "bist": .text(row.bist.map(text) ?? ""),
                 "tokens": .text(String(row.tokensIn + row.tokensOut)), "cost": .text(Self.cost(row.costUSD))]
            }),
        ]
    }

    // MARK: Helpers

    /// Recorded text, redacted and escaped for one line of Markdown.
    func text(_ value: String) -> String {
        MarkdownText.inline(redact(value))
    }

    /// Folds `body` into `<details>` when it is long.
    func fold(_ body: String, summary: String) -> String {
        guard body.split(separator: "\n").count > Self.foldAfterLines else { return body }
        return "<details><summary>\(summary)</summary>\n\n\(body)\n\n</details>"
    }

    public static func cost(_ value: Double?) -> String {
        value.map(CostFormat.dollars) ?? "unknown"
    }

    public static func duration(_ milliseconds: Int) -> String {
        let seconds = milliseconds / 1000
        if milliseconds < 1000 { return "\(milliseconds) ms" }
        if seconds < 60 { return milliseconds < 10_000 ? "\(Double(milliseconds / 100) / 10) s" : "\(seconds) s" }
        return "\(seconds / 60) min \(seconds % 60) s"
    }
}
