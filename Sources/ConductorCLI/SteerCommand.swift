import ArgumentParser
import ConductorDomain

/// `git conductor steer`: guidance for a run in flight.
struct SteerCommand: SteeringCommand {
    static let configuration = CommandConfiguration(
        commandName: "steer",
        abstract: "Send guidance to a run in flight; the model sees it in its next prompt.",
        discussion: """
            The message is recorded on the run's state branch and shown to the model as the \
            user's guidance, never as instructions to the conductor. Control characters are \
            removed and the text is capped at 2 000 characters.

            Example:
              $ git conductor steer 01k9x2 "Keep the public API unchanged"
            """
    )
    static let action = SteeringAction.message
    static let confirmation = "Sent guidance to"

    @Argument(help: runArgumentHelp)
    var runID: String

    @Argument(help: ArgumentHelp("The guidance, in plain words.", valueName: "message"))
    var text: String

    var message: String? { text }

    func validate() throws {
        if text.allSatisfy(\.isWhitespace) { throw ValidationError("the message is empty.") }
    }
}
