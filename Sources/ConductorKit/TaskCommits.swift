import ConductorDomain
import GitKit

/// One commit a run made on its task branch, with its conductor note.
public struct TaskCommit: Sendable, Equatable {
    public let id: ObjectID
    public let subject: String
    /// The raw note text, or nil when the commit has none (rewritten history, say).
    public let note: String?
}

extension ConductorRepository {
    /// The commits of `branch` above the commit `base`, newest first, each with its note.
    public func taskCommits(onBranch branch: String, above base: String?) throws(ConductorError) -> [TaskCommit] {
        let commits = try gitCall { () throws(GitError) -> [CommitInfo] in
            guard let tip = try git.referenceTarget("refs/heads/\(branch)") else { return [] }
            var commits: [CommitInfo] = []
            for id in try git.walkCommits(from: tip) {
                if id.hex == base { break }
                commits.append(try git.commit(id))
            }
            return commits
        }
        var result: [TaskCommit] = []
        for commit in commits {
            let subject = commit.message.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
            result.append(TaskCommit(id: commit.id, subject: subject, note: try notes().text(for: commit.id)))
        }
        return result
    }
}
