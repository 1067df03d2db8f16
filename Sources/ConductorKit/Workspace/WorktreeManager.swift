import ConductorDomain
import Foundation
import GitKit

/// Makes, finds, commits in and removes runs' worktrees (docs/workspace.md).
///
/// Each run works in a linked worktree at `.git/conductor/worktrees/<run-id>` (git name: the
/// run id) on its task branch, which starts at the run's base commit. Everything here goes
/// through libgit2 and touches only the conductor's worktrees, their records under
/// `.git/worktrees/` and their task branches: the user's work tree, index and HEAD are
/// never written. Task branches are never deleted, except to undo a branch this
/// manager has just created when the worktree could not be made.
///
/// Several processes may each run a manager on one repository at once: branch creation is
/// atomic, each run has its own directories, and shared parent directories are made ahead
/// (``prepareDirectories()``).
public struct WorktreeManager {
    let repository: ConductorRepository

    public init(repository: ConductorRepository) {
        self.repository = repository
    }

    private var git: Repository { repository.git }

    /// `.git/conductor/worktrees`, absolute, in the common git directory shared by every
    /// worktree of the repository.
    public var worktreesDirectory: String { git.commonDirectory + WorkspaceLayout.worktreesDirectory }

    /// Where the run's worktree lives (whether or not it exists).
    public func path(for run: RunID) -> String { git.commonDirectory + WorkspaceLayout.worktreeDirectory(run) }

    // MARK: Precheck

    /// The run's task branch, validated: a record from another clone's state branch is
    /// checked as carefully as a name typed by the user.
    public static func taskBranch(of record: RunRecord) throws(ConductorError) -> TaskBranchName {
        do {
            return try TaskBranchName(validating: record.taskBranch)
        } catch {
            throw .invalidBranchName(Self.printable(record.taskBranch), reason: error.description)
        }
    }

    /// `text` as it is when it is printable ASCII, else quoted with escapes: record fields may
    /// come from another clone, and an error message must never carry control characters
    /// to the terminal.
    static func printable(_ text: String) -> String {
        text.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7f } ? text : text.debugDescription
    }

    /// Whether no branch of this name exists yet.
    public func isTaskBranchFree(_ branch: TaskBranchName) throws(ConductorError) -> Bool {
        try !gitCall { () throws(GitError) in try git.branchExists(branch.rawValue) }
    }

    /// The precheck "the task branch name is free": throws ``ConductorError/taskBranchExists(_:)``
    /// when it is not.
    public func requireTaskBranchFree(_ branch: TaskBranchName) throws(ConductorError) {
        guard try isTaskBranchFree(branch) else { throw .taskBranchExists(branch.rawValue) }
    }

    // MARK: Create, open, remove

    /// Creates the run's task branch at its base commit and a worktree on it.
    ///
    /// Fails with ``ConductorError/taskBranchExists(_:)`` when the branch exists (a new run
    /// never adopts someone else's branch), ``ConductorError/baseCommitMissing(_:)`` when the
    /// base is not here, and ``ConductorError/worktreeConflict(path:detail:)`` when the run
    /// already has a worktree or its directory is in the way. When the worktree cannot be
    /// made, the branch just created is deleted again, so a retry starts from scratch.
    public func create(for record: RunRecord) throws(ConductorError) -> RunWorkspace {
        let branch = try Self.taskBranch(of: record)
        guard let base = ObjectID(hex: record.baseCommit), git.objectExists(base) else {
            throw .baseCommitMissing(Self.printable(record.baseCommit))
        }
        let path = path(for: record.id)
        try requireTaskBranchFree(branch)
        if try registration(of: record.id) != nil {
            throw .worktreeConflict(path: path, detail: "run \(record.id) already has a worktree; open it instead of creating it")
        }
        try requireDirectoryFree(path)
        try prepareDirectories()
        do {
            try git.createBranch(branch.rawValue, at: base, logMessage: "git-conductor: task branch of run \(record.id)")
        } catch where error.alreadyExists {
            throw .taskBranchExists(branch.rawValue)
        } catch {
            throw .git(error)
        }
        do {
            try addWorktree(for: record.id, at: path, on: branch)
        } catch {
            // Only undo a branch nobody has committed to since: it is ours and still at the base.
            try? git.deleteReference(branch.reference, expected: base)
            throw error
        }
        return RunWorkspace(run: record.id, branch: branch, path: path, origin: .created)
    }

    /// The run's worktree, recreated from its task branch when its directory is gone (resume,
    /// possibly on another machine, or after an `rm -rf`).
    ///
    /// An existing worktree must have the task branch checked out; a stale record (directory
    /// deleted by hand) is pruned first. Fails with ``ConductorError/taskBranchMissing(_:)``
    /// when there is nothing to recreate it from.
    public func open(for record: RunRecord) throws(ConductorError) -> RunWorkspace {
        let branch = try Self.taskBranch(of: record)
        let path = path(for: record.id)
        let directoryExists = Self.isDirectory(path)
        if let worktree = try registration(of: record.id) {
            if directoryExists {
                _ = try checkout(at: path, on: branch)
                return RunWorkspace(run: record.id, branch: branch, path: path, origin: .existing)
            }
            if let reason = try gitCall({ () throws(GitError) in try worktree.lockReason() }) {
                throw .worktreeConflict(
                    path: path,
                    detail: "its directory is gone but git keeps its record locked (\(reason.isEmpty ? "no reason given" : reason)); run 'git worktree unlock \(worktree.name)' to let it be recreated"
                )
            }
            try gitCall { () throws(GitError) in try worktree.prune() }
        } else if directoryExists {
            throw .worktreeConflict(path: path, detail: "the directory exists but git has no worktree record for it")
        }
        guard try gitCall({ () throws(GitError) in try git.branchExists(branch.rawValue) }) else {
            throw .taskBranchMissing(branch.rawValue)
        }
        try prepareDirectories()
        try addWorktree(for: record.id, at: path, on: branch)
        return RunWorkspace(run: record.id, branch: branch, path: path, origin: .recreated)
    }

    /// Deletes the run's worktree directory and its record under `.git/worktrees/`; the task
    /// branch stays. Returns false when there was nothing to remove. A locked worktree is
    /// not removed: a lock is the user asking git to keep it.
    @discardableResult
    public func remove(for run: RunID) throws(ConductorError) -> Bool {
        let path = path(for: run)
        var removed = false
        if let worktree = try registration(of: run) {
            if let reason = try gitCall({ () throws(GitError) in try worktree.lockReason() }) {
                throw .worktreeConflict(
                    path: path,
                    detail: "it is locked (\(reason.isEmpty ? "no reason given" : reason)); run 'git worktree unlock \(worktree.name)' first"
                )
            }
            // The record's path is ours (registration(of:) matched it), so deleting the
            // working tree along with the record can only delete the run's directory.
            try gitCall { () throws(GitError) in try worktree.prune([.valid, .workingTree]) }
            removed = true
        }
        if FileManager.default.fileExists(atPath: path) {
            try Self.deleteDirectory(path)
            removed = true
        }
        return removed
    }

    /// Removes or keeps the worktree of a run that is now in `state`, as `retention` says;
    /// returns whether it was removed.
    @discardableResult
    public func finish(_ workspace: RunWorkspace, state: RunState, retention: WorktreeRetention = .default) throws(ConductorError) -> Bool {
        guard !retention.keepsWorktree(after: state) else { return false }
        return try remove(for: workspace.run)
    }

    // MARK: Committing

    /// Stages every change in the run's worktree (as `git add --all` there would) and commits
    /// it on the task branch, with the branch tip as the only parent; returns the new commit.
    ///
    /// Returns nil without committing when nothing changed, unless `allowEmpty`. Only the
    /// worktree's own index is written; the user's checkout is never opened.
    ///
    /// The branch moves by compare-and-swap from the tip read here, so two writers can never
    /// both move it. Pass the last commit the run made (or its base) as `expectedParent` to
    /// also catch a branch that someone else moved since: committing the worktree's files on
    /// top of their commit would silently revert it, so nothing is committed and
    /// ``ConductorError/worktreeConflict(path:detail:)`` says so.
    public func commitAll(
        in workspace: RunWorkspace,
        message: String,
        expectedParent: ObjectID? = nil,
        allowEmpty: Bool = false
    ) throws(ConductorError) -> ObjectID? {
        let checkout = try checkout(at: workspace.path, on: workspace.branch, run: workspace.run)
        guard let parent = try gitCall({ () throws(GitError) in try checkout.referenceTarget(workspace.branch.reference) }) else {
            throw .taskBranchMissing(workspace.branch.rawValue)
        }
        if let expectedParent, parent != expectedParent {
            throw .worktreeConflict(
                path: workspace.path,
                detail: "task branch \(workspace.branch) is at \(parent.short), not at \(expectedParent.short) where the run left it; nothing was committed"
            )
        }
        let tree = try gitCall { () throws(GitError) -> ObjectID in
            let index = try checkout.index()
            try index.stageAll()
            try index.write()
            return try index.writeTree()
        }
        if !allowEmpty, try gitCall({ () throws(GitError) in try checkout.commit(parent).tree }) == tree {
            return nil
        }
        let signature = repository.identity.signature(atMilliseconds: repository.clock.now().milliseconds)
        let subject = message.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
        do {
            let commit = try checkout.createCommit(
                tree: tree, parents: [parent], message: message, author: signature, committer: signature
            )
            try checkout.updateReference(
                workspace.branch.reference, to: commit, expected: parent, logMessage: "git-conductor: \(subject)"
            )
            return commit
        } catch where error.isConcurrentUpdate {
            throw .worktreeConflict(
                path: workspace.path,
                detail: "task branch \(workspace.branch) moved away from \(parent.short) while committing; nothing was committed"
            )
        } catch {
            throw .git(error)
        }
    }

    // MARK: Finding worktrees

    /// The conductor's registered worktrees by run: linked worktrees whose directory is
    /// `.git/conductor/worktrees/<run-id>`, whatever git named them. Every other worktree
    /// (the user's own) is left out, so nothing here ever touches it.
    func registrations() throws(ConductorError) -> [RunID: Worktree] {
        let directory = Self.canonical(worktreesDirectory)
        var found: [RunID: Worktree] = [:]
        for worktree in try gitCall({ () throws(GitError) in try git.worktrees() }) {
            let path = Self.canonical(worktree.path)
            let parent = (path as NSString).deletingLastPathComponent
            guard parent == directory, let run = RunID((path as NSString).lastPathComponent),
                  run.rawValue == (path as NSString).lastPathComponent
            else { continue }
            found[run] = worktree
        }
        return found
    }

    /// The run's registered worktree, found by its path.
    func registration(of run: RunID) throws(ConductorError) -> Worktree? {
        try registrations()[run]
    }

    /// Opens the worktree at `path` and checks that it is a linked worktree with `branch`
    /// checked out (and, for a ``RunWorkspace``, that it is the run's own directory), so
    /// nothing is ever staged or committed in the user's checkout.
    private func checkout(at path: String, on branch: TaskBranchName, run: RunID? = nil) throws(ConductorError) -> Repository {
        if let run, Self.canonical(path) != Self.canonical(self.path(for: run)) {
            throw .worktreeConflict(path: path, detail: "this is not the worktree of run \(run)")
        }
        guard Self.isDirectory(path) else {
            throw .worktreeConflict(path: path, detail: "the directory is missing; open the run's workspace again to recreate it")
        }
        let checkout: Repository
        do {
            checkout = try Repository.open(at: path)
        } catch {
            throw .worktreeConflict(path: path, detail: "not a git worktree: \(error.message)")
        }
        guard checkout.isLinkedWorktree else {
            throw .worktreeConflict(path: path, detail: "not a linked worktree of this repository")
        }
        let head = try gitCall { () throws(GitError) in try checkout.symbolicTarget(of: "HEAD") }
        guard head == branch.reference else {
            let actual = head.map { "HEAD is on \($0)" } ?? "HEAD is detached"
            throw .worktreeConflict(path: path, detail: "\(actual), not on the task branch \(branch)")
        }
        return checkout
    }

    // MARK: Making worktrees

    /// Adds the run's worktree, cleaning up whatever libgit2 left behind when that fails.
    private func addWorktree(for run: RunID, at path: String, on branch: TaskBranchName) throws(ConductorError) {
        let name = WorkspaceLayout.worktreeName(run)
        if let other = try gitCall({ () throws(GitError) in try git.worktree(named: name) }) {
            throw .worktreeConflict(path: path, detail: "git already has a worktree named \(name), at \(other.path)")
        }
        if try gitCall({ () throws(GitError) in try git.isBranchCheckedOut(branch.rawValue) }) {
            throw .worktreeConflict(
                path: path,
                detail: "task branch \(branch) is checked out elsewhere (see 'git worktree list'); git checks a branch out in one place only"
            )
        }
        try requireDirectoryFree(path)
        let record = git.commonDirectory + "worktrees/" + name
        let recordExisted = FileManager.default.fileExists(atPath: record)
        do {
            try git.addWorktree(named: name, at: path, checkingOut: branch.rawValue)
        } catch {
            if !recordExisted { try? FileManager.default.removeItem(atPath: record) }
            try? FileManager.default.removeItem(atPath: path)
            throw .git(error)
        }
    }

    /// Creates `.git/conductor/worktrees/` and `.git/worktrees/` if needed. libgit2 creates the
    /// latter only if it is missing, and fails if another process created it in between; made
    /// here first, two runs starting at once in a fresh clone cannot trip over each other.
    func prepareDirectories() throws(ConductorError) {
        for directory in [worktreesDirectory, git.commonDirectory + "worktrees"] {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw .fileSystem(path: directory, detail: error.localizedDescription)
            }
        }
    }

    private func requireDirectoryFree(_ path: String) throws(ConductorError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            throw .worktreeConflict(
                path: path,
                detail: isDirectory.boolValue ? "the directory exists but git has no worktree record for it" : "a file is in the way"
            )
        }
    }

    // MARK: Files

    static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    static func deleteDirectory(_ path: String) throws(ConductorError) {
        do {
            try FileManager.default.removeItem(atPath: path)
        } catch {
            throw .fileSystem(path: path, detail: error.localizedDescription)
        }
    }

    /// `path` with symbolic links resolved and no trailing slash, so that paths from libgit2,
    /// from git and from us compare equal. The part that does not exist is kept as written.
    static func canonical(_ path: String) -> String {
        var trimmed = path
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        if let resolved = realpath(trimmed, nil) {
            defer { free(resolved) }
            return String(cString: resolved)
        }
        let parent = (trimmed as NSString).deletingLastPathComponent
        guard !parent.isEmpty, parent != trimmed else { return trimmed }
        let resolvedParent = canonical(parent)
        return (resolvedParent == "/" ? "" : resolvedParent) + "/" + (trimmed as NSString).lastPathComponent
    }
}
