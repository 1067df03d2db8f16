import ConductorDomain
import GitKit

/// Which runs differ between two versions of the state branch: runs `new` has that `old`
/// lacks, and runs both have whose directories differ. Subtrees with the same id are
/// skipped, so the cost follows the difference, not the number of runs.
struct RunChanges: Sendable, Equatable {
    var added: [RunID] = []
    var changed: [RunID] = []

    var all: [RunID] { (added + changed).sorted() }
    var isEmpty: Bool { added.isEmpty && changed.isEmpty }

    /// The runs that differ from `old` (a commit, or nil for nothing) to `new` (a commit).
    static func between(_ old: ObjectID?, and new: ObjectID, in repository: Repository) throws(GitError) -> RunChanges {
        let newRoot = try repository.tree(repository.commit(new).tree)
        let oldRoot = try old.map { (id) throws(GitError) in try repository.tree(repository.commit(id).tree) }
        var changes = RunChanges()
        guard let newRuns = newRoot.entry(named: StateLayout.runsDirectory), newRuns.kind == .tree else { return changes }
        let oldRuns = oldRoot?.entry(named: StateLayout.runsDirectory).flatMap { $0.kind == .tree ? $0.id : nil }
        try changes.walk(old: oldRuns, new: newRuns.id, depth: 0, in: repository)
        changes.added.sort()
        changes.changed.sort()
        return changes
    }

    /// Walks `runs/`, `runs/<x>/` and `runs/<x>/<y>/` (depth 0, 1, 2); at depth 2 the
    /// entries are run directories.
    private mutating func walk(old: ObjectID?, new: ObjectID, depth: Int, in repository: Repository) throws(GitError) {
        if old == new { return }
        let newEntries = try repository.tree(new).entries.filter { $0.kind == .tree }
        let oldEntries = try old.map { (id) throws(GitError) in try repository.tree(id).entries } ?? []
        let oldByName = Dictionary(oldEntries.filter { $0.kind == .tree }.map { ($0.name, $0.id) }, uniquingKeysWith: { first, _ in first })
        for entry in newEntries {
            let before = oldByName[entry.name]
            if depth < 2 {
                try walk(old: before, new: entry.id, depth: depth + 1, in: repository)
            } else if let id = RunID(entry.name) {
                if before == nil { added.append(id) } else if before != entry.id { changed.append(id) }
            }
        }
    }
}
