import ArgumentParser
import ConductorDomain
import ConductorKit

/// `git conductor context sync [--apply]`.
struct ContextSyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Show, or apply, what completed runs propose to add to the context documents.",
        discussion: """
            When a run completes after changing a manifest at the root — a new dependency in
            Package.swift, package.json, pyproject.toml, requirements*.txt, Cargo.toml,
            go.mod, pom.xml or build.gradle; a new package.json script or Makefile target — it
            records a context_proposal event with the lines tech-stack.md and workflow.md
            would need. This lists the proposals of the newest 50 runs that were not applied
            yet, without the lines the documents already mention.

            --apply adds the lines under their sections and marks each run's proposal applied
            (context/applied/<run>.json), all in one state commit.

            --json prints {"pending": [{"run", "title", "changes": [{"document", "section",
            "line", "reason"}]}], "applied": bool, "documents": [names changed]}.

            Examples:
              $ git conductor context sync
              $ git conductor context sync --apply
            """
    )

    @Flag(help: "Apply the pending proposals to the documents (one state commit).")
    var apply = false

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        try reportingErrors { () throws(ConductorError) in
            let repository = try ConductorRepository.open()
            let pending = try ContextSync.pending(in: repository)
            let changed = apply ? try ContextSync.apply(pending, in: repository) : []
            if json { return Terminal.json(SyncOutput(pending: pending, applied: apply && !pending.isEmpty, documents: changed)) }
            guard !pending.isEmpty else {
                return Terminal.standardOutput("No pending context proposals.")
            }
            var lines: [String] = []
            for item in pending {
                lines.append("run \(item.run)  \(item.title)")
                for change in item.changes {
                    lines.append("  \(change.document) (\(change.section)): \(change.line)")
                    lines.append("      because \(change.reason)")
                }
            }
            let count = pending.reduce(0) { $0 + $1.changes.count }
            if apply {
                lines.append("Applied \(count) line\(count == 1 ? "" : "s") to \(changed.map { "context/\($0)" }.joined(separator: ", ")) in one state commit.")
            } else {
                lines.append("\(count) line\(count == 1 ? "" : "s") pending; 'git conductor context sync --apply' adds them.")
            }
            Terminal.standardOutput(lines.joined(separator: "\n"))
        }
    }

    struct SyncOutput: Encodable {
        let pending: [ContextSync.Pending]
        let applied: Bool
        let documents: [String]
    }
}
