import ConductorDomain
import GitKit

/// Lists run summaries newest first, as `git conductor log` shows them.
///
/// Only the runs a listing needs are read: `--limit 50` over 10 000 runs lists run
/// directories (one tree per shard) and reads at most the runs it shows that the
/// ``SummaryCache`` does not already hold.
public struct RunCatalog {
    let snapshot: StateSnapshot
    let cache: SummaryCache

    public init(repository: ConductorRepository, snapshot: StateSnapshot) {
        self.snapshot = snapshot
        cache = SummaryCache(privateDirectory: repository.privateDirectory)
    }

    /// Summaries newest first that pass `include`, at most `limit` of them.
    public func summaries(limit: Int? = nil, where include: (RunSummary) -> Bool = { _ in true }) throws(ConductorError) -> [RunSummary] {
        let cached = cache.load()
        // A line that does not decode (a cache written by another build) sends the listing
        // the slow way rather than dropping the run.
        if cached.completeForTip == snapshot.tip, let listed = Self.select(cached.lines, limit: limit, include: include) {
            return listed
        }
        let known = cached.index()
        let directories = try snapshot.runDirectories()
        var resolved: [(directory: RunDirectory, summary: RunSummary)] = []
        var selected: [RunSummary] = []
        for directory in directories {
            if let limit, selected.count >= limit { break }
            let summary: RunSummary
            if let hit = known[directory] {
                summary = hit
            } else {
                summary = try snapshot.history(of: directory).summary
            }
            resolved.append((directory, summary))
            if include(summary) { selected.append(summary) }
        }
        let complete = resolved.count == directories.count
        cache.save(complete ? resolved : Self.merge(resolved, keeping: known), completeForTip: complete ? snapshot.tip : nil)
        return selected
    }

    /// The selection from cached lines; nil when a line it needed does not decode.
    private static func select(_ lines: [Substring], limit: Int?, include: (RunSummary) -> Bool) -> [RunSummary]? {
        var selected: [RunSummary] = []
        for line in lines {
            if let limit, selected.count >= limit { break }
            guard let summary = SummaryCache.Contents.entry(line)?.summary else { return nil }
            if include(summary) { selected.append(summary) }
        }
        return selected
    }

    /// A partial listing keeps the older entries it did not revisit, so the next full
    /// listing still finds them.
    private static func merge(
        _ fresh: [(directory: RunDirectory, summary: RunSummary)],
        keeping known: [RunDirectory: RunSummary]
    ) -> [(directory: RunDirectory, summary: RunSummary)] {
        let freshDirectories = Set(fresh.map(\.directory))
        let kept = known.filter { !freshDirectories.contains($0.key) }
            .sorted { $0.key.id > $1.key.id }
            .map { (directory: $0.key, summary: $0.value) }
        return fresh + kept
    }
}
