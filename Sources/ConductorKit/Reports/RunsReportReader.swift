import ConductorDomain

/// Reads what `git conductor report` over many runs needs: the summaries (through the
/// summary cache, so thousands of runs stay fast) and the last verification of each.
public struct RunsReportReader {
    let repository: ConductorRepository

    public init(repository: ConductorRepository) {
        self.repository = repository
    }

    /// The runs created in `since..<until` whose status is in `statuses` (all when empty).
    public func report(since: Timestamp?, until: Timestamp?, statuses: Set<String>) throws(ConductorError) -> RunsReport {
        guard let snapshot = try repository.stateSnapshot() else { return RunsReport(summaries: [], verifyResults: []) }
        _ = try snapshot.format()
        let summaries = try RunCatalog(repository: repository, snapshot: snapshot).summaries { summary in
            let created = summary.createdAt?.milliseconds ?? 0
            return since.map { created >= $0.milliseconds } ?? true && until.map { created < $0.milliseconds } ?? true
        }
        var statusByRun: [RunID: String] = [:]
        for summary in summaries { statusByRun[summary.id] = repository.displayStatus(summary) }
        let selected = statuses.isEmpty ? summaries : summaries.filter { statuses.contains(statusByRun[$0.id] ?? $0.status) }
        var results: [CommandResult] = []
        for summary in selected where summary.iterations > 0 && summary.status != "corrupt" {
            // A run whose last report is unreadable adds no timings; the rest still count.
            guard let bytes = try? snapshot.artifact("iterations/\(summary.iterations)/bist.json", of: summary.id),
                  let report = try? StateCoding.decode(BISTReport.self, from: bytes, path: "bist.json") else { continue }
            results += report.results
        }
        return RunsReport(summaries: selected, statuses: statusByRun, verifyResults: results)
    }
}
