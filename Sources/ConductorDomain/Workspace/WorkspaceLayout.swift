/// Where a run's worktree lives, relative to the repository's common git directory (the
/// `.git/` shared by every worktree): `conductor/worktrees/<run-id>`.
///
/// Inside `.git/`, a worktree is invisible to the user's `git status`, cannot be committed by
/// accident, and goes away with the clone. Its git name (the directory under `.git/worktrees/`)
/// is the run id too, so `git worktree list` and the state branch speak of the same thing.
public enum WorkspaceLayout {
    /// The directory holding every run's worktree, relative to the common git directory.
    public static let worktreesDirectory = "conductor/worktrees"

    /// A run's worktree directory, relative to the common git directory.
    public static func worktreeDirectory(_ run: RunID) -> String { "\(worktreesDirectory)/\(run)" }

    /// The worktree's git name: the run id, which is short, unique and safe as a directory name.
    public static func worktreeName(_ run: RunID) -> String { run.rawValue }
}

/// What becomes of a run's worktree when the run ends. The default keeps a failed run's files
/// for inspection and removes a successful run's, whose work is on its task branch anyway.
public enum WorktreeRetention: String, Sendable, Codable, CaseIterable {
    /// Keep the worktree unless the run completed.
    case keepOnFailure = "on-failure"
    /// Keep every worktree until `git conductor gc`.
    case always
    /// Remove the worktree as soon as the run ends, however it ended.
    case never

    public static let `default` = WorktreeRetention.keepOnFailure

    /// Whether a run that is now in `state` keeps its worktree. A run that has not ended
    /// (paused, awaiting approval…) always does: it will need it again.
    public func keepsWorktree(after state: RunState) -> Bool {
        guard state.isFinal else { return true }
        switch self {
        case .keepOnFailure: return state != .complete
        case .always: return true
        case .never: return false
        }
    }
}
