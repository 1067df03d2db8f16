import ConductorDomain
import Foundation
import GitKit

/// Context sync (docs/context-setup.md): when a run completes, the manifests it changed are
/// compared with the context documents, and what they no longer say is recorded as a
/// `context_proposal` event on the run; `git conductor context sync` lists the proposals of
/// completed runs not yet applied, and `--apply` writes them into the documents.
public enum ContextSync {
    /// Under `context/`: one `<run>.json` per run whose proposal was applied. One file per
    /// run (never a shared list) keeps the state add-only, so two clones' branches merge as
    /// a union.
    static let appliedDirectory = "applied"

    /// How many of the newest runs `context sync` looks at.
    public static let runsExamined = 50

    /// The `context_proposal` event for a run that changed `base` into `tip`, or nil when
    /// the repository has no context documents (no setup: runs behave as before) or the
    /// documents already say everything. Never throws: a proposal is advice, and failing to
    /// make one must not fail the run.
    ///
    /// The engine records it just before the run's move to COMPLETE, e.g.
    /// `if let proposal = ContextSync.propose(repository:run:base:tip:) { try session.append(proposal) }`.
    public static func propose(repository: ConductorRepository, run record: RunRecord, base: ObjectID, tip: ObjectID) -> EventPayload? {
        guard let documents = try? ContextStore(repository: repository).documents(), !documents.isEmpty else { return nil }
        guard let revisions = try? manifestRevisions(in: repository.git, base: base, tip: tip), !revisions.isEmpty else { return nil }
        let manager = (try? packageManager(in: repository.git, at: tip)) ?? "npm"
        return ContextSyncProposal.propose(revisions, documents: documents, packageManager: manager).map(EventPayload.contextProposal)
    }

    /// The root-level manifests the diff `base..tip` adds or changes, on both sides.
    static func manifestRevisions(in git: Repository, base: ObjectID, tip: ObjectID) throws(GitError) -> [ManifestRevision] {
        let changed = try git.diffStats(from: base, to: tip).filter { $0.status != .deleted && ContextSyncProposal.isManifest($0.path) }
        guard !changed.isEmpty else { return [] }
        let baseTree = try git.tree(git.commit(base).tree)
        let tipTree = try git.tree(git.commit(tip).tree)
        return try changed.map { (stat) throws(GitError) -> ManifestRevision in
            let before = try text(at: stat.oldPath ?? stat.path, in: baseTree, git: git)
            let after = try text(at: stat.path, in: tipTree, git: git)
            let isNode = stat.path == "package.json"
            return ManifestRevision(
                path: stat.path, before: before.map { String(decoding: $0, as: UTF8.self) }, after: after.map { String(decoding: $0, as: UTF8.self) },
                nodeBefore: isNode ? before.flatMap(ProjectInspector.decodeNodePackage) : nil,
                nodeAfter: isNode ? after.flatMap(ProjectInspector.decodeNodePackage) : nil
            )
        }
    }

    static func text(at path: String, in tree: Tree, git: Repository) throws(GitError) -> [UInt8]? {
        guard let entry = try tree.entry(atPath: path), entry.kind == .blob else { return nil }
        return try git.readBlob(entry.id)
    }

    /// npm, yarn or pnpm, by the lockfile at the root of `commit`.
    static func packageManager(in git: Repository, at commit: ObjectID) throws(GitError) -> String {
        let root = try git.tree(git.commit(commit).tree)
        if root.entry(named: "pnpm-lock.yaml") != nil { return "pnpm" }
        if root.entry(named: "yarn.lock") != nil { return "yarn" }
        return "npm"
    }

    // MARK: Pending and applying

    /// A completed run's proposal, with the changes the documents still lack.
    public struct Pending: Sendable, Equatable, Encodable {
        public let run: RunID
        public let title: String
        public let changes: [ContextProposal.Change]
    }

    /// The proposals of the newest completed runs (``runsExamined``) that were never
    /// applied, newest run first, each cut to the changes the documents do not yet mention.
    public static func pending(in repository: ConductorRepository) throws(ConductorError) -> [Pending] {
        guard let snapshot = try repository.stateSnapshot() else { return [] }
        let documents = try snapshot.contextDocuments()
        guard !documents.isEmpty else { return [] }
        let applied = try snapshot.appliedContextProposals()
        var found: [Pending] = []
        for directory in try snapshot.runDirectories().prefix(runsExamined) where !applied.contains(directory.id) {
            let history = try snapshot.history(of: directory)
            let completed = history.events.contains {
                if case .transition(_, .complete, _, _) = $0.payload { true } else { false }
            }
            guard completed else { continue }
            let changes = history.events.flatMap { event -> [ContextProposal.Change] in
                if case .contextProposal(let proposal) = event.payload { proposal.changes } else { [] }
            }
            let open = changes.filter { change in
                documents.first { $0.name == change.document }.map { !ContextDocuments.mentions($0.text, change.line) } ?? false
            }
            if !open.isEmpty { found.append(Pending(run: directory.id, title: history.record?.title ?? "", changes: open)) }
        }
        return found
    }

    /// Applies `pending` to the documents and marks each run's proposal applied, all in one
    /// state commit. Returns the names of the documents that changed.
    @discardableResult
    public static func apply(_ pending: [Pending], in repository: ConductorRepository) throws(ConductorError) -> [String] {
        guard !pending.isEmpty else { return [] }
        let store = ContextStore(repository: repository)
        let before = try store.documents()
        let after = ContextDocuments.applying(pending.flatMap(\.changes), to: before)
        let changed = zip(before, after).filter { $0 != $1 }.map(\.1)
        let time = repository.clock.now()
        var markers: [String: [UInt8]] = [:]
        for item in pending {
            markers["\(appliedDirectory)/\(item.run).json"] = StateCoding.document(AppliedMarker(run: item.run, appliedAt: time, changes: item.changes))
        }
        let runs = pending.count == 1 ? "run \(pending[0].run)" : "\(pending.count) runs"
        let target = changed.isEmpty ? "(the documents already say it)" : "to " + changed.map(\.name).joined(separator: ", ")
        try store.write(changed, extraFiles: markers, message: "Context sync: apply the proposal of \(runs) \(target)")
        return changed.map(\.name)
    }

    /// `context/applied/<run>.json`: which run's proposal was applied, when, and what it added.
    struct AppliedMarker: Encodable {
        let run: RunID
        let appliedAt: Timestamp
        let changes: [ContextProposal.Change]

        enum CodingKeys: String, CodingKey {
            case run, changes
            case appliedAt = "applied_at"
        }
    }
}
