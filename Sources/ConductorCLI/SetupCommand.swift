import ArgumentParser
import ConductorDomain
import ConductorKit
import Foundation

/// `git conductor setup`: infer the project's context and keep it on the state branch.
struct SetupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "setup",
        abstract: "Infer the project's languages, commands and conventions and write the context documents.",
        discussion: """
            Reads the files committed at HEAD (never untracked or unsaved files) and infers
            the languages by bytes, the build and test commands (Package.swift, Makefile
            targets, package.json scripts, pyproject/pytest/tox, Cargo.toml, go.mod, CMake,
            Gradle, Maven), the source and test directories and the formatter and linter
            configurations. It writes context/product.md, context/tech-stack.md and
            context/workflow.md on orchestrator-state in one commit; nothing is written to
            the working tree. The state branch is created first if it does not exist.

            On a terminal it asks for the project's name and summary and the build and test
            commands, one question at a time, with the inferred answer as the default (Enter
            keeps it, '-' means none). With --yes, --json or off a terminal the inference is
            accepted as is.

            Run again, it keeps the documents already written (your edits win) and only
            reports where a fresh inference differs; documents that are missing are written.
            --force rewrites all three from a fresh inference (the old versions stay in the
            state branch's history). Runs use workflow.md's "- Test: `…`" line to verify
            when no verify command is configured (docs/context-setup.md).

            Examples:
              $ git conductor setup
              $ git conductor setup --yes
              $ git conductor setup --json | jq -r .profile.test.value
            """
    )

    @Flag(help: "Accept the inferred answers without asking.")
    var yes = false

    @Flag(help: "Rewrite the documents from a fresh inference, replacing edited ones.")
    var force = false

    @Flag(help: "Print the inference and what was written as JSON (implies --yes).")
    var json = false

    func run() throws {
        try reportingErrors { () throws(ConductorError) in
            let repository = try ConductorRepository.open()
            var createdState = false
            if try repository.stateSnapshot() == nil {
                createdState = try RepositorySetup.run(repository).stateBranchCreated
            }
            let profile = try ProjectInspector(repository: repository).inspect()
            let store = ContextStore(repository: repository)
            let existing = try store.documents()
            let interactive = !yes && !json && isatty(STDIN_FILENO) != 0 && Terminal.standardOutputIsTerminal
            if !json { Terminal.standardOutput(Self.describe(profile)) }

            let keep = force ? [] : existing
            let missing = ContextDocuments.names.filter { name in !keep.contains { $0.name == name } }
            var written: [String] = []
            if !missing.isEmpty {
                let answers = interactive ? Self.ask(SetupAnswers(profile)) : SetupAnswers(profile)
                let documents = ContextDocuments.render(profile, answers: answers).filter { missing.contains($0.name) }
                let message = "Context setup: write \(documents.map(\.name).joined(separator: ", "))"
                if try store.write(documents, message: message) { written = documents.map(\.name) }
            }
            let differences = Self.differences(kept: keep, inferred: ContextDocuments.render(profile))
            let tip = try repository.stateSnapshot()?.tip
            if json {
                return Terminal.json(SetupOutput(
                    profile: profile, written: written, kept: keep.map(\.name), differences: differences,
                    stateCommit: written.isEmpty ? nil : tip?.description, createdStateBranch: createdState
                ))
            }
            Terminal.standardOutput(Self.report(written: written, kept: keep.map(\.name), differences: differences, createdState: createdState))
        }
    }

    /// The inference, one fact a line, each with its reason.
    static func describe(_ profile: ProjectProfile) -> String {
        var lines = ["Project: \(profile.name)"]
        if let summary = profile.summary { lines.append("Summary: \(summary.value) (\(summary.reason))") }
        let languages = profile.languages.prefix(5).map { "\($0.name) \(ContextDocuments.percent($0.percent))" }
        lines.append("Languages: " + (languages.isEmpty ? "none recognised" : languages.joined(separator: ", ")))
        for ecosystem in profile.ecosystems { lines.append("Build system: \(ecosystem.value) (\(ecosystem.reason))") }
        lines.append("Build: " + (profile.build.map { "`\($0.value)` (\($0.reason))" } ?? "none found"))
        lines.append("Test: " + (profile.test.map { "`\($0.value)` (\($0.reason))" } ?? "none found"))
        if !profile.sourceRoots.isEmpty { lines.append("Sources: " + profile.sourceRoots.joined(separator: ", ")) }
        if !profile.testRoots.isEmpty { lines.append("Tests: " + profile.testRoots.joined(separator: ", ")) }
        if !profile.conventions.isEmpty { lines.append("Conventions: " + profile.conventions.map { "\($0.tool) (\($0.file))" }.joined(separator: ", ")) }
        return lines.joined(separator: "\n")
    }

    /// Asks each question on the terminal with the inferred answer as default.
    static func ask(_ inferred: SetupAnswers) -> SetupAnswers {
        var answers = inferred
        answers.name = question("Project name", default: inferred.name, allowNone: false)
        answers.summary = question("What it does, in a sentence", default: inferred.summary, allowNone: true)
        answers.build = question("Build command", default: inferred.build, allowNone: true)
        answers.test = question("Test command", default: inferred.test, allowNone: true)
        return answers
    }

    /// One question: Enter (or end of input) keeps the default, `-` means none.
    static func question(_ text: String, default value: String, allowNone: Bool) -> String {
        Terminal.write("\(text) [\(value.isEmpty ? "none" : value)]: ")
        guard let line = readLine()?.trimmingCharacters(in: .whitespaces) else {
            Terminal.standardOutput("")
            return value
        }
        if line.isEmpty { return value }
        if line == "-", allowNone { return "" }
        return line
    }

    /// For each kept document, where a fresh inference says something else about the
    /// commands (the facts runs act on); other differences are summarised as a line count.
    static func differences(kept: [ContextDocument], inferred: [ContextDocument]) -> [String] {
        var found: [String] = []
        for document in kept {
            guard let fresh = inferred.first(where: { $0.name == document.name }), fresh.text != document.text else { continue }
            if document.name == ContextDocuments.workflow {
                for (label, read) in [("test", ContextDocuments.testCommand(inWorkflow:)), ("build", ContextDocuments.buildCommand(inWorkflow:))] {
                    let stored = read(document.text)
                    let now = read(fresh.text)
                    if stored != now {
                        found.append("\(document.name): \(label) command is \(stored.map { "`\($0)`" } ?? "none"); the inference says \(now.map { "`\($0)`" } ?? "none")")
                    }
                }
            }
            let storedLines = Set(document.text.split(separator: "\n"))
            let freshLines = Set(fresh.text.split(separator: "\n"))
            let count = storedLines.symmetricDifference(freshLines).count
            if count > 0 { found.append("\(document.name): \(count) line\(count == 1 ? "" : "s") differ from a fresh inference") }
        }
        return found
    }

    static func report(written: [String], kept: [String], differences: [String], createdState: Bool) -> String {
        var lines = [""]
        if createdState { lines.append("Created orchestrator-state (state format 1).") }
        if !written.isEmpty {
            lines.append("Wrote \(written.map { "context/\($0)" }.joined(separator: ", ")) on orchestrator-state (one commit).")
        }
        if !kept.isEmpty {
            lines.append("Kept \(kept.map { "context/\($0)" }.joined(separator: ", ")) as they are; --force rewrites them from this inference.")
            lines += differences.map { "  \($0)" }
        }
        if written.isEmpty && kept.isEmpty { lines.append("Nothing to write.") }
        lines.append("See them with 'git conductor context show'; change them with 'git conductor context edit <file>'.")
        return lines.joined(separator: "\n")
    }
}

/// `setup --json`.
struct SetupOutput: Encodable {
    let profile: ProjectProfile
    let written: [String]
    let kept: [String]
    let differences: [String]
    let stateCommit: String?
    let createdStateBranch: Bool

    enum CodingKeys: String, CodingKey {
        case profile, written, kept, differences
        case stateCommit = "state_commit", createdStateBranch = "created_state_branch"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(profile, forKey: .profile)
        try container.encode(written, forKey: .written)
        try container.encode(kept, forKey: .kept)
        try container.encode(differences, forKey: .differences)
        try container.encode(stateCommit, forKey: .stateCommit)
        try container.encode(createdStateBranch, forKey: .createdStateBranch)
    }
}
