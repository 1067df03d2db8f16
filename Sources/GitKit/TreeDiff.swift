import CLibgit2

/// How one file differs between two trees, as `git diff --numstat` counts it.
public struct FileDiffStat: Sendable, Equatable {
    public enum Status: String, Sendable, Equatable {
        case added, deleted, modified, renamed, typeChanged = "type changed", other
    }

    /// The path in the newer tree (the older one for a deletion).
    public let path: String
    /// The path in the older tree when the file was renamed.
    public let oldPath: String?
    public let status: Status
    public let insertions: Int
    public let deletions: Int
    /// Binary files have no line counts.
    public let isBinary: Bool
}

extension Repository {
    /// Per-file line counts between two commits' trees, in path order, with renames found
    /// as `git diff -M` finds them.
    public func diffStats(from old: ObjectID, to new: ObjectID) throws(GitError) -> [FileDiffStat] {
        let oldTree = try tree(commit(old).tree)
        let newTree = try tree(commit(new).tree)
        var diff: OpaquePointer?
        try check(git_diff_tree_to_tree(&diff, pointer, oldTree.pointer, newTree.pointer, nil), "diff \(old.short)..\(new.short)")
        defer { git_diff_free(diff) }
        var findOptions = git_diff_find_options()
        try check(git_diff_find_options_init(&findOptions, UInt32(GIT_DIFF_FIND_OPTIONS_VERSION)), "prepare rename detection")
        try check(git_diff_find_similar(diff, &findOptions), "find renames")
        var stats: [FileDiffStat] = []
        for index in 0..<git_diff_num_deltas(diff) {
            var patch: OpaquePointer?
            try check(git_patch_from_diff(&patch, diff, index), "read the diff of file \(index)")
            defer { git_patch_free(patch) }
            guard let delta = git_diff_get_delta(diff, index)?.pointee else { continue }
            var context = 0, insertions = 0, deletions = 0
            try check(git_patch_line_stats(&context, &insertions, &deletions, patch), "count lines")
            let newPath = delta.new_file.path.map { String(cString: $0) } ?? ""
            let oldPath = delta.old_file.path.map { String(cString: $0) } ?? ""
            let status = Self.status(delta.status)
            stats.append(FileDiffStat(
                path: status == .deleted ? oldPath : newPath,
                oldPath: status == .renamed ? oldPath : nil,
                status: status, insertions: insertions, deletions: deletions,
                isBinary: delta.flags & GIT_DIFF_FLAG_BINARY.rawValue != 0
            ))
        }
        return stats
    }

    private static func status(_ delta: git_delta_t) -> FileDiffStat.Status {
        switch delta {
        case GIT_DELTA_ADDED: .added
        case GIT_DELTA_DELETED: .deleted
        case GIT_DELTA_MODIFIED: .modified
        case GIT_DELTA_RENAMED: .renamed
        case GIT_DELTA_TYPECHANGE: .typeChanged
        default: .other
        }
    }
}
