import ArgumentParser
import ConductorKit

/// `git conductor steer`: guidance for a run in flight.
struct SteerCommand: ParsableCommand {
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

    @Argument(help: ArgumentHelp("A run id or a unique prefix of one.", valueName: "run"))
    var runID: String

    @Argument(help: "The guidance, in plain words.")
    var message: String

    func validate() throws {
        if message.allSatisfy(\.isWhitespace) { throw ValidationError("the message is empty.") }
    }

    func run() throws {
        try reportingErrors { () throws(ConductorError) in
            let id = try RunSteering.send(.message, text: message, to: runID, in: ConductorRepository.open())
            Terminal.standardOutput("Sent guidance to run \(id).")
        }
    }
}
