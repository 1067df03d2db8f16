import ArgumentParser
import ConductorDomain

/// `git conductor cancel`: end a run at its next step.
struct CancelCommand: SteeringCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel a run at its next step; its worktree and branch are kept for inspection.",
        discussion: """
            The run ends as cancelled before its next iteration.

            Example:
              $ git conductor cancel 01k9x2
            """
    )
    static let action = SteeringAction.cancel
    static let confirmation = "Asked to cancel"

    @Argument(help: runArgumentHelp)
    var runID: String
}
