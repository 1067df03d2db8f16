import ArgumentParser
import ConductorKit

/// `git conductor approve`: approve a run waiting for approval.
struct ApproveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Approve the spec or plan of a run waiting for approval (full mode).",
        discussion: """
            Recorded on the run; a run in full mode continues from AWAITING_APPROVAL when it reads it.

            Example:
              $ git conductor approve 01k9x2
            """
    )

    @Argument(help: ArgumentHelp("A run id or a unique prefix of one.", valueName: "run"))
    var runID: String

    func validate() throws {}

    func run() throws {
        try reportingErrors { () throws(ConductorError) in
            let id = try RunSteering.send(.approve, to: runID, in: ConductorRepository.open())
            Terminal.standardOutput("Approved run \(id).")
        }
    }
}
