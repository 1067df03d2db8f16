import ArgumentParser
import ConductorKit

/// `git conductor push [remote]`: push the state, the notes and chosen task branches.
struct PushCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push",
        abstract: "Push the state, the notes and the task branches of chosen runs, never forced.",
        discussion: """
            Pushes orchestrator-state and refs/notes/conductor, plus the task branch of each \
            run named with --runs, with the system git (so the remote authenticates as for \
            your own git push). Nothing is forced. When the remote refuses the state because \
            it moved on (non-fast-forward, "fetch first", "cannot lock ref"), its state is \
            pulled and merged and the push tried again after a random, growing pause, up to \
            --attempts times (30) and for at most --time-limit seconds (120). A refused \
            task branch is an error: code is never merged or forced. See docs/sync.md.

            Examples:
              $ git conductor push
              $ git conductor push origin --runs 01k9x2 --runs 01k9y7
              $ git conductor push --json

            Exit codes: 17 when the remote cannot be reached, 18 when it still refuses, \
            9 when a named run has no task branch here, 64 for an unknown remote \
            (docs/exit-codes.md).
            """
    )

    @OptionGroup var target: StatePushOptions

    @Flag(help: "Print what was pushed as JSON.")
    var json = false

    func run() throws {
        try reportingErrors { () throws(ConductorError) in
            let (sync, chosen) = try target.resolve()
            let report = try sync.push(to: chosen, runs: target.runs)
            if json { return Terminal.json(report) }
            SyncText.print(report)
        }
    }
}
