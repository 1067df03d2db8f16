import ArgumentParser
import ConductorDomain
import ConductorKit

/// `git conductor gc`: remove the worktrees of finished runs and prune stale worktree records.
struct GcCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc",
        abstract: "Remove the worktrees of finished runs and prune stale worktree records.",
        discussion: """
            Each run works in a git worktree under .git/conductor/worktrees/<run-id>. gc \
            removes the worktrees of runs that are complete, failed or cancelled (as the \
            state branch records them), prunes the records of worktrees whose directory was \
            deleted by hand, and deletes stray directories of finished runs. Task branches \
            are always kept.

            Worktrees of runs that have not ended, of runs the state branch does not know, \
            and locked worktrees (git worktree lock) are kept. Your own worktrees elsewhere \
            are never touched; prune those with git worktree prune.

            Examples:
              $ git conductor gc --dry-run
              $ git conductor gc
              $ git conductor gc --json | jq '.removed[].run'
            """
    )

    @Flag(help: "Say what would be removed and pruned; change nothing.")
    var dryRun = false

    @Flag(help: "Print what was done as JSON.")
    var json = false

    func run() throws {
        try reportingErrors { () throws(ConductorError) in
            let repository = try ConductorRepository.open()
            let snapshot = try repository.stateSnapshot()
            // Never judge runs finished from a branch in a format this version cannot read.
            if let snapshot { _ = try snapshot.format() }
            let cleanup = try WorktreeManager(repository: repository).gc(stateOf: snapshot, dryRun: dryRun)
            if json { return Terminal.json(GcOutput(cleanup)) }
            Terminal.standardOutput(Self.render(cleanup))
        }
    }

    static func render(_ cleanup: WorkspaceCleanup) -> String {
        let dry = cleanup.dryRun
        var lines: [String] = []
        for item in cleanup.items {
            switch item.decision {
            case .remove:
                lines.append("\(dry ? "Would remove" : "Removed") worktree \(item.path) (run \(GcOutput.status(item.progress)))")
            case .deleteDirectory:
                lines.append("\(dry ? "Would delete" : "Deleted") stray directory \(item.path) (run \(GcOutput.status(item.progress)))")
            case .prune:
                lines.append("\(dry ? "Would prune" : "Pruned") stale worktree record of run \(item.run) (its directory is gone)")
            case .keep(let reason):
                lines.append("Kept worktree \(item.path) (\(reason))")
            case .nothing:
                break
            }
        }
        if cleanup.items.isEmpty {
            lines.append("No run worktrees to clean up.")
        } else {
            let removed = cleanup.removed.count, pruned = cleanup.pruned.count, kept = cleanup.kept.count
            let verb = dry ? "Would remove" : "Removed"
            lines.append("\(verb) \(removed) worktree\(removed == 1 ? "" : "s"), \(dry ? "prune" : "pruned") \(pruned) stale record\(pruned == 1 ? "" : "s"), kept \(kept).")
            if dry { lines.append("Dry run: nothing was changed.") }
        }
        return lines.joined(separator: "\n")
    }
}

/// `gc --json`: what was removed, pruned and kept. Keys are always present.
struct GcOutput: Encodable {
    struct Entry: Encodable {
        let run: String
        let path: String
        /// The run's status on the state branch: a state name, `new`, or `unknown`.
        let status: String
        /// Why it was kept; nil for the others.
        let reason: String?

        init(_ item: WorkspaceCleanup.Item) {
            run = item.run.rawValue
            path = item.path
            status = GcOutput.status(item.progress)
            if case .keep(let why) = item.decision { reason = why.description } else { reason = nil }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(run, forKey: .run)
            try container.encode(path, forKey: .path)
            try container.encode(status, forKey: .status)
            try container.encode(reason, forKey: .reason)
        }

        enum CodingKeys: String, CodingKey { case run, path, status, reason }
    }

    let dryRun: Bool
    let removed: [Entry]
    let pruned: [Entry]
    let kept: [Entry]

    init(_ cleanup: WorkspaceCleanup) {
        dryRun = cleanup.dryRun
        removed = cleanup.removed.map(Entry.init)
        pruned = cleanup.pruned.map(Entry.init)
        kept = cleanup.kept.map(Entry.init)
    }

    enum CodingKeys: String, CodingKey {
        case removed, pruned, kept
        case dryRun = "dry_run"
    }

    static func status(_ progress: RunProgress) -> String {
        switch progress {
        case .finished(let state): state.displayName
        case .active(let state): state?.displayName ?? "new"
        case .unknown: "unknown"
        }
    }
}
