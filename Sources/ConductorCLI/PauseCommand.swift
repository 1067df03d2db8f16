import ArgumentParser
import ConductorDomain

/// `git conductor pause`: stop a run at its next step, to resume later.
struct PauseCommand: SteeringCommand {
    static let configuration = CommandConfiguration(
        commandName: "pause",
        abstract: "Pause a run at its next step; its worktree and branch are kept.",
        discussion: """
            The run stops before its next iteration and shows as paused in git conductor log.

            Example:
              $ git conductor pause 01k9x2
            """
    )
    static let action = SteeringAction.pause
    static let confirmation = "Asked to pause"

    @Argument(help: runArgumentHelp)
    var runID: String
}
