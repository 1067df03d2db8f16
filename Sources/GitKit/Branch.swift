import CLibgit2

extension Repository {
    /// Whether the branch `refs/heads/<name>` exists.
    public func branchExists(_ name: String) throws(GitError) -> Bool {
        var ref: OpaquePointer?
        let code = git_reference_lookup(&ref, pointer, "refs/heads/" + name)
        if code == GIT_ENOTFOUND.rawValue { return false }
        try check(code, "look up branch \(name)")
        git_reference_free(ref)
        return true
    }

    /// Creates the branch `refs/heads/<name>` at `commit` and nothing else: HEAD, the index
    /// and the work tree stay as they are (unlike `git checkout -b`).
    ///
    /// Fails with a ``GitError`` whose code is `GIT_EEXISTS` when the branch already exists,
    /// atomically, so two processes can never both believe they created it.
    public func createBranch(_ name: String, at commit: ObjectID, logMessage: String) throws(GitError) {
        // Look the commit up first: libgit2 would accept any existing object as a ref target,
        // and a branch pointing at a tree or blob is worse than a clear error now.
        _ = try self.commit(commit)
        var ref: OpaquePointer?
        let code = commit.withGitOID { git_reference_create(&ref, pointer, "refs/heads/" + name, $0, 0, logMessage) }
        try check(code, "create branch \(name) at \(commit.short)")
        git_reference_free(ref)
    }

    /// Deletes the reference `name` only if it still points at `expected` (compare-and-swap),
    /// so a rollback never discards work that someone else added meanwhile. Throws a
    /// ``GitError`` with code `GIT_EMODIFIED` when it points elsewhere, `GIT_ENOTFOUND` when
    /// it does not exist.
    public func deleteReference(_ name: String, expected: ObjectID) throws(GitError) {
        var ref: OpaquePointer?
        try check(git_reference_lookup(&ref, pointer, name), "look up \(name)")
        defer { git_reference_free(ref) }
        guard let target = git_reference_target(ref), ObjectID(target.pointee) == expected else {
            throw GitError(
                code: GIT_EMODIFIED.rawValue, errorClass: "reference",
                message: "\(name) no longer points at \(expected.short)", operation: "delete \(name)"
            )
        }
        // libgit2 deletes on the condition that the ref still holds the value it looked up.
        try check(git_reference_delete(ref), "delete \(name)")
    }

    /// The name a symbolic reference (such as `HEAD`) points at, like `refs/heads/main`;
    /// nil when `name` does not exist or is a direct reference (a detached HEAD).
    public func symbolicTarget(of name: String) throws(GitError) -> String? {
        var ref: OpaquePointer?
        let code = git_reference_lookup(&ref, pointer, name)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try check(code, "look up \(name)")
        defer { git_reference_free(ref) }
        guard git_reference_type(ref) == GIT_REFERENCE_SYMBOLIC else { return nil }
        return git_reference_symbolic_target(ref).map { String(cString: $0) }
    }

    /// Whether the branch `refs/heads/<name>` is the HEAD of this repository or of any of its
    /// worktrees; git refuses to check a branch out in two places at once.
    public func isBranchCheckedOut(_ name: String) throws(GitError) -> Bool {
        var ref: OpaquePointer?
        let code = git_reference_lookup(&ref, pointer, "refs/heads/" + name)
        if code == GIT_ENOTFOUND.rawValue { return false }
        try check(code, "look up branch \(name)")
        defer { git_reference_free(ref) }
        return try check(git_branch_is_checked_out(ref), "check where \(name) is checked out") == 1
    }
}

extension GitError {
    /// What was to be created exists already (`GIT_EEXISTS`): a branch made by
    /// ``Repository/createBranch(_:at:logMessage:)`` that someone else made first.
    public var alreadyExists: Bool { code == GIT_EEXISTS.rawValue }
}
