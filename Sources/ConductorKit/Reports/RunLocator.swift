import ConductorDomain
import Foundation
import GitKit

/// Finds the run a reviewer means: a run id or prefix; else the run that made a branch (the
/// one named, or the current one). A branch's run is found through the notes on its
/// commits, then their `Conductor-Run` trailers (which survive a rebase or a squash that
/// drops notes), then the state branch's record of task branches.
public struct RunLocator {
    let repository: ConductorRepository
    /// How far down a branch to look for a note or a trailer.
    static let commitLimit = 500

    public init(repository: ConductorRepository) {
        self.repository = repository
    }

    public func locate(run text: String?, branch: String?) throws(ConductorError) -> (id: RunID, source: RunSource) {
        let snapshot = try repository.requireStateSnapshot()
        _ = try snapshot.format()
        if let text { return (try snapshot.resolve(text), .argument) }
        let name: String
        if let branch { name = branch } else { name = try currentBranch() }
        guard let tip = try gitCall({ () throws(GitError) in try repository.git.referenceTarget("refs/heads/" + name) }) else {
            throw .branchNotFound(name)
        }
        if let found = try fromCommits(from: tip, in: snapshot) { return found }
        let runs = try RunCatalog(repository: repository, snapshot: snapshot).summaries { $0.taskBranch == name }
        guard let run = runs.first else { throw .noRunForBranch(name) }
        return (run.id, .stateBranch)
    }

    /// The branch HEAD names; a detached HEAD names none.
    func currentBranch() throws(ConductorError) -> String {
        guard let target = try gitCall({ () throws(GitError) in try repository.git.symbolicTarget(of: "HEAD") }),
              target.hasPrefix("refs/heads/") else {
            throw .noRunForBranch("HEAD (detached)")
        }
        return String(target.dropFirst("refs/heads/".count))
    }

    /// The newest commit's note naming a run, else the newest `Conductor-Run` trailer.
    private func fromCommits(from tip: ObjectID, in snapshot: StateSnapshot) throws(ConductorError) -> (RunID, RunSource)? {
        let commits = try gitCall { () throws(GitError) in try repository.git.walkCommits(from: tip, limit: Self.commitLimit) }
        let known = Set(try snapshot.runDirectories().map(\.id))
        let notes = try repository.notes()
        for commit in commits {
            if let note = try notes.note(for: commit), known.contains(note.runID) { return (note.runID, .note) }
        }
        for commit in commits {
            let message = try gitCall { () throws(GitError) in try repository.git.commit(commit).message }
            if let id = Self.trailerRuns(in: message).first(where: known.contains) { return (id, .trailer) }
        }
        return nil
    }

    /// Run ids in `Conductor-Run:` trailer lines; a squash keeps every squashed message, so
    /// there may be several.
    static func trailerRuns(in message: String) -> [RunID] {
        message.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("Conductor-Run:") else { return nil }
            return RunID(line.dropFirst("Conductor-Run:".count).trimmingCharacters(in: .whitespaces))
        }
    }
}
