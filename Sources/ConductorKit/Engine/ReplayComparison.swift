import ConductorDomain
import GitKit

/// Whether a replay reproduced the run it replayed: the same final state and the same tree
/// at the tip of the task branch.
public struct ReplayComparison: Sendable, Equatable {
    public let original: RunID
    public let originalState: RunState?
    public let replayState: RunState
    /// Tree ids at the tips of the two task branches; nil when a branch is gone.
    public let originalTree: ObjectID?
    public let replayTree: ObjectID?

    public var reproduced: Bool {
        originalState == replayState && originalTree != nil && originalTree == replayTree
    }

    /// Compares `replay`'s outcome with the run it replayed, as recorded in `repository`.
    public static func compare(_ replay: RunOutcome, in repository: ConductorRepository) throws(ConductorError) -> ReplayComparison? {
        let snapshot = try repository.requireStateSnapshot()
        guard let configuration = try snapshot.artifact(StateLayout.configurationFile, of: replay.run),
              case .replay(let original) = try StateCoding.decode(RunRequest.self, from: configuration, path: StateLayout.configurationFile).provider
        else { return nil }
        let history = try snapshot.history(of: original)
        return ReplayComparison(
            original: original, originalState: history.summary.state, replayState: replay.state,
            originalTree: try history.record.flatMap { record throws(ConductorError) in try tree(of: record.taskBranch, in: repository) },
            replayTree: try tree(of: replay.taskBranch, in: repository)
        )
    }

    private static func tree(of branch: String, in repository: ConductorRepository) throws(ConductorError) -> ObjectID? {
        try gitCall { () throws(GitError) -> ObjectID? in
            guard let tip = try repository.git.referenceTarget("refs/heads/" + branch) else { return nil }
            return try repository.git.commit(tip).tree
        }
    }
}
