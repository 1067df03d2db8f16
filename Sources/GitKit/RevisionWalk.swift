import CLibgit2

extension Repository {
    /// Commit ids reachable from `start`, newest first (topological, then by time), at most `limit`.
    public func walkCommits(from start: ObjectID, limit: Int = .max) throws(GitError) -> [ObjectID] {
        var walker: OpaquePointer?
        try check(git_revwalk_new(&walker, pointer), "start revision walk")
        defer { git_revwalk_free(walker) }
        git_revwalk_sorting(walker, GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_TIME.rawValue)
        try check(start.withGitOID { git_revwalk_push(walker, $0) }, "walk from \(start.short)")
        var ids = [ObjectID]()
        var oid = git_oid()
        while ids.count < limit {
            let code = git_revwalk_next(&oid, walker)
            if code == GIT_ITEROVER.rawValue { break }
            try check(code, "walk from \(start.short)")
            ids.append(ObjectID(oid))
        }
        return ids
    }

    /// Whether `ancestor` is reachable from `descendant` (a commit is its own descendant).
    public func isAncestor(_ ancestor: ObjectID, of descendant: ObjectID) throws(GitError) -> Bool {
        if ancestor == descendant { return true }
        let code = ancestor.withGitOID { a in descendant.withGitOID { d in git_graph_descendant_of(pointer, d, a) } }
        return try check(code, "compare \(ancestor.short) with \(descendant.short)") == 1
    }
}
