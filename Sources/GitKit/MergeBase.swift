import CLibgit2

/// How two commits relate in history: what a merge needs to know before it merges.
public struct CommitDistance: Sendable, Equatable {
    /// Commits reachable from the first but not the second.
    public let ahead: Int
    /// Commits reachable from the second but not the first.
    public let behind: Int

    public init(ahead: Int, behind: Int) {
        self.ahead = ahead
        self.behind = behind
    }
}

extension Repository {
    /// The best common ancestor of two commits, as `git merge-base` picks it; nil when their
    /// histories share no commit (two orphan branches started separately).
    ///
    /// Throws when history needed for the answer is missing, as in a shallow clone.
    public func mergeBase(_ one: ObjectID, _ other: ObjectID) throws(GitError) -> ObjectID? {
        if one == other { return one }
        var oid = git_oid()
        let code = one.withGitOID { a in other.withGitOID { b in git_merge_base(&oid, pointer, a, b) } }
        if code == GIT_ENOTFOUND.rawValue, Self.lastErrorIsMerge { return nil }
        try check(code, "find the merge base of \(one.short) and \(other.short)")
        return ObjectID(oid)
    }

    /// How many commits `local` has that `upstream` lacks, and the other way round
    /// (`git rev-list --left-right --count local...upstream`).
    public func distance(from local: ObjectID, to upstream: ObjectID) throws(GitError) -> CommitDistance {
        var ahead = 0, behind = 0
        let code = local.withGitOID { l in upstream.withGitOID { u in git_graph_ahead_behind(&ahead, &behind, pointer, l, u) } }
        try check(code, "compare \(local.short) with \(upstream.short)")
        return CommitDistance(ahead: ahead, behind: behind)
    }

    /// Whether libgit2's last error says "no merge base" (error class merge), as opposed
    /// to an object it could not find.
    private static var lastErrorIsMerge: Bool {
        guard let raw = git_error_last() else { return false }
        return raw.pointee.klass == Int32(GIT_ERROR_MERGE.rawValue)
    }
}
