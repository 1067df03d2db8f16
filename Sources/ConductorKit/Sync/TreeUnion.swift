import ConductorDomain
import GitKit

/// A path both sides wrote with different content. Both versions are kept: the remote's at
/// `path`, this clone's at `keptAs` (the name with this clone's machine id added).
public struct SyncConflict: Sendable, Equatable, Codable {
    public let path: String
    public let keptAs: String
    /// The run the path belongs to, when it is inside a run's directory.
    public let run: RunID?

    enum CodingKeys: String, CodingKey {
        case path, run
        case keptAs = "kept_as"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(path, forKey: .path)
        try container.encode(keptAs, forKey: .keptAs)
        try container.encode(run, forKey: .run)
    }
}

/// The union of two trees, merged in-process from their common ancestor's tree.
///
/// State files are only ever added, so two clones' trees normally differ only by paths one
/// of them lacks, and the union is the merge. Where both sides hold the same path:
/// - same content: kept once;
/// - subtrees: merged the same way, recursively (equal subtrees are reused by id, so the
///   cost follows what differs, not the size of the state);
/// - only one side changed it since the common ancestor (`checkpoint.json`, `plan.md`,
///   which are rewritten): that side's version;
/// - both changed it differently: a conflict. The remote's version stays at the path, which
///   is what every other clone already has, and this clone's moves beside it under a name
///   carrying this clone's machine id. Nothing is dropped.
///
/// A path only one side has is kept, even if the other side once had it: state is never
/// deleted, so a missing path is never read as a deletion.
struct TreeUnion {
    let repository: Repository
    let machine: MachineID
    private(set) var conflicts: [SyncConflict] = []

    init(repository: Repository, machine: MachineID) {
        self.repository = repository
        self.machine = machine
    }

    static let treeMode: UInt32 = 0o040000

    /// Merges `ours` and `theirs` (tree ids) given their ancestor `base`; returns the tree id.
    mutating func merge(base: ObjectID?, ours: ObjectID, theirs: ObjectID) throws(GitError) -> ObjectID {
        try merge(base: base, ours: ours, theirs: theirs, prefix: "")
    }

    private mutating func merge(base: ObjectID?, ours: ObjectID, theirs: ObjectID, prefix: String) throws(GitError) -> ObjectID {
        if ours == theirs || base == theirs { return ours }
        if base == ours { return theirs }
        let ourEntries = try repository.tree(ours).modedEntries
        let theirEntries = try repository.tree(theirs).modedEntries
        let baseEntries = try base.map { (id) throws(GitError) in try repository.tree(id).modedEntries } ?? []
        let ourByName = Dictionary(uniqueKeysWithValues: ourEntries.map { ($0.name, $0) })
        let theirByName = Dictionary(uniqueKeysWithValues: theirEntries.map { ($0.name, $0) })
        let baseByName = Dictionary(uniqueKeysWithValues: baseEntries.map { ($0.name, $0) })

        var result: [String: ModedTreeEntry] = [:]
        var displaced: [(path: String, entry: ModedTreeEntry)] = []
        for name in Set(ourByName.keys).union(theirByName.keys) {
            switch (ourByName[name], theirByName[name]) {
            case let (mine?, nil):
                result[name] = mine
            case let (nil, theirs?):
                result[name] = theirs
            case let (mine?, theirs?):
                if mine == theirs {
                    result[name] = mine
                } else if mine.kind == .tree, theirs.kind == .tree {
                    let ancestor = baseByName[name].flatMap { $0.kind == .tree ? $0.id : nil }
                    let merged = try merge(base: ancestor, ours: mine.id, theirs: theirs.id, prefix: prefix + name + "/")
                    result[name] = ModedTreeEntry(name: name, id: merged, kind: .tree, mode: Self.treeMode)
                } else if let ancestor = baseByName[name], ancestor == mine {
                    result[name] = theirs
                } else if let ancestor = baseByName[name], ancestor == theirs {
                    result[name] = mine
                } else {
                    result[name] = theirs
                    displaced.append((prefix + name, mine))
                }
            case (nil, nil):
                break
            }
        }
        for (path, entry) in displaced {
            let name = String(path.dropFirst(prefix.count))
            var candidate = Self.conflictName(name, machine: machine, attempt: 1)
            var attempt = 1
            // Never overwrite: a name already taken by other content gets a counter.
            while let taken = result[candidate] ?? ourByName[candidate] ?? theirByName[candidate], taken.id != entry.id || taken.mode != entry.mode {
                attempt += 1
                candidate = Self.conflictName(name, machine: machine, attempt: attempt)
            }
            result[candidate] = entry.renamed(candidate)
            conflicts.append(SyncConflict(path: path, keptAs: prefix + candidate, run: Self.run(containing: path)))
        }
        return try repository.writeTree(Array(result.values))
    }

    /// `name` with `.conflict-<machine>` before its extension: `0007-m-0000.json` becomes
    /// `0007-m-0000.conflict-k3xq9d0vbn.json`, so the copy keeps its type and sorts beside
    /// the original.
    static func conflictName(_ name: String, machine: MachineID, attempt: Int) -> String {
        let tag = "conflict-\(machine.rawValue)" + (attempt > 1 ? "-\(attempt)" : "")
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "\(name).\(tag)" }
        return "\(name[..<dot]).\(tag)\(name[dot...])"
    }

    /// The run whose directory holds `path` (`runs/<x>/<y>/<id>/…`), if any.
    static func run(containing path: String) -> RunID? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 5, parts[0] == Substring(StateLayout.runsDirectory) else { return nil }
        return RunID(String(parts[3]))
    }
}
