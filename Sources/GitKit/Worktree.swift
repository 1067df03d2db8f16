import CLibgit2

/// What ``Worktree/prune(_:)`` may remove despite the safety checks, as libgit2's
/// `git_worktree_prune_t` flags.
public struct WorktreePruneOptions: OptionSet, Sendable {
    public let rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    /// Prune even though the worktree is valid (its directory still exists).
    public static let valid = WorktreePruneOptions(rawValue: GIT_WORKTREE_PRUNE_VALID.rawValue)
    /// Prune even though the worktree is locked.
    public static let locked = WorktreePruneOptions(rawValue: GIT_WORKTREE_PRUNE_LOCKED.rawValue)
    /// Delete the worktree's directory too, not only its record under `.git/worktrees/`.
    public static let workingTree = WorktreePruneOptions(rawValue: GIT_WORKTREE_PRUNE_WORKING_TREE.rawValue)
}

/// A linked worktree of a repository (`git worktree`), held open. Owns the libgit2 handle
/// and frees it when released.
///
/// A worktree has a name (its directory under `.git/worktrees/`, where git keeps its HEAD,
/// index and logs) and a path (its working directory, which holds a `.git` file pointing back).
public final class Worktree {
    let pointer: OpaquePointer
    /// Keeps the repository alive while the worktree is in use.
    private let repository: Repository

    init(pointer: OpaquePointer, repository: Repository) {
        self.pointer = pointer
        self.repository = repository
    }

    deinit {
        git_worktree_free(pointer)
    }

    /// The worktree's name: its directory under `.git/worktrees/`.
    public var name: String { String(cString: git_worktree_name(pointer)) }

    /// The worktree's working directory, absolute, without a trailing slash.
    public var path: String {
        var path = String(cString: git_worktree_path(pointer))
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        return path
    }

    /// Throws a ``GitError`` saying why the worktree is not valid: its directory, its record
    /// or the repository it belongs to is missing. Returns when it is valid.
    public func validate() throws(GitError) {
        try check(git_worktree_validate(pointer), "validate worktree \(name)")
    }

    /// Whether ``validate()`` passes.
    public var isValid: Bool { git_worktree_validate(pointer) == 0 }

    /// Why the worktree is locked (empty when no reason was given), or nil when it is not.
    ///
    /// libgit2 returns the `locked` file as it is, and `git worktree lock --reason` ends it
    /// with a newline; the reason is returned without surrounding white space.
    public func lockReason() throws(GitError) -> String? {
        var reason = git_buf()
        defer { git_buf_dispose(&reason) }
        let locked = try check(git_worktree_is_locked(&reason, pointer), "check lock of worktree \(name)")
        guard locked > 0 else { return nil }
        let text = reason.ptr.map { String(cString: $0) } ?? ""
        return String(text.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }

    /// Locks the worktree so that `git worktree prune` and `remove` leave it alone.
    public func lock(reason: String?) throws(GitError) {
        try check(git_worktree_lock(pointer, reason), "lock worktree \(name)")
    }

    /// Unlocks the worktree; does nothing when it is not locked.
    public func unlock() throws(GitError) {
        try check(git_worktree_unlock(pointer), "unlock worktree \(name)")
    }

    /// Whether ``prune(_:)`` with these options would go ahead.
    public func isPrunable(_ options: WorktreePruneOptions = []) -> Bool {
        var raw = Self.pruneOptions(options)
        return git_worktree_is_prunable(pointer, &raw) > 0
    }

    /// Deletes the worktree's record under `.git/worktrees/<name>`, and with
    /// ``WorktreePruneOptions/workingTree`` its directory too. Without
    /// ``WorktreePruneOptions/valid`` only a stale worktree (whose directory is gone) is
    /// pruned, and without ``WorktreePruneOptions/locked`` a locked one never is: libgit2 then
    /// throws, saying which check stopped it. Branches are never touched.
    public func prune(_ options: WorktreePruneOptions = []) throws(GitError) {
        var raw = Self.pruneOptions(options)
        try check(git_worktree_prune(pointer, &raw), "prune worktree \(name)")
    }

    private static func pruneOptions(_ options: WorktreePruneOptions) -> git_worktree_prune_options {
        var raw = git_worktree_prune_options()
        git_worktree_prune_options_init(&raw, UInt32(GIT_WORKTREE_PRUNE_OPTIONS_VERSION))
        raw.flags = options.rawValue
        return raw
    }
}

extension Repository {
    /// The names of the repository's linked worktrees (not the main one), valid or not.
    public func worktreeNames() throws(GitError) -> [String] {
        var names = git_strarray()
        try check(git_worktree_list(&names, pointer), "list worktrees")
        defer { git_strarray_dispose(&names) }
        return (0..<names.count).compactMap { names.strings[$0].map { String(cString: $0) } }
    }

    /// The linked worktree called `name`, or nil when there is none.
    public func worktree(named name: String) throws(GitError) -> Worktree? {
        // libgit2 reports a missing worktree as a generic error without a message, so ask
        // the list first; the name is then known to have a well-formed record.
        guard try worktreeNames().contains(name) else { return nil }
        var raw: OpaquePointer?
        try check(git_worktree_lookup(&raw, pointer, name), "look up worktree \(name)")
        return Worktree(pointer: raw!, repository: self)
    }

    /// Every linked worktree, in the order libgit2 lists them.
    public func worktrees() throws(GitError) -> [Worktree] {
        var worktrees: [Worktree] = []
        for name in try worktreeNames() {
            if let worktree = try worktree(named: name) { worktrees.append(worktree) }
        }
        return worktrees
    }

    /// Adds a linked worktree called `name` at `path` with `branch` (a short name, such as
    /// `conductor/fix-x`) checked out, like `git worktree add <path> <branch>`.
    ///
    /// `path` must not exist yet and its parent must; the branch must exist and must not be
    /// checked out anywhere else. This repository's own HEAD, index and work tree are not
    /// touched: the new worktree gets its own HEAD and index under `.git/worktrees/<name>/`.
    /// libgit2 leaves whatever it created behind when it fails midway; see
    /// ``worktree(named:)`` and ``Worktree/prune(_:)`` to clean up.
    @discardableResult
    public func addWorktree(named name: String, at path: String, checkingOut branch: String, locked: Bool = false) throws(GitError) -> Worktree {
        // libgit2 1.5 takes the name as a directory name under .git/worktrees/ without
        // checking it; a '/' or a leading '.' would put the record somewhere else.
        guard !name.isEmpty, !name.contains("/"), !name.hasPrefix(".") else {
            throw GitError(
                code: GIT_EINVALIDSPEC.rawValue, errorClass: "worktree",
                message: "'\(name)' is not a valid worktree name", operation: "add worktree \(name)"
            )
        }
        var ref: OpaquePointer?
        try check(git_reference_lookup(&ref, pointer, "refs/heads/" + branch), "look up branch \(branch)")
        defer { git_reference_free(ref) }
        var options = git_worktree_add_options()
        try check(git_worktree_add_options_init(&options, UInt32(GIT_WORKTREE_ADD_OPTIONS_VERSION)), "prepare worktree options")
        options.ref = ref
        options.lock = locked ? 1 : 0
        var raw: OpaquePointer?
        try check(git_worktree_add(&raw, pointer, name, path, &options), "add worktree \(name) at \(path) on \(branch)")
        return Worktree(pointer: raw!, repository: self)
    }

    /// Whether this repository was opened through a linked worktree.
    public var isLinkedWorktree: Bool { git_repository_is_worktree(pointer) == 1 }
}
