import ArgumentParser
import ConductorDomain
import ConductorKit

/// What `steer`, `pause`, `cancel` and `approve` share: each records one steering event on a
/// run and says so; they differ only in the action, the optional message and the words.
protocol SteeringCommand: ParsableCommand {
    static var action: SteeringAction { get }
    /// How the confirmation begins: "Asked to pause".
    static var confirmation: String { get }
    var runID: String { get }
    var message: String? { get }
}

extension SteeringCommand {
    var message: String? { nil }

    func run() throws {
        try reportingErrors { () throws(ConductorError) in
            let id = try RunSteering.send(Self.action, text: message, to: runID, in: ConductorRepository.open())
            Terminal.standardOutput("\(Self.confirmation) run \(id).")
        }
    }
}

/// The run argument every steering command takes.
let runArgumentHelp = ArgumentHelp("A run id or a unique prefix of one.", valueName: "run")
