import CLibgit2

/// A tree entry with its file mode, for rebuilding trees entry by entry (merges).
public struct ModedTreeEntry: Sendable, Equatable {
    public let name: String
    public let id: ObjectID
    public let kind: TreeEntryKind
    /// The git file mode: 0o100644, 0o100755, 0o120000, 0o040000, 0o160000.
    public let mode: UInt32

    public init(name: String, id: ObjectID, kind: TreeEntryKind, mode: UInt32) {
        self.name = name
        self.id = id
        self.kind = kind
        self.mode = mode
    }

    /// The same entry under another name.
    public func renamed(_ name: String) -> ModedTreeEntry {
        ModedTreeEntry(name: name, id: id, kind: kind, mode: mode)
    }
}

extension Tree {
    /// All direct entries with their file modes, in git's sorted order.
    public var modedEntries: [ModedTreeEntry] {
        (0..<count).map { index in
            let raw = git_tree_entry_byindex(pointer, index)!
            let kind: TreeEntryKind = switch git_tree_entry_type(raw) {
            case GIT_OBJECT_BLOB: .blob
            case GIT_OBJECT_TREE: .tree
            case GIT_OBJECT_COMMIT: .commit
            default: .other
            }
            return ModedTreeEntry(
                name: String(cString: git_tree_entry_name(raw)),
                id: ObjectID(git_tree_entry_id(raw).pointee),
                kind: kind,
                mode: UInt32(git_tree_entry_filemode(raw).rawValue)
            )
        }
    }
}

extension Repository {
    /// Writes a tree holding exactly `entries` (names must be unique) and returns its id.
    public func writeTree(_ entries: [ModedTreeEntry]) throws(GitError) -> ObjectID {
        var builder: OpaquePointer?
        try check(git_treebuilder_new(&builder, pointer, nil), "start a tree")
        defer { git_treebuilder_free(builder) }
        for entry in entries {
            let code = entry.id.withGitOID { git_treebuilder_insert(nil, builder, entry.name, $0, git_filemode_t(rawValue: entry.mode)) }
            try check(code, "add \(entry.name) to a tree")
        }
        var oid = git_oid()
        try check(git_treebuilder_write(&oid, builder), "write a tree")
        return ObjectID(oid)
    }
}
