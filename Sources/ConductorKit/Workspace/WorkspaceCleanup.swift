import ConductorDomain
import Foundation
import GitKit

/// What `git conductor gc` did (or, in a dry run, would do) to each of the conductor's
/// worktrees.
public struct WorkspaceCleanup: Sendable, Equatable {
    /// One worktree and its fate.
    public struct Item: Sendable, Equatable {
        public let run: RunID
        public let path: String
        public let decision: WorktreeSweep.Decision
        /// Where the run stands on the state branch.
        public let progress: RunProgress
    }

    /// Whether nothing was changed, only decided.
    public let dryRun: Bool
    /// Every worktree and stray directory found, by run id.
    public let items: [Item]

    /// Worktrees (and record-less directories) of finished runs, deleted.
    public var removed: [Item] { items.filter { $0.decision == .remove || $0.decision == .deleteDirectory } }
    /// Stale records whose directory was already gone, pruned.
    public var pruned: [Item] { items.filter { $0.decision == .prune } }
    /// Worktrees left alone, each with its reason.
    public var kept: [Item] {
        items.filter { if case .keep = $0.decision { true } else { false } }
    }
}

extension WorktreeManager {
    /// What is there: every registered conductor worktree, plus every directory under
    /// `.git/conductor/worktrees/` named like a run that git has no record of.
    public func observe() throws(ConductorError) -> [WorktreeObservation] {
        var observations: [RunID: WorktreeObservation] = [:]
        for (run, worktree) in try registrations() {
            observations[run] = WorktreeObservation(
                run: run,
                registered: true,
                directoryExists: Self.isDirectory(path(for: run)),
                lockReason: try gitCall { () throws(GitError) in try worktree.lockReason() }
            )
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: worktreesDirectory)) ?? []
        for name in names {
            guard let run = RunID(name), run.rawValue == name, observations[run] == nil,
                  Self.isDirectory(path(for: run))
            else { continue }
            observations[run] = WorktreeObservation(run: run, registered: false, directoryExists: true)
        }
        return observations.values.sorted { $0.run < $1.run }
    }

    /// Removes the worktrees of finished runs, prunes stale records and deletes stray
    /// directories of finished runs, as ``WorktreeSweep/decide(_:run:)`` rules; task branches
    /// stay. `progress` says where each run stands. With `dryRun`, decides and changes nothing.
    ///
    /// Only the conductor's worktrees are considered: the user's own worktrees, stale or not,
    /// are theirs to prune with `git worktree prune`.
    public func gc(
        dryRun: Bool = false,
        progress: (RunID) throws(ConductorError) -> RunProgress
    ) throws(ConductorError) -> WorkspaceCleanup {
        var items: [WorkspaceCleanup.Item] = []
        for observation in try observe() {
            let runProgress = try progress(observation.run)
            let decision = WorktreeSweep.decide(observation, run: runProgress)
            let path = path(for: observation.run)
            if !dryRun { try apply(decision, to: observation.run, at: path) }
            items.append(WorkspaceCleanup.Item(run: observation.run, path: path, decision: decision, progress: runProgress))
        }
        return WorkspaceCleanup(dryRun: dryRun, items: items)
    }

    /// ``gc(dryRun:progress:)`` with each run's state read from `snapshot` (nil when there is
    /// no state branch: then no run is known, and only stale records are pruned).
    public func gc(stateOf snapshot: StateSnapshot?, dryRun: Bool = false) throws(ConductorError) -> WorkspaceCleanup {
        try gc(dryRun: dryRun) { (run) throws(ConductorError) -> RunProgress in
            guard let snapshot else { return .unknown }
            do throws(ConductorError) {
                return RunProgress(state: try snapshot.history(of: run).summary.state)
            } catch {
                if case .runNotFound = error { return .unknown }
                throw error
            }
        }
    }

    private func apply(_ decision: WorktreeSweep.Decision, to run: RunID, at path: String) throws(ConductorError) {
        switch decision {
        case .remove:
            try remove(for: run)
        case .prune:
            // Without the `valid` flag libgit2 refuses if the directory came back meanwhile.
            guard let worktree = try registration(of: run) else { return }
            try gitCall { () throws(GitError) in try worktree.prune() }
        case .deleteDirectory:
            try Self.deleteDirectory(path)
        case .keep, .nothing:
            break
        }
    }
}
