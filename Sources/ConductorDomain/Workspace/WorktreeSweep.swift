/// What `git conductor gc` found about one run's worktree, gathered by the adapter so that
/// the decision itself (``WorktreeSweep/decide(_:run:)``) is a pure function with a table test.
public struct WorktreeObservation: Sendable, Equatable {
    public let run: RunID
    /// Whether git has a worktree record for it (under `.git/worktrees/`).
    public let registered: Bool
    /// Whether its directory under `.git/conductor/worktrees/` exists.
    public let directoryExists: Bool
    /// Why it is locked (`git worktree lock`), empty for no reason given; nil when unlocked.
    public let lockReason: String?

    public init(run: RunID, registered: Bool, directoryExists: Bool, lockReason: String? = nil) {
        self.run = run
        self.registered = registered
        self.directoryExists = directoryExists
        self.lockReason = lockReason
    }
}

/// Where a run stands, as far as cleaning up its worktree is concerned.
public enum RunProgress: Sendable, Equatable {
    /// The run reached a final state; nothing will use its worktree again.
    case finished(RunState)
    /// The run has not ended (nil: no transition recorded yet); it may be running right now.
    case active(RunState?)
    /// The state branch has no such run (another clone's run, or a branch that was reset).
    case unknown

    /// The progress of a run whose last state is `state`.
    public init(state: RunState?) {
        if let state, state.isFinal { self = .finished(state) } else { self = .active(state) }
    }
}

/// The rules of `git conductor gc`, as a pure decision.
public enum WorktreeSweep {
    /// What to do with one worktree.
    public enum Decision: Sendable, Equatable {
        /// Delete the directory and its worktree record: the run is over.
        case remove
        /// Delete the worktree record only: its directory is already gone.
        case prune
        /// Delete a directory git has no record of: the run is over.
        case deleteDirectory
        /// Leave it alone, for the reason given.
        case keep(KeepReason)
        /// Neither a record nor a directory: there is nothing to clean.
        case nothing
    }

    /// Why a worktree is kept.
    public enum KeepReason: Sendable, Equatable, CustomStringConvertible {
        case locked(String)
        case active(RunState?)
        case unknownRun

        public var description: String {
            switch self {
            case .locked(let reason): reason.isEmpty ? "locked" : "locked: \(reason)"
            case .active(let state): "run is \(state?.displayName ?? "new")"
            case .unknownRun: "no such run on the state branch"
            }
        }
    }

    /// Decides the fate of one worktree:
    ///
    /// | locked | record | directory | run      | decision |
    /// |--------|--------|-----------|----------|----------|
    /// | yes    | any    | any       | any      | keep: a lock is the user saying so |
    /// | no     | yes    | missing   | any      | prune the stale record |
    /// | no     | yes    | present   | finished | remove |
    /// | no     | no     | present   | finished | delete the directory |
    /// | no     | any    | present   | active   | keep |
    /// | no     | any    | present   | unknown  | keep: it may be another clone's run |
    ///
    /// A stale record is pruned whatever the run's state: the directory is gone, and resuming
    /// prunes it anyway before recreating the worktree from the task branch. A run the state
    /// branch does not know is never cleaned: deleting files on a guess is worse than keeping them.
    public static func decide(_ observation: WorktreeObservation, run progress: RunProgress) -> Decision {
        if let reason = observation.lockReason { return .keep(.locked(reason)) }
        switch (observation.registered, observation.directoryExists, progress) {
        case (false, false, _): return .nothing
        case (true, false, _): return .prune
        case (true, true, .finished): return .remove
        case (false, true, .finished): return .deleteDirectory
        case (_, true, .active(let state)): return .keep(.active(state))
        case (_, true, .unknown): return .keep(.unknownRun)
        }
    }
}
