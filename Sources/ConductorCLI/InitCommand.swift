import ArgumentParser
import ConductorKit

/// `git conductor init`: create the state branch and configure git to carry it.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create the state branch and configure git to carry state and notes.",
        discussion: """
            Creates refs/heads/orchestrator-state with its format.json, and sets:
              remote.<name>.fetch   +refs/heads/orchestrator-state*:refs/conductor/remotes/<name>/state*
                                    +refs/notes/conductor*:refs/conductor/remotes/<name>/notes*
              notes.rewriteRef      refs/notes/conductor   (notes follow rebase and amend)
              notes.conductor.mergeStrategy  cat_sort_uniq

            The refspecs are patterns so that a plain git fetch still works while a remote has
            no state yet. Remote state lands in remote-tracking refs only, never in local refs,
            and remote.<name>.push is never set. Running init again changes nothing; run it
            again after adding a remote.

            Example:
              $ git conductor init
            """
    )

    @Flag(help: "Print what was done as JSON.")
    var json = false

    func run() throws {
        try reportingErrors { () throws(ConductorError) in
            let report = try RepositorySetup.run(ConductorRepository.open())
            if json { return Terminal.json(report) }
            Terminal.standardOutput(Self.describe(report))
        }
    }

    static func describe(_ report: SetupReport) -> String {
        var lines = [report.stateBranchCreated ? "Created orchestrator-state (state format 1)." : "orchestrator-state already exists."]
        lines += report.configured.map { "Set \($0.key) = \($0.value)" }
        if !report.changedAnything { lines.append("Nothing to change: this repository is already set up.") }
        return lines.joined(separator: "\n")
    }
}
