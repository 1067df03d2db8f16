import ConductorDomain
import GitKit

/// Reads what a ``RunDigest`` is made of: the run's record, events and files on the state
/// branch, and the diff of its task branch. Only reads, so it works in any clone that
/// pulled the state, such as a CI job that never ran the conductor.
public struct RunDigestReader {
    let repository: ConductorRepository

    public init(repository: ConductorRepository) {
        self.repository = repository
    }

    public func digest(of run: RunID, foundThrough source: RunSource) throws(ConductorError) -> RunDigest {
        let snapshot = try repository.requireStateSnapshot()
        let history = try snapshot.history(of: run)
        guard let record = history.record else {
            throw .corruptState(path: StateLayout.runRecord(run), detail: history.problems.first ?? "missing")
        }
        let tip = try gitCall { () throws(GitError) in try repository.git.referenceTarget("refs/heads/" + record.taskBranch) }
        var digest = RunDigestAssembler(
            record: record, events: history.events,
            plan: try decoded(Plan.self, StateLayout.planFile, of: run, in: snapshot),
            planMarkdown: try snapshot.artifact("plan.md", of: run).map { String(decoding: $0, as: UTF8.self) },
            verifyCommands: try decoded(RunRequest.self, StateLayout.configurationFile, of: run, in: snapshot)?.verifyCommands.map(\.commandLine) ?? [],
            reports: try reports(of: history, in: snapshot), changes: try changes(from: record.baseCommit, to: tip),
            tipCommit: tip?.hex, foundThrough: source
        ).digest()
        digest.pullRequestURL = history.events.lazy.reversed().compactMap(\.payload.pullRequestURL).first
        return digest
    }

    /// `iterations/<n>/bist.json` of every iteration the run started.
    private func reports(of history: RunHistory, in snapshot: StateSnapshot) throws(ConductorError) -> [Int: BISTReport] {
        var reports: [Int: BISTReport] = [:]
        for event in history.events {
            guard case .iterationStarted(let number) = event.payload else { continue }
            reports[number] = try decoded(BISTReport.self, "iterations/\(number)/bist.json", of: history.id, in: snapshot)
        }
        return reports
    }

    private func changes(from base: String, to tip: ObjectID?) throws(ConductorError) -> [RunDigest.FileChange] {
        guard let tip, let base = ObjectID(hex: base), repository.git.objectExists(base) else { return [] }
        return try gitCall { () throws(GitError) in try repository.git.diffStats(from: base, to: tip) }.map { stat in
            RunDigest.FileChange(
                path: stat.path, oldPath: stat.oldPath, status: stat.status.rawValue,
                insertions: stat.insertions, deletions: stat.deletions, binary: stat.isBinary
            )
        }
    }

    private func decoded<Value: Decodable>(_ type: Value.Type, _ path: String, of run: RunID, in snapshot: StateSnapshot) throws(ConductorError) -> Value? {
        guard let bytes = try snapshot.artifact(path, of: run) else { return nil }
        return try StateCoding.decode(type, from: bytes, path: StateLayout.artifact(run, path) ?? path)
    }
}
