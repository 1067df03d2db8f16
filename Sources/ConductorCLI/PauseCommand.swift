import ArgumentParser
import ConductorKit

/// `git conductor pause`: stop a run at its next step, to resume later.
struct PauseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pause",
        abstract: "Pause a run at its next step; its worktree and branch are kept.",
        discussion: """
            The run stops before its next iteration and shows as paused in git conductor log.

            Example:
              $ git conductor pause 01k9x2
            """
    )

    @Argument(help: ArgumentHelp("A run id or a unique prefix of one.", valueName: "run"))
    var runID: String

    func validate() throws {}

    func run() throws {
        try reportingErrors { () throws(ConductorError) in
            let id = try RunSteering.send(.pause, to: runID, in: ConductorRepository.open())
            Terminal.standardOutput("Asked to pause run \(id).")
        }
    }
}
