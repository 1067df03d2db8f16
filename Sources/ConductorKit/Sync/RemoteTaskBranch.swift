import ConductorDomain
import GitKit

/// Brings a run's task branch from a remote-tracking ref into `refs/heads/` so that a run
/// started and pushed by another clone can be resumed here: the engine then recreates the
/// run's worktree from that branch instead of starting a new one at the base commit.
///
/// A local branch is only ever created, never moved: one that exists already is left as it is.
public struct RemoteTaskBranch {
    let repository: ConductorRepository

    public init(repository: ConductorRepository) {
        self.repository = repository
    }

    /// Creates the task branch of the run `text` names from the copy a remote has, when the
    /// run has not ended and the branch does not exist here; returns what it did, or nil
    /// when there was nothing to do.
    public func adoptForResume(_ text: String) throws(ConductorError) -> String? {
        let git = repository.git
        guard let snapshot = try repository.stateSnapshot() else { return nil }
        _ = try snapshot.format()
        let history = try snapshot.history(of: snapshot.resolve(text))
        guard let record = history.record, history.summary.state?.isFinal != true else { return nil }
        let branch = try WorktreeManager.taskBranch(of: record).rawValue
        if try gitCall({ () throws(GitError) in try git.branchExists(branch) }) { return nil }
        guard let (source, tip) = try remoteCopy(of: branch) else { return nil }
        do {
            try git.createBranch(branch, at: tip, logMessage: "git-conductor resume: task branch from \(source)")
        } catch where error.alreadyExists {
            return nil
        } catch {
            throw .git(error)
        }
        return "created task branch \(branch) at \(tip.short) from \(source), where another clone pushed it"
    }

    /// The remote-tracking copy of `branch`: `pull` fetches task branches to
    /// `refs/conductor/remotes/<remote>/branches/…`; a plain clone has `refs/remotes/<remote>/…`.
    /// The default remote's copy wins; otherwise the first in name order.
    func remoteCopy(of branch: String) throws(ConductorError) -> (String, ObjectID)? {
        let git = repository.git
        let preferred = try GitTransport(repository: repository).defaultRemote()
        let remotes = try gitCall { () throws(GitError) in try git.remoteNames() }
        let ordered = remotes.filter { $0 == preferred } + remotes.filter { $0 != preferred }.sorted()
        for remote in ordered {
            for name in [GitTransport.trackingBranch(remote, branch), "refs/remotes/\(remote)/\(branch)"] {
                if let tip = try gitCall({ () throws(GitError) in try git.referenceTarget(name) }) { return (name, tip) }
            }
        }
        return nil
    }
}
