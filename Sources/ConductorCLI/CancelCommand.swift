import ArgumentParser
import ConductorKit

/// `git conductor cancel`: end a run at its next step.
struct CancelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel a run at its next step; its worktree and branch are kept for inspection.",
        discussion: """
            The run ends as cancelled before its next iteration.

            Example:
              $ git conductor cancel 01k9x2
            """
    )

    @Argument(help: ArgumentHelp("A run id or a unique prefix of one.", valueName: "run"))
    var runID: String

    func validate() throws {}

    func run() throws {
        try reportingErrors { () throws(ConductorError) in
            let id = try RunSteering.send(.cancel, to: runID, in: ConductorRepository.open())
            Terminal.standardOutput("Asked to cancel run \(id).")
        }
    }
}
