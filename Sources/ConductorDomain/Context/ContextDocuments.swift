/// One project context document: `product.md`, `tech-stack.md` or `workflow.md`, kept under
/// `context/` on the state branch (docs/context-setup.md).
public struct ContextDocument: Sendable, Equatable, Codable {
    public let name: String
    public let text: String

    public init(name: String, text: String) {
        self.name = name
        self.text = text
    }
}

/// What the user confirmed (or setup accepted) for the questions setup asks; each starts
/// at the inferred value. An empty command means "none".
public struct SetupAnswers: Sendable, Equatable {
    public var name: String
    public var summary: String
    public var build: String
    public var test: String

    public init(name: String, summary: String, build: String, test: String) {
        self.name = name
        self.summary = summary
        self.build = build
        self.test = test
    }

    /// The inferred answers.
    public init(_ profile: ProjectProfile) {
        self.init(name: profile.name, summary: profile.summary?.value ?? "", build: profile.build?.value ?? "", test: profile.test?.value ?? "")
    }
}

/// Renders the three documents from a profile and reads commands back out of them. The
/// documents are Markdown for people and the model; the few lines the tool itself reads
/// back have a fixed shape, documented in docs/context-setup.md:
///
///     - Build: `swift build`
///     - Test: `swift test`
///
/// so a user who edits `workflow.md` changes what runs use.
public enum ContextDocuments {
    public static let product = "product.md"
    public static let techStack = "tech-stack.md"
    public static let workflow = "workflow.md"
    /// Every document, in the order they are shown and put into prompts.
    public static let names = [product, techStack, workflow]

    /// The document `name` refers to: an exact name, or one without `.md`; nil otherwise.
    public static func canonicalName(_ name: String) -> String? {
        if names.contains(name) { return name }
        return names.first { $0 == name + ".md" }
    }

    public static func render(_ profile: ProjectProfile, answers: SetupAnswers? = nil) -> [ContextDocument] {
        let answers = answers ?? SetupAnswers(profile)
        return [
            ContextDocument(name: product, text: renderProduct(profile, answers: answers)),
            ContextDocument(name: techStack, text: renderTechStack(profile)),
            ContextDocument(name: workflow, text: renderWorkflow(profile, answers: answers)),
        ]
    }

    static let editNote = "<!-- Written by `git conductor setup`; edit it with `git conductor context edit %@`. Runs read it as it stands. -->"

    static func header(_ title: String, name: String) -> [String] {
        ["# \(title)", "", editNote.replacing("%@", with: name), ""]
    }

    static func renderProduct(_ profile: ProjectProfile, answers: SetupAnswers) -> String {
        var lines = header(answers.name.isEmpty ? profile.name : answers.name, name: "product")
        lines += ["## What it is", ""]
        if answers.summary.isEmpty {
            lines.append("(Not inferred: describe in a sentence or two what the project does and for whom.)")
        } else {
            lines.append(answers.summary)
            if let summary = profile.summary, summary.value == answers.summary { lines += ["", "_Inferred from the \(summary.reason)._"] }
        }
        lines += ["", "## Notes for changes", "", "- Keep changes small and covered by tests; follow workflow.md.", ""]
        return lines.joined(separator: "\n")
    }

    static func renderTechStack(_ profile: ProjectProfile) -> String {
        var lines = header("Tech stack", name: "tech-stack")
        lines += ["## Languages", ""]
        lines += profile.languages.isEmpty
            ? ["- (none recognised)"]
            : profile.languages.prefix(8).map { "- \($0.name): \(percent($0.percent)) (\($0.bytes) bytes)" }
        lines += ["", "## Build systems", ""]
        lines += profile.ecosystems.isEmpty ? ["- (none found at the root)"] : profile.ecosystems.map { "- \($0.value) (\($0.reason))" }
        lines += ["", "## Dependencies", ""]
        if profile.dependencies.isEmpty {
            lines.append("- (none declared)")
        } else {
            let shown = profile.dependencies.prefix(60)
            lines += shown.map { dependencyLine(name: $0.name, manifest: $0.manifest) }
            if profile.dependencies.count > shown.count { lines.append("- … and \(profile.dependencies.count - shown.count) more") }
        }
        lines += ["", "## Conventions", ""]
        lines += profile.conventions.isEmpty
            ? ["- (no formatter or linter configuration found)"]
            : profile.conventions.map { "- \($0.tool): `\($0.file)`" }
        lines += ["", "## Layout", ""]
        lines.append("- Sources: " + (profile.sourceRoots.isEmpty ? "(none found)" : profile.sourceRoots.map { "`\($0)`" }.joined(separator: ", ")))
        lines.append("- Tests: " + (profile.testRoots.isEmpty ? "(no separate test directory)" : profile.testRoots.map { "`\($0)`" }.joined(separator: ", ")))
        lines.append("")
        return lines.joined(separator: "\n")
    }

    static func renderWorkflow(_ profile: ProjectProfile, answers: SetupAnswers) -> String {
        var lines = header("Workflow", name: "workflow")
        lines += ["## Commands", ""]
        lines.append(commandLine("Build", answers.build, inferred: profile.build))
        lines.append(commandLine("Test", answers.test, inferred: profile.test))
        lines += ["", "Runs use the Test command to verify changes when no verify command is configured", "(docs/context-setup.md).", ""]
        lines += ["## Other commands", ""]
        lines += profile.tasks.isEmpty ? ["- (none found)"] : profile.tasks.map { taskLine(command: $0.command, source: $0.source) }
        lines += ["", "## Conventions", ""]
        if profile.conventions.isEmpty {
            lines.append("- Match the style of the surrounding code.")
        } else {
            lines += profile.conventions.map { "- Keep to the \($0.tool) configuration in `\($0.file)`." }
        }
        lines.append("")
        return lines.joined(separator: "\n")
    }

    /// `- Test: `swift test` — Makefile has a test target`, or a placeholder when none.
    static func commandLine(_ label: String, _ command: String, inferred: ProjectProfile.Inferred?) -> String {
        let command = command.trimmedWhitespace
        guard !command.isEmpty else { return "- \(label): none (write the command between backticks to set one)" }
        if let inferred, inferred.value == command { return "- \(label): `\(command)` — \(inferred.reason)" }
        return "- \(label): `\(command)` — given at setup"
    }

    public static func dependencyLine(name: String, manifest: String) -> String {
        "- `\(name)` (\(manifest))"
    }

    public static func taskLine(command: String, source: String) -> String {
        "- `\(command)` (\(source))"
    }

    public static func percent(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)%"
    }

    // MARK: Prompts

    /// The documents as a prompt carries them: in ``names`` order, without setup's editing
    /// note, each under a `context/<name>` line, cut at a line boundary to fit
    /// `budgetTokens` (``TokenUsage/estimateTokens(in:)``); a cut is marked. Empty when
    /// there are no documents or no budget.
    public static func forPrompt(_ documents: [ContextDocument], budgetTokens: Int) -> String {
        var remaining = budgetTokens
        var parts: [String] = []
        for name in names {
            guard let document = documents.first(where: { $0.name == name }) else { continue }
            var lines = document.text.split(separator: "\n", omittingEmptySubsequences: false)
            if let note = lines.firstIndex(where: { $0.hasPrefix("<!-- Written by `git conductor setup`") && $0.hasSuffix("-->") }) {
                lines.remove(at: note)
                if note < lines.count, lines[note].isEmpty { lines.remove(at: note) }
            }
            let body = lines.joined(separator: "\n").trimmedWhitespace
            guard !body.isEmpty else { continue }
            let whole = "context/\(name):\n\(body)"
            let cost = TokenUsage.estimateTokens(in: whole) + 1
            if cost <= remaining {
                parts.append(whole)
                remaining -= cost
                continue
            }
            let marker = "\n(… cut to fit the context budget)"
            var kept: [Substring] = []
            var used = TokenUsage.estimateTokens(in: "context/\(name):" + marker) + 1
            for line in whole.split(separator: "\n", omittingEmptySubsequences: false).dropFirst() {
                let lineCost = (line.utf8.count + 1 + 3) / 4
                if used + lineCost > remaining { break }
                kept.append(line)
                used += lineCost
            }
            if !kept.isEmpty { parts.append("context/\(name):\n" + kept.joined(separator: "\n") + marker) }
            break
        }
        return parts.joined(separator: "\n\n")
    }

    // MARK: Reading back

    /// The test command `workflow.md` states on its `- Test: `…`` line, or nil.
    public static func testCommand(inWorkflow text: String) -> String? {
        command(labelled: "Test", in: text)
    }

    /// The build command `workflow.md` states on its `- Build: `…`` line, or nil.
    public static func buildCommand(inWorkflow text: String) -> String? {
        command(labelled: "Build", in: text)
    }

    /// The text between the first pair of backticks on the first `- <label>:` line
    /// (`*` bullets and any letter case accepted); nil when there is no such line or it
    /// holds no backticked command.
    static func command(labelled label: String, in text: String) -> String? {
        let prefix = label.lowercased() + ":"
        for raw in text.split(separator: "\n") {
            var line = Substring(raw.trimmedWhitespace)
            guard line.hasPrefix("- ") || line.hasPrefix("* ") else { continue }
            line = line.dropFirst(2)
            guard line.lowercased().hasPrefix(prefix) else { continue }
            let rest = line.dropFirst(prefix.count)
            guard let open = rest.firstIndex(of: "`") else { return nil }
            let afterOpen = rest[rest.index(after: open)...]
            guard let close = afterOpen.firstIndex(of: "`") else { return nil }
            let command = afterOpen[..<close].trimmedWhitespace
            return command.isEmpty ? nil : command
        }
        return nil
    }

    // MARK: Applying proposals

    /// The documents with each change's line added at the end of its section (the section is
    /// created at the end when missing); a change whose backticked name the document already
    /// mentions is skipped. Documents no change touches come back as they were.
    public static func applying(_ changes: [ContextProposal.Change], to documents: [ContextDocument]) -> [ContextDocument] {
        documents.map { document in
            var lines = document.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            for change in changes where change.document == document.name && !mentions(lines, change.line) {
                insert(change.line, section: change.section, into: &lines)
            }
            return ContextDocument(name: document.name, text: lines.joined(separator: "\n"))
        }
    }

    /// Whether a change's line is already in a document: the same backticked word on a line
    /// (the user may have reworded the rest).
    public static func mentions(_ text: String, _ line: String) -> Bool {
        mentions(text.split(separator: "\n").map(String.init), line)
    }

    static func mentions(_ lines: [String], _ line: String) -> Bool {
        guard let token = backticked(line) else { return lines.contains(line) }
        return lines.contains { $0.contains("`\(token)`") }
    }

    static func backticked(_ line: String) -> String? {
        guard let open = line.firstIndex(of: "`") else { return nil }
        let rest = line[line.index(after: open)...]
        guard let close = rest.firstIndex(of: "`") else { return nil }
        return String(rest[..<close])
    }

    static func insert(_ line: String, section: String, into lines: inout [String]) {
        let heading = "## \(section)"
        guard let start = lines.firstIndex(where: { $0.trimmedWhitespace == heading }) else {
            while lines.last?.isEmpty == true { lines.removeLast() }
            lines += ["", heading, "", line, ""]
            return
        }
        let end = lines[(start + 1)...].firstIndex { $0.hasPrefix("## ") || $0.hasPrefix("# ") } ?? lines.count
        // A placeholder such as "- (none declared)" gives way to the first real entry.
        if let placeholder = lines[(start + 1)..<end].firstIndex(where: { $0.hasPrefix("- (") }) {
            lines[placeholder] = line
            return
        }
        var at = end
        while at > start + 1, lines[at - 1].trimmedWhitespace.isEmpty { at -= 1 }
        lines.insert(line, at: at)
    }
}
