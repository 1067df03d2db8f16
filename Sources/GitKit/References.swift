import CLibgit2

extension Repository {
    /// The object a reference points at (peeling symbolic references), or nil when it does not exist.
    public func referenceTarget(_ name: String) throws(GitError) -> ObjectID? {
        var oid = git_oid()
        let code = git_reference_name_to_id(&oid, pointer, name)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try check(code, "resolve \(name)")
        return ObjectID(oid)
    }

    /// Moves `name` to `target` only if it still points at `expected` (nil: only if it does not exist yet).
    ///
    /// This is the compare-and-swap that makes concurrent writers safe: a lost race throws a
    /// ``GitError`` whose ``GitError/isConcurrentUpdate`` is true, and the caller re-applies
    /// its change on the new tip.
    public func updateReference(
        _ name: String,
        to target: ObjectID,
        expected: ObjectID?,
        logMessage: String
    ) throws(GitError) {
        var ref: OpaquePointer?
        let code: Int32 = target.withGitOID { targetOID in
            guard let expected else {
                return git_reference_create(&ref, pointer, name, targetOID, 0, logMessage)
            }
            return expected.withGitOID { expectedOID in
                git_reference_create_matching(&ref, pointer, name, targetOID, 1, expectedOID, logMessage)
            }
        }
        try check(code, "update \(name)")
        git_reference_free(ref)
    }

    /// Full names of the references matching a glob such as `refs/heads/conductor/*`.
    public func referenceNames(matching glob: String) throws(GitError) -> [String] {
        var iterator: OpaquePointer?
        try check(git_reference_iterator_glob_new(&iterator, pointer, glob), "list references \(glob)")
        defer { git_reference_iterator_free(iterator) }
        var names = [String]()
        var name: UnsafePointer<CChar>?
        while true {
            let code = git_reference_next_name(&name, iterator)
            if code == GIT_ITEROVER.rawValue { break }
            try check(code, "list references \(glob)")
            names.append(String(cString: name!))
        }
        return names
    }
}

extension Repository {
    /// The commit a revision names (`HEAD`, `main`, `v1.2`, `origin/main~2`, an id), peeled
    /// through tags, as `git rev-parse <revision>^{commit}` does; nil when it names nothing.
    public func resolveCommit(_ revision: String) throws(GitError) -> ObjectID? {
        var object: OpaquePointer?
        let code = git_revparse_single(&object, pointer, revision)
        if code == GIT_ENOTFOUND.rawValue || code == GIT_EAMBIGUOUS.rawValue || code == GIT_EINVALIDSPEC.rawValue { return nil }
        try check(code, "resolve \(revision)")
        defer { git_object_free(object) }
        var commit: OpaquePointer?
        let peeled = git_object_peel(&commit, object, GIT_OBJECT_COMMIT)
        if peeled == GIT_ENOTFOUND.rawValue || peeled == GIT_EINVALIDSPEC.rawValue || peeled == GIT_EPEEL.rawValue { return nil }
        try check(peeled, "resolve \(revision) to a commit")
        defer { git_object_free(commit) }
        return ObjectID(git_object_id(commit).pointee)
    }
}
