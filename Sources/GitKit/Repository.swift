import CLibgit2

/// An open git repository. Owns the libgit2 handle and frees it when released.
///
/// Not `Sendable`: libgit2 handles must not be shared across threads without locking,
/// so each task opens its own `Repository`.
public final class Repository {
    let pointer: OpaquePointer

    private init(pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        git_repository_free(pointer)
    }

    /// Opens the repository the way the `git` command does: from `GIT_DIR` (and `GIT_WORK_TREE`)
    /// when set, otherwise by searching upward from `directory`, stopping at `GIT_CEILING_DIRECTORIES`.
    ///
    /// libgit2's own `GIT_REPOSITORY_OPEN_FROM_ENV` refuses `GIT_WORK_TREE`, so the variables are
    /// honoured here instead. Relative paths in them are taken from `directory`, and with
    /// `GIT_DIR` but no `GIT_WORK_TREE` (nor `core.worktree`) `directory` is the work tree, as in git.
    public static func discover(
        from directory: String,
        environment: [String: String]
    ) throws(GitError) -> Repository {
        Libgit2.ensureInitialized()
        guard let gitDir = environment["GIT_DIR"], !gitDir.isEmpty else {
            return try open(path: directory, flags: 0, ceilings: environment["GIT_CEILING_DIRECTORIES"])
        }
        let repository = try open(
            path: absolute(gitDir, from: directory),
            flags: GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue | GIT_REPOSITORY_OPEN_NO_DOTGIT.rawValue,
            ceilings: nil
        )
        let workTree: String?
        if let explicit = environment["GIT_WORK_TREE"], !explicit.isEmpty {
            workTree = absolute(explicit, from: directory)
        } else if !repository.isBare, try repository.configSnapshot().string("core.worktree") == nil {
            workTree = directory
        } else {
            workTree = nil
        }
        if let workTree {
            try check(git_repository_set_workdir(repository.pointer, workTree, 0), "use work tree \(workTree)")
        }
        return repository
    }

    private static func absolute(_ path: String, from directory: String) -> String {
        path.hasPrefix("/") ? path : directory + "/" + path
    }

    /// Opens exactly the repository at `path` (a work tree or a git directory), without searching.
    public static func open(at path: String) throws(GitError) -> Repository {
        Libgit2.ensureInitialized()
        return try open(path: path, flags: GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue, ceilings: nil)
    }

    /// Creates a new repository at `path`; used by tests, benchmarks and the demo.
    public static func create(at path: String, bare: Bool = false) throws(GitError) -> Repository {
        Libgit2.ensureInitialized()
        var raw: OpaquePointer?
        try check(git_repository_init(&raw, path, bare ? 1 : 0), "create repository at \(path)")
        return Repository(pointer: raw!)
    }

    private static func open(path: String, flags: UInt32, ceilings: String?) throws(GitError) -> Repository {
        var raw: OpaquePointer?
        try check(git_repository_open_ext(&raw, path, flags, ceilings), "open repository at \(path)")
        return Repository(pointer: raw!)
    }

    /// The git directory (`.git/`, or the worktree's private git directory), with a trailing slash.
    public var gitDirectory: String { String(cString: git_repository_path(pointer)) }

    /// The directory shared by all worktrees, where refs and objects live, with a trailing slash.
    public var commonDirectory: String { String(cString: git_repository_commondir(pointer)) }

    /// The working directory, or nil for a bare repository.
    public var workingDirectory: String? { git_repository_workdir(pointer).map { String(cString: $0) } }

    /// Whether the repository is bare.
    public var isBare: Bool { git_repository_is_bare(pointer) == 1 }

    /// Whether the repository is a shallow clone.
    public var isShallow: Bool { git_repository_is_shallow(pointer) == 1 }

    /// Names of the configured remotes.
    public func remoteNames() throws(GitError) -> [String] {
        var names = git_strarray()
        try check(git_remote_list(&names, pointer), "list remotes")
        defer { git_strarray_dispose(&names) }
        return (0..<names.count).compactMap { names.strings[$0].map { String(cString: $0) } }
    }
}
