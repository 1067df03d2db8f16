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

    @OptionGroup var target: StatePushOptions

    @Flag(help: "Print what was pulled and pushed as JSON.")
    var json = false

    func run() throws {
        try reportingErrors { () throws(ConductorError) in
            let (sync, chosen) = try target.resolve()
            let report = try sync.sync(with: chosen, runs: target.runs)
            if json { return Terminal.json(report) }
            SyncText.print(report.pull)
            SyncText.print(report.push)
        }
    }
}
