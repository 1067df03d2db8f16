import CLibgit2

/// How a path changed on one side of `git status`: between HEAD and the index, or between the
/// index and the working tree.
public enum StatusChange: Sendable, Equatable {
    case added, modified, deleted, renamed, typeChanged

    /// The letter `git status --porcelain` shows for it.
    var letter: Character {
        switch self {
        case .added: "A"
        case .modified: "M"
        case .deleted: "D"
        case .renamed: "R"
        case .typeChanged: "T"
        }
    }
}

/// One path `git status` lists, copied out of libgit2.
public struct StatusEntry: Sendable, Equatable {
    /// Relative to the working tree, with `/`; a directory listed whole (a nested repository)
    /// ends with `/`.
    public let path: String
    /// How the index differs from HEAD, or nil.
    public let staged: StatusChange?
    /// How the working tree differs from the index, or nil; `.added` for an untracked path.
    public let unstaged: StatusChange?
    /// Not in the index at all.
    public let isUntracked: Bool

    /// The two-letter code of `git status --porcelain` (`??`, ` M`, `A `, `MD`…).
    public var porcelainCode: String {
        if isUntracked { return "??" }
        return String(staged?.letter ?? " ") + String(unstaged?.letter ?? " ")
    }
}

extension Repository {
    /// What `git status` lists: every path whose index entry differs from HEAD or whose
    /// working-tree file differs from the index, and every untracked path, files of untracked
    /// directories one by one. Ignored files and submodules are left out, and renames are not
    /// detected (a rename is a deletion and an addition), as in `git status --porcelain
    /// --no-renames --ignore-submodules --untracked-files=all`, and in its order: tracked paths
    /// by path, then untracked ones by path.
    public func status() throws(GitError) -> [StatusEntry] {
        var options = git_status_options()
        try check(git_status_options_init(&options, UInt32(GIT_STATUS_OPTIONS_VERSION)), "prepare status options")
        options.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR
        options.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED.rawValue | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS.rawValue
            | GIT_STATUS_OPT_EXCLUDE_SUBMODULES.rawValue | GIT_STATUS_OPT_SORT_CASE_SENSITIVELY.rawValue
        var list: OpaquePointer?
        try check(git_status_list_new(&list, pointer, &options), "read the status of the working tree")
        defer { git_status_list_free(list) }
        var entries: [StatusEntry] = []
        for index in 0..<git_status_list_entrycount(list) {
            guard let raw = git_status_byindex(list, index)?.pointee else { continue }
            let flags = raw.status.rawValue
            let delta = raw.index_to_workdir ?? raw.head_to_index
            guard let delta, let name = delta.pointee.new_file.path ?? delta.pointee.old_file.path else { continue }
            let untracked = flags & GIT_STATUS_WT_NEW.rawValue != 0 && flags & GIT_STATUS_INDEX_NEW.rawValue == 0
                && raw.head_to_index == nil
            entries.append(StatusEntry(
                path: String(cString: name),
                staged: Self.change(flags, added: GIT_STATUS_INDEX_NEW, modified: GIT_STATUS_INDEX_MODIFIED, deleted: GIT_STATUS_INDEX_DELETED,
                                    renamed: GIT_STATUS_INDEX_RENAMED, typeChanged: GIT_STATUS_INDEX_TYPECHANGE),
                unstaged: Self.change(flags, added: GIT_STATUS_WT_NEW, modified: GIT_STATUS_WT_MODIFIED, deleted: GIT_STATUS_WT_DELETED,
                                      renamed: GIT_STATUS_WT_RENAMED, typeChanged: GIT_STATUS_WT_TYPECHANGE),
                isUntracked: untracked
            ))
        }
        return entries.filter { !$0.isUntracked } + entries.filter(\.isUntracked)
    }

    private static func change(
        _ flags: UInt32, added: git_status_t, modified: git_status_t, deleted: git_status_t, renamed: git_status_t, typeChanged: git_status_t
    ) -> StatusChange? {
        if flags & added.rawValue != 0 { return .added }
        if flags & deleted.rawValue != 0 { return .deleted }
        if flags & renamed.rawValue != 0 { return .renamed }
        if flags & typeChanged.rawValue != 0 { return .typeChanged }
        if flags & modified.rawValue != 0 { return .modified }
        return nil
    }

    /// What HEAD is: the branch it points at (nil when detached) and its commit (nil on an
    /// unborn branch).
    public func head() throws(GitError) -> (reference: String?, commit: ObjectID?) {
        var ref: OpaquePointer?
        let code = git_reference_lookup(&ref, pointer, "HEAD")
        try check(code, "read HEAD")
        defer { git_reference_free(ref) }
        let symbolic = git_reference_symbolic_target(ref).map { String(cString: $0) }
        return (symbolic, try resolveCommit("HEAD"))
    }

    /// Points HEAD at the branch `reference` (`refs/heads/…`), which need not exist yet, or
    /// detaches it at `commit`. The index and working tree are not touched.
    public func setHead(reference: String?, commit: ObjectID?) throws(GitError) {
        if let reference {
            try check(git_repository_set_head(pointer, reference), "point HEAD at \(reference)")
        } else if let commit {
            let code = commit.withGitOID { git_repository_set_head_detached(pointer, $0) }
            try check(code, "detach HEAD at \(commit.short)")
        }
    }

    /// Moves what HEAD points at to `commit` and makes the index match it, leaving the working
    /// tree as it is: `git reset --mixed <commit>`.
    public func resetKeepingWorkingTree(to commit: ObjectID) throws(GitError) {
        var object: OpaquePointer?
        let code = commit.withGitOID { git_object_lookup(&object, pointer, $0, GIT_OBJECT_COMMIT) }
        try check(code, "read commit \(commit.short)")
        defer { git_object_free(object) }
        try check(git_reset(pointer, object, GIT_RESET_MIXED, nil), "reset to \(commit.short)")
    }

    /// Writes HEAD's version of each of `paths` (exact paths, not patterns) to the working tree
    /// and the index, as `git checkout HEAD -- <paths>` does: modified files are overwritten and
    /// deleted ones recreated. Paths HEAD does not have are left alone. A path whose type
    /// changed (a file replaced by a symbolic link or a directory) must be removed first:
    /// libgit2 1.5 leaves it as it is.
    public func restoreFromHead(_ paths: [String]) throws(GitError) {
        guard !paths.isEmpty else { return }
        var options = git_checkout_options()
        try check(git_checkout_options_init(&options, UInt32(GIT_CHECKOUT_OPTIONS_VERSION)), "prepare checkout options")
        options.checkout_strategy = GIT_CHECKOUT_FORCE.rawValue | GIT_CHECKOUT_DISABLE_PATHSPEC_MATCH.rawValue
        var copies: [UnsafeMutablePointer<CChar>?] = paths.map { path in
            let bytes = path.utf8CString
            let copy = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count)
            _ = UnsafeMutableBufferPointer(start: copy, count: bytes.count).initialize(from: bytes)
            return copy
        }
        defer { copies.forEach { $0?.deallocate() } }
        let code = copies.withUnsafeMutableBufferPointer { buffer -> Int32 in
            options.paths = git_strarray(strings: buffer.baseAddress, count: buffer.count)
            return git_checkout_head(pointer, &options)
        }
        try check(code, "restore \(paths.count) path\(paths.count == 1 ? "" : "s") from HEAD")
    }
}
