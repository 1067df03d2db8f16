import ArgumentParser
import ConductorKit

/// `git conductor sync [remote]`: pull, then push.
struct SyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Pull, then push: afterwards this clone and the remote hold the same state.",
        discussion: """
            git conductor pull followed by git conductor push (see their --help and \
            docs/sync.md). After two clones have both synced, git conductor log and show \
            print the same on both.

            Examples:
              $ git conductor sync
              $ git conductor sync origin --runs 01k9x2 --json

            Exit codes: 17 when the remote cannot be reached, 18 when it still refuses the \
            push, 64 for an unknown remote (docs/exit-codes.md).
            """
    )

    @Argument(help: ArgumentHelp("The remote (default: the current branch's upstream remote, else origin).", valueName: "remote"))
    var remote: String?

    @Option(parsing: .upToNextOption, help: ArgumentHelp("Also push the task branches of these runs (ids or unique prefixes).", valueName: "run"))
    var runs: [String] = []

    @Option(help: "How many times to push before giving up on a remote that keeps moving.")
    var attempts = 5

    @Flag(help: "Print what was pulled and pushed as JSON.")
    var json = false

    func validate() throws {
        if attempts < 1 { throw ValidationError("--attempts must be at least 1, not \(attempts).") }
    }

    func run() throws {
        try reportingErrors { () throws(ConductorError) in
            let sync = StateSync(repository: try ConductorRepository.open(), maxPushAttempts: attempts)
            let chosen: String
            if let remote { chosen = remote } else { chosen = try sync.defaultRemote() }
            let report = try sync.sync(with: chosen, runs: runs)
            if json { return Terminal.json(report) }
            SyncText.print(report.pull)
            SyncText.print(report.push)
        }
    }
}
