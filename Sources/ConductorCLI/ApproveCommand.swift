import ArgumentParser
import ConductorDomain

/// `git conductor approve`: approve a run waiting for approval.
struct ApproveCommand: SteeringCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Approve the spec or plan of a run waiting for approval (full mode).",
        discussion: """
            Recorded on the run; a run in full mode continues from AWAITING_APPROVAL when it reads it.

            Example:
              $ git conductor approve 01k9x2
            """
    )
    static let action = SteeringAction.approve
    static let confirmation = "Approved"

    @Argument(help: runArgumentHelp)
    var runID: String
}
