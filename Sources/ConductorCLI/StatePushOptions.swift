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
    var attempts = PushRetryPolicy.defaultAttempts

    @Option(help: ArgumentHelp("Start no new push after this many seconds of trying.", valueName: "seconds"))
    var timeLimit = Int(PushRetryPolicy.defaultDuration)

    func validate() throws {
        if attempts < 1 { throw ValidationError("--attempts must be at least 1, not \(attempts).") }
        if timeLimit < 0 { throw ValidationError("--time-limit must be 0 or more seconds, not \(timeLimit).") }
    }

    /// The state synchroniser and the remote to use (the named one, else the default).
    func resolve() throws(ConductorError) -> (StateSync, String) {
        let retry = PushRetryPolicy(maxAttempts: attempts, maxDuration: Double(timeLimit))
        let sync = StateSync(repository: try ConductorRepository.open(), pushRetry: retry)
        if let remote { return (sync, remote) }
        return (sync, try sync.defaultRemote())
    }
}
