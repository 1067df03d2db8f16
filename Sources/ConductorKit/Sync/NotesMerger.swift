import ConductorDomain
import Foundation
import GitKit

/// Merges a fetched `refs/notes/conductor` into the local one, in-process, the way
/// `git notes merge -s cat_sort_uniq` does: a note only one side changed since the common
/// ancestor takes that side's version; a note both changed becomes the sorted,
/// deduplicated union of both notes' lines. The result is a two-parent notes commit (or a
/// fast-forward), so plain `git notes merge` and this merge agree.
struct NotesMerger {
    let repository: ConductorRepository
    let retry: RetryPolicy

    var git: Repository { repository.git }

    func merge(remoteTip: ObjectID, from remote: String) throws(ConductorError) -> RefMerge {
        for attempt in 0..<retry.maxAttempts {
            do {
                return try gitCall { () throws(GitError) in try mergeOnce(remote: remoteTip, from: remote) }
            } catch .git(let cause) where cause.isConcurrentUpdate {
                usleep(retry.delay(afterAttempt: attempt))
            }
        }
        throw .tooManyConcurrentWriters(ref: NotesStore.ref, attempts: retry.maxAttempts)
    }

    private func mergeOnce(remote: ObjectID, from name: String) throws(GitError) -> RefMerge {
        let ref = NotesStore.ref
        guard let local = try git.referenceTarget(ref) else {
            try git.updateReference(ref, to: remote, expected: nil, logMessage: "git-conductor pull: notes from \(name)")
            return RefMerge(ref: ref, action: .created, before: nil, after: remote, runsReceived: [], conflicts: [])
        }
        if try git.isAncestor(remote, of: local) {
            return RefMerge(ref: ref, action: .upToDate, before: local, after: local, runsReceived: [], conflicts: [])
        }
        if try git.isAncestor(local, of: remote) {
            try git.updateReference(ref, to: remote, expected: local, logMessage: "git-conductor pull: fast-forward notes from \(name)")
            return RefMerge(ref: ref, action: .fastForward, before: local, after: remote, runsReceived: [], conflicts: [])
        }
        let base = try git.mergeBase(local, remote)
        let ours = try notes(at: local)
        let theirs = try notes(at: remote)
        let ancestor = try base.map { (id) throws(GitError) in try notes(at: id) } ?? [:]
        var merged: [ObjectID: ObjectID] = [:]
        for annotated in Set(ours.keys).union(theirs.keys) {
            let mine = ours[annotated], other = theirs[annotated], old = ancestor[annotated]
            let result: ObjectID?
            if mine == other || other == old {
                result = mine
            } else if mine == old {
                result = other
            } else {
                result = try git.writeBlob(Self.catSortUniq(mine.map(git.readBlob) ?? [], other.map(git.readBlob) ?? []))
            }
            if let result { merged[annotated] = result }
        }
        let fanout = merged.count > NotesStore.fanoutThreshold
        let updates = merged.sorted { $0.key < $1.key }.map { annotated, blob in
            let paths = NotesStore.candidatePaths(for: annotated)
            return TreeUpdate.upsertBlob(path: fanout ? paths[0] : paths[1], id: blob)
        }
        let tree = try git.updateTree(nil, applying: updates)
        let time = repository.clock.now()
        let signature = repository.identity.signature(atMilliseconds: time.milliseconds)
        let message = "Notes merged by 'git conductor pull' from \(name) (cat_sort_uniq)\n"
        let commit = try git.createCommit(tree: tree, parents: [local, remote], message: message, author: signature, committer: signature)
        try git.updateReference(ref, to: commit, expected: local, logMessage: "git-conductor pull: merge notes from \(name)")
        return RefMerge(ref: ref, action: .merged, before: local, after: commit, runsReceived: [], conflicts: [])
    }

    /// Every note in a notes commit's tree, flat or in any fanout: annotated object → blob.
    func notes(at commit: ObjectID) throws(GitError) -> [ObjectID: ObjectID] {
        var found: [ObjectID: ObjectID] = [:]
        try collect(git.commit(commit).tree, prefix: "", into: &found)
        return found
    }

    private func collect(_ tree: ObjectID, prefix: String, into found: inout [ObjectID: ObjectID]) throws(GitError) {
        for entry in try git.tree(tree).entries {
            let name = prefix + entry.name
            switch entry.kind {
            case .tree where name.utf8.count < 40:
                try collect(entry.id, prefix: name, into: &found)
            case .blob:
                if let annotated = ObjectID(hex: name) { found[annotated] = entry.id }
            default:
                break
            }
        }
    }

    /// git's `combine_notes_cat_sort_uniq`: both notes' lines, empty ones dropped, sorted
    /// bytewise, duplicates removed, each ended by a newline.
    static func catSortUniq(_ one: [UInt8], _ other: [UInt8]) -> [UInt8] {
        let lines = (one.split(separator: UInt8(ascii: "\n")) + other.split(separator: UInt8(ascii: "\n"))).map(Array.init)
        let sorted = lines.sorted { $0.lexicographicallyPrecedes($1) }
        var result: [UInt8] = []
        var previous: [UInt8]?
        for line in sorted where line != previous {
            result += line + [UInt8(ascii: "\n")]
            previous = line
        }
        return result
    }
}
