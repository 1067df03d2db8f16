import CLibgit2

/// A repository's index (staging area), loaded from disk. Owns the libgit2 handle and frees it
/// when released.
///
/// Changes are made in memory; ``write()`` saves them. Open the index of a linked worktree
/// through a ``Repository`` opened at the worktree's path: each worktree has its own index,
/// so staging there never touches the main checkout's.
public final class Index {
    let pointer: OpaquePointer
    /// Keeps the repository alive while the index is in use.
    private let repository: Repository

    init(pointer: OpaquePointer, repository: Repository) {
        self.pointer = pointer
        self.repository = repository
    }

    deinit {
        git_index_free(pointer)
    }

    /// How many entries the index holds.
    public var count: Int { git_index_entrycount(pointer) }

    /// The paths of every entry, in index order (sorted by path).
    public var paths: [String] {
        (0..<count).compactMap { git_index_get_byindex(pointer, $0).map { String(cString: $0.pointee.path) } }
    }

    /// Stages every change in the work tree, as `git add --all` does: new and modified files
    /// (except ignored ones) are added, deleted files are removed from the index.
    public func stageAll() throws(GitError) {
        // An empty pathspec matches every path.
        var everything = git_strarray(strings: nil, count: 0)
        try check(git_index_add_all(pointer, &everything, GIT_INDEX_ADD_DEFAULT.rawValue, nil, nil), "stage new and changed files")
        try check(git_index_update_all(pointer, &everything, nil, nil), "stage deleted files")
    }

    /// Saves the index to disk (atomically, through its lock file).
    public func write() throws(GitError) {
        try check(git_index_write(pointer), "write index")
    }

    /// Writes the index's content as tree objects and returns the root tree's id; the
    /// index itself is not saved (see ``write()``).
    public func writeTree() throws(GitError) -> ObjectID {
        var oid = git_oid()
        try check(git_index_write_tree(&oid, pointer), "write tree from index")
        return ObjectID(oid)
    }

    /// Re-reads the index from disk, dropping unsaved changes.
    public func reload() throws(GitError) {
        try check(git_index_read(pointer, 1), "read index")
    }
}

extension Repository {
    /// The repository's index: for a repository opened at a linked worktree, that worktree's own.
    public func index() throws(GitError) -> Index {
        var raw: OpaquePointer?
        try check(git_repository_index(&raw, pointer), "open index")
        return Index(pointer: raw!, repository: self)
    }
}

extension Repository {
    /// Makes the index and working tree match HEAD again, as `git reset --hard && git clean -fd`
    /// would, except that ignored files (build output) stay. Resuming a run uses it to drop
    /// whatever a crashed process had half-written since its last commit.
    public func discardWorkingChanges() throws(GitError) {
        var options = git_checkout_options()
        try check(git_checkout_options_init(&options, UInt32(GIT_CHECKOUT_OPTIONS_VERSION)), "prepare checkout options")
        options.checkout_strategy = GIT_CHECKOUT_FORCE.rawValue | GIT_CHECKOUT_REMOVE_UNTRACKED.rawValue
        try check(git_checkout_head(pointer, &options), "check out HEAD")
    }
}
