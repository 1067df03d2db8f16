import ArgumentParser
import ConductorDomain
import ConductorKit

/// `git conductor pull [remote]`: fetch a remote's state and notes and merge them here.
struct PullCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull",
        abstract: "Fetch a remote's state and notes and merge them into this clone's.",
        discussion: """
            Fetches orchestrator-state, refs/notes/conductor and the task branches \
            (conductor/*) into remote-tracking refs under refs/conductor/remotes/<remote>/, \
            never into local refs, with the system git (so the remote authenticates as for \
            your own git fetch). Then merges in-process: a fast-forward when possible, \
            otherwise a merge commit whose tree is the union of both sides. A file two clones \
            wrote differently is kept twice, the remote's copy in place and this clone's \
            beside it, and a sync_conflict event is recorded on its run. Notes merge like \
            git notes merge -s cat_sort_uniq. Pulling again changes nothing.

            In a shallow clone the state history is deepened (only it) when a merge needs \
            the common ancestor. See docs/sync.md.

            Examples:
              $ git conductor pull
              $ git conductor pull upstream --json
              $ git fetch && git conductor pull --no-fetch

            Exit codes: 17 when the remote cannot be reached, 64 for an unknown remote \
            (docs/exit-codes.md). Conflicts are reported, not errors: both copies are kept.
            """
    )

    @Argument(help: ArgumentHelp("The remote (default: the current branch's upstream remote, else origin).", valueName: "remote"))
    var remote: String?

    @Flag(help: "Do not fetch: merge what the last fetch left in refs/conductor/remotes/<remote>/ (a plain git fetch with the refspecs init sets fills them).")
    var noFetch = false

    @Flag(help: "Print what was merged as JSON.")
    var json = false

    func run() throws {
        try reportingErrors { () throws(ConductorError) in
            let sync = StateSync(repository: try ConductorRepository.open())
            let chosen: String
            if let remote { chosen = remote } else { chosen = try sync.defaultRemote() }
            let report = try sync.pull(from: chosen, fetch: !noFetch)
            if json { return Terminal.json(report) }
            SyncText.print(report)
        }
    }
}

/// Plain-text reports of pull, push and sync.
enum SyncText {
    static func print(_ report: PullReport) {
        for line in lines(report) { Terminal.standardOutput(line) }
        for conflict in report.conflicts {
            Terminal.warning("\(conflict.path) was written differently here and on \(report.remote); both are kept: the remote's in place, this clone's as \(conflict.keptAs)")
        }
    }

    static func lines(_ report: PullReport) -> [String] {
        var lines: [String] = []
        if report.deepened {
            lines.append("The state history here was shallow; fetched its full history from \(report.remote) (merging needs the common ancestor).")
        }
        guard let state = report.state else {
            return lines + ["\(report.remote) has no conductor state yet; nothing to merge."]
        }
        lines.append("orchestrator-state: " + describe(state, runs: true))
        if let notes = report.notes { lines.append("refs/notes/conductor: " + describe(notes, runs: false)) }
        return lines
    }

    static func describe(_ merge: RefMerge, runs: Bool) -> String {
        let range = "\(merge.before.map(\.short) ?? "(none)")..\(merge.after.short)"
        let received = runs ? " (\(merge.runsReceived.count) run\(merge.runsReceived.count == 1 ? "" : "s") new or updated here)" : ""
        switch merge.action {
        case .upToDate: return "up to date"
        case .created: return "created at \(merge.after.short)" + received
        case .fastForward: return "fast-forward \(range)" + received
        case .merged:
            let conflicts = merge.conflicts.isEmpty ? "" : ", \(merge.conflicts.count) conflicting path\(merge.conflicts.count == 1 ? "" : "s") kept twice"
            return "merged \(range)" + received.dropLast() + conflicts + (runs ? ")" : "")
        }
    }

    static func print(_ report: PushReport) {
        for pull in report.pulls {
            Terminal.standardOutput("\(report.remote) had moved on; merged its state first:")
            print(pull)
        }
        for ref in report.refs {
            Terminal.standardOutput("\(ref.ref): \(ref.status) to \(report.remote)")
        }
        if report.attempts > 1 { Terminal.standardOutput("Pushed after \(report.attempts) attempts.") }
    }
}
