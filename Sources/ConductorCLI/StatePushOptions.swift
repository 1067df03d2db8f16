import ArgumentParser
import ConductorKit

/// What `push` and `sync` share: the remote, the runs whose task branches go too, and how
/// long to keep trying against a remote that keeps moving.
struct StatePushOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("The remote (default: the current branch's upstream remote, else origin).", valueName: "remote"))
    var remote: String?

    @Option(parsing: .upToNextOption, help: ArgumentHelp("Also push the task branches of these runs (ids or unique prefixes).", valueName: "run"))
    var runs: [String] = []

    @Option(help: "How many times to push before giving up on a remote that keeps moving.")
    var attempts = 5

    func validate() throws {
        if attempts < 1 { throw ValidationError("--attempts must be at least 1, not \(attempts).") }
    }

    /// The state synchroniser and the remote to use (the named one, else the default).
    func resolve() throws(ConductorError) -> (StateSync, String) {
        let sync = StateSync(repository: try ConductorRepository.open(), maxPushAttempts: attempts)
        if let remote { return (sync, remote) }
        return (sync, try sync.defaultRemote())
    }
}
