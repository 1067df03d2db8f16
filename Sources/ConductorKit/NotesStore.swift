import ConductorDomain
import GitKit

/// Notes on task-branch commits under `refs/notes/conductor`, written in-process in the
/// layout `git notes` itself uses, so `git log --notes=conductor` and `git notes merge` work.
///
/// Notes start flat (one blob per annotated commit, named by its id). Past
/// ``fanoutThreshold`` notes they move to git's two-character fanout (`ab/cdef…`), as git
/// does, so no single tree grows without bound.
public struct NotesStore {
    public static let ref = "refs/notes/conductor"
    /// Git switches a notes tree to fanout at roughly this size.
    public static let fanoutThreshold = 256

    let repository: ConductorRepository
    let retry: RetryPolicy

    /// Attaches (or replaces) the notes on several commits in one notes commit.
    public func write(_ notes: [ObjectID: ConductorNote]) throws(ConductorError) {
        try writeTexts(notes.mapValues(\.text))
    }

    /// Attaches free-form note texts; ``write(_:)`` is the usual entry point.
    public func writeTexts(_ texts: [ObjectID: String]) throws(ConductorError) {
        guard !texts.isEmpty else { return }
        let git = repository.git
        let writer = RefWriter(repository: git, ref: Self.ref, identity: repository.identity, retry: retry)
        var blobs: [ObjectID: ObjectID] = [:]
        for (commit, text) in texts {
            blobs[commit] = try gitCall { () throws(GitError) in try git.writeBlob(Array(text.utf8)) }
        }
        let message = "Notes added by 'git conductor'\n"
        try writer.commit(message: message, time: repository.clock.now()) { (_, root) throws(ConductorError) -> [TreeUpdate] in
            try gitCall { () throws(GitError) in try Self.updates(placing: blobs, in: root) }
        }
    }

    /// The parsed conductor note on `commit`, or nil when it has none (or a note that is not ours).
    public func note(for commit: ObjectID) throws(ConductorError) -> ConductorNote? {
        try text(for: commit).flatMap(ConductorNote.init(text:))
    }

    /// The raw note text on `commit`, or nil.
    public func text(for commit: ObjectID) throws(ConductorError) -> String? {
        let git = repository.git
        return try gitCall { () throws(GitError) -> String? in
            guard let tip = try git.referenceTarget(Self.ref) else { return nil }
            let root = try git.tree(git.commit(tip).tree)
            for path in Self.candidatePaths(for: commit) {
                if let entry = try root.entry(atPath: path), entry.kind == .blob {
                    return String(decoding: try git.readBlob(entry.id), as: UTF8.self)
                }
            }
            return nil
        }
    }

    /// Where git may keep the note for a commit: two-character fanout, flat, or two levels.
    static func candidatePaths(for commit: ObjectID) -> [String] {
        let hex = commit.hex
        let first = hex.prefix(2), rest = hex.dropFirst(2)
        return ["\(first)/\(rest)", hex, "\(first)/\(rest.prefix(2))/\(rest.dropFirst(2))"]
    }

    /// The tree edits that put each blob at its commit's note path, migrating a flat tree to
    /// fanout when it grows past the threshold, and removing any copy at another path.
    static func updates(placing blobs: [ObjectID: ObjectID], in root: Tree?) throws(GitError) -> [TreeUpdate] {
        let entries = root?.entries ?? []
        let flat = entries.filter { $0.kind == .blob && $0.name.utf8.count == 40 }
        let usesFanout = entries.contains { $0.kind == .tree && $0.name.utf8.count == 2 }
        let fanout = usesFanout || flat.count + blobs.count > fanoutThreshold
        var updates: [TreeUpdate] = []
        if fanout {
            for entry in flat where ObjectID(hex: entry.name).map({ blobs[$0] == nil }) ?? false {
                updates.append(.remove(path: entry.name))
                updates.append(.upsertBlob(path: "\(entry.name.prefix(2))/\(entry.name.dropFirst(2))", id: entry.id))
            }
        }
        for (commit, blob) in blobs.sorted(by: { $0.key < $1.key }) {
            let paths = candidatePaths(for: commit)
            let target = fanout ? paths[0] : paths[1]
            for stale in paths where stale != target {
                if try root?.entry(atPath: stale) != nil { updates.append(.remove(path: stale)) }
            }
            updates.append(.upsertBlob(path: target, id: blob))
        }
        return updates
    }
}
