import CLibgit2

/// A regular file of a tree, found by walking it recursively.
public struct TreeFile: Sendable, Equatable {
    /// Slash-separated path from the tree's root.
    public let path: String
    public let blob: ObjectID
    /// `0o100644` or `0o100755`.
    public let mode: UInt32
}

extension Repository {
    /// Every regular file below the tree `id`, in git's order (symbolic links and submodules
    /// are left out: neither has content a reader of the code would want). One pass of
    /// `git_tree_walk`, which visits each subtree once.
    public func files(inTree id: ObjectID) throws(GitError) -> [TreeFile] {
        let tree = try tree(id)
        final class Collector {
            var files: [TreeFile] = []
        }
        let collector = Collector()
        let code = withExtendedLifetime(collector) {
            git_tree_walk(tree.pointer, GIT_TREEWALK_PRE, { root, entry, payload in
                guard let entry, let payload, git_tree_entry_type(entry) == GIT_OBJECT_BLOB else { return 0 }
                let mode = git_tree_entry_filemode(entry).rawValue
                guard mode == 0o100644 || mode == 0o100755 else { return 0 }
                let collector = Unmanaged<Collector>.fromOpaque(payload).takeUnretainedValue()
                let directory = root.map { String(cString: $0) } ?? ""
                collector.files.append(TreeFile(
                    path: directory + String(cString: git_tree_entry_name(entry)),
                    blob: ObjectID(git_tree_entry_id(entry).pointee),
                    mode: mode
                ))
                return 0
            }, Unmanaged.passUnretained(collector).toOpaque())
        }
        try check(code, "walk tree \(id.short)")
        return collector.files
    }

    /// A blob's size in bytes, read from the object header without inflating the content.
    public func blobSize(_ id: ObjectID) throws(GitError) -> Int {
        var odb: OpaquePointer?
        try check(git_repository_odb(&odb, pointer), "open the object database")
        defer { git_odb_free(odb) }
        var size = 0
        var type = GIT_OBJECT_ANY
        let code = id.withGitOID { git_odb_read_header(&size, &type, odb, $0) }
        try check(code, "read the header of \(id.short)")
        return size
    }
}
