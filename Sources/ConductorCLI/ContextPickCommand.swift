import ArgumentParser
import ConductorDomain
import ConductorKit
import Foundation
import GitKit

/// `git conductor context pick "<task>"`: what a prompt would carry for a task, and why.
struct ContextPickCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pick",
        abstract: "Show what a prompt would carry of the repository for a task, file by file, and why.",
        discussion: """
            Prints one line per file, tab-separated: the path, whole or the excerpt's line \
            ranges, the score and the strongest reason, in the order the prompt shows them. \
            The map and its size follow on standard error. With --json, the whole pick, \
            texts included. Nothing is written (docs/context.md).

            Examples:
              $ git conductor context pick "the retry delay ignores Retry-After"
              $ git conductor context pick "fix the crash" --failure test.log --budget 4000
              $ git conductor context pick "…" --rev v1.2 --json
            """
    )

    @Argument(help: ArgumentHelp("The task, as it would be given to run.", valueName: "task"))
    var task: String

    @Option(help: ArgumentHelp("The commit to pick from.", valueName: "rev"))
    var rev = "HEAD"

    @Option(help: ArgumentHelp("Tokens for files and map (default: context_budget_tokens).", valueName: "n"))
    var budget: Int?

    @Option(help: ArgumentHelp("A file holding a verification's failure output, as a repair would see it.", valueName: "file"))
    var failure: String?

    @Flag(help: "Print the pick as JSON.")
    var json = false

    func validate() throws {
        if let budget, budget < 0 { throw ValidationError("--budget must be 0 or more, not \(budget)") }
    }

    func run() throws {
        try reportingErrors { () throws(ConductorError) in
            let repository = try ConductorRepository.open()
            let revision = try resolve(rev, in: repository)
            let query = ContextQuery(task: task, failure: try failureText(), budgetTokens: try budgetTokens(repository))
            let pick = try ContextEngine(repository: repository).pick(query, at: revision)
            for warning in pick.warnings { Terminal.warning(warning) }
            if json { return Terminal.json(pick) }
            Terminal.standardOutput(pick.files.map { file in
                [file.path, file.formDescription, ContextPickCommand.score(file.score), file.reasons.first ?? ""].joined(separator: "\t")
            }.joined(separator: "\n"))
            Terminal.standardError("map: \(pick.mapTokens) tokens; total \(pick.totalTokens) of \(pick.budgetTokens) tokens; symbols by \(pick.scanner)")
        }
    }

    private func resolve(_ revision: String, in repository: ConductorRepository) throws(ConductorError) -> ObjectID {
        let found: ObjectID?
        do {
            found = try repository.git.resolveCommit(revision)
        } catch {
            throw .git(error)
        }
        guard let found else { throw .baseCommitMissing(revision) }
        return found
    }

    private func failureText() throws(ConductorError) -> String? {
        guard let failure else { return nil }
        guard let data = FileManager.default.contents(atPath: failure) else {
            throw .fileSystem(path: failure, detail: "cannot read the failure output given with --failure")
        }
        return String(decoding: data, as: UTF8.self)
    }

    private func budgetTokens(_ repository: ConductorRepository) throws(ConductorError) -> Int {
        if let budget { return budget }
        do {
            return try ConfigurationLoader(repository: repository, environment: repository.environment).load().configuration.contextBudgetTokens
        } catch {
            throw ConductorError(error)
        }
    }

    static func score(_ value: Double) -> String {
        String((value * 10).rounded() / 10)
    }
}
