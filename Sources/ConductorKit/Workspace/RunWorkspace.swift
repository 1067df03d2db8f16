import ConductorDomain

/// A run's own git worktree: a checkout of its task branch under
/// `.git/conductor/worktrees/<run-id>`, where edits are applied, verify commands run and
/// commits are made, so the user's checkout is never touched and several runs can work at once.
///
/// Only ``WorktreeManager`` makes these, after checking that the worktree is registered with
/// git and has the task branch checked out; a hand-made value could point anywhere, and
/// ``WorktreeManager/commitAll(in:message:expectedParent:allowEmpty:)`` must never stage in the user's index.
public struct RunWorkspace: Sendable, Equatable {
    /// How the worktree came to be there when the workspace was handed out.
    public enum Origin: String, Sendable, Equatable {
        /// Made now, with a new task branch at the base commit.
        case created
        /// Already there and on its task branch.
        case existing
        /// Its directory was gone; made again from the task branch (resume).
        case recreated
    }

    public let run: RunID
    public let branch: TaskBranchName
    /// The worktree's directory: absolute, without a trailing slash.
    public let path: String
    public let origin: Origin

    init(run: RunID, branch: TaskBranchName, path: String, origin: Origin) {
        self.run = run
        self.branch = branch
        self.path = path
        self.origin = origin
    }
}
