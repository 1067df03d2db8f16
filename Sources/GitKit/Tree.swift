import CLibgit2

/// What a tree entry points at.
public enum TreeEntryKind: Sendable, Equatable {
    case blob, tree, commit, other
}

/// One entry of a tree, copied out of libgit2.
public struct TreeEntry: Sendable, Equatable {
    public let name: String
    public let id: ObjectID
    public let kind: TreeEntryKind
    /// git's file mode: `0o100644` (file), `0o100755` (executable), `0o120000` (symbolic
    /// link), `0o040000` (tree), `0o160000` (submodule).
    public let mode: UInt32

    /// Whether the entry is a symbolic link, whose blob holds the link's target.
    public var isSymbolicLink: Bool { mode == 0o120000 }
}

/// A path-addressed change applied by ``Repository/updateTree(_:applying:)``.
public enum TreeUpdate: Sendable, Equatable {
    /// Adds or replaces the blob at a slash-separated path, creating parent trees as needed.
    case upsertBlob(path: String, id: ObjectID)
    /// Removes the entry at a slash-separated path.
    case remove(path: String)

    var path: String {
        switch self {
        case .upsertBlob(let path, _), .remove(let path): path
        }
    }
}

/// A tree object held open; its entries are read lazily.
public final class Tree {
    let pointer: OpaquePointer
    /// Keeps the repository alive while the tree is in use.
    private let repository: Repository

    init(pointer: OpaquePointer, repository: Repository) {
        self.pointer = pointer
        self.repository = repository
    }

    deinit {
        git_tree_free(pointer)
    }

    /// The tree's own id.
    public var id: ObjectID { ObjectID(git_tree_id(pointer).pointee) }

    /// Number of entries directly in this tree.
    public var count: Int { git_tree_entrycount(pointer) }

    /// All direct entries, in git's sorted order.
    public var entries: [TreeEntry] {
        (0..<count).map { Self.copy(git_tree_entry_byindex(pointer, $0)!) }
    }

    /// The direct entry at `index` in git's sorted order, if the index is in range.
    public func entry(at index: Int) -> TreeEntry? {
        guard index >= 0, index < count else { return nil }
        return Self.copy(git_tree_entry_byindex(pointer, index)!)
    }

    /// The direct entry with this name, if any.
    public func entry(named name: String) -> TreeEntry? {
        git_tree_entry_byname(pointer, name).map(Self.copy)
    }

    /// The entry at a slash-separated path below this tree, if any.
    public func entry(atPath path: String) throws(GitError) -> TreeEntry? {
        var raw: OpaquePointer?
        let code = git_tree_entry_bypath(&raw, pointer, path)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try check(code, "look up \(path) in tree \(id.short)")
        defer { git_tree_entry_free(raw) }
        return Self.copy(raw!)
    }

    private static func copy(_ raw: OpaquePointer) -> TreeEntry {
        let kind: TreeEntryKind = switch git_tree_entry_type(raw) {
        case GIT_OBJECT_BLOB: .blob
        case GIT_OBJECT_TREE: .tree
        case GIT_OBJECT_COMMIT: .commit
        default: .other
        }
        return TreeEntry(
            name: String(cString: git_tree_entry_name(raw)),
            id: ObjectID(git_tree_entry_id(raw).pointee),
            kind: kind,
            mode: git_tree_entry_filemode(raw).rawValue
        )
    }
}

extension Repository {
    /// Opens the tree with this id.
    public func tree(_ id: ObjectID) throws(GitError) -> Tree {
        var raw: OpaquePointer?
        let code = id.withGitOID { git_tree_lookup(&raw, pointer, $0) }
        try check(code, "read tree \(id.short)")
        return Tree(pointer: raw!, repository: self)
    }

    /// Writes a new tree that is `base` with `updates` applied, and returns its id.
    ///
    /// Only the trees along each updated path are rewritten; every sibling subtree keeps its id,
    /// so the cost grows with the depth of the paths, not with the size of the tree.
    public func updateTree(_ base: ObjectID?, applying updates: [TreeUpdate]) throws(GitError) -> ObjectID {
        // Without a base, libgit2 starts from an empty tree builder, so no empty tree object
        // is written (it would be left dangling).
        let baseTree = try base.map { (id) throws(GitError) -> Tree in try tree(id) }
        let paths = updates.map { update in
            let bytes = update.path.utf8CString
            let copy = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count)
            _ = UnsafeMutableBufferPointer(start: copy, count: bytes.count).initialize(from: bytes)
            return copy
        }
        defer { paths.forEach { $0.deallocate() } }
        var gitUpdates = [git_tree_update]()
        gitUpdates.reserveCapacity(updates.count)
        for (update, path) in zip(updates, paths) {
            var entry = git_tree_update()
            entry.path = UnsafePointer(path)
            switch update {
            case .upsertBlob(_, let id):
                entry.action = GIT_TREE_UPDATE_UPSERT
                entry.filemode = GIT_FILEMODE_BLOB
                id.withGitOID { entry.id = $0.pointee }
            case .remove:
                entry.action = GIT_TREE_UPDATE_REMOVE
            }
            gitUpdates.append(entry)
        }
        var oid = git_oid()
        let code = git_tree_create_updated(&oid, pointer, baseTree?.pointer, gitUpdates.count, gitUpdates)
        try check(code, "update tree \(base?.short ?? "(empty)")")
        return ObjectID(oid)
    }
}
