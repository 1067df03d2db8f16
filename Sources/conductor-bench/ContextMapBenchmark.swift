import ConductorDomain
import ConductorKit
import Foundation
import GitKit

/// What the repository map costs on a real repository (docs/benchmarks.md): a cold map (no
/// symbol cache: every source blob read and scanned), a warm map after one file changed (one
/// blob scanned, the rest from the cache), and a warm map with nothing changed. Each covers
/// the whole pipeline: listing the tree, the facts, the reference graph, the ranking, the
/// rendering.
struct ContextMapFigures {
    var files: Int
    var symbols: Int
    var scanner: String
    var coldMilliseconds: Double
    var warmOneChangedMilliseconds: Double
    var warmUnchangedMilliseconds: Double
    /// The parts of the cold map: scanning (reading blobs included) and graph + rank + render.
    var coldScanMilliseconds: Double
    var coldRankMilliseconds: Double
    /// The parts of a warm map with nothing changed: listing, facts (cache), graph, rank, render.
    var warmParts: [(String, Double)]
    var mapTokens: Int
    var warnings: [String]

    var summary: String {
        """
        repository map over \(files) source files (\(symbols) symbols, \(scanner)):
          cold map                 \(Self.format(coldMilliseconds)) ms  (scan \(Self.format(coldScanMilliseconds)) ms, graph+rank+render \(Self.format(coldRankMilliseconds)) ms)
          warm, one file changed   \(Self.format(warmOneChangedMilliseconds)) ms
          warm, nothing changed    \(Self.format(warmUnchangedMilliseconds)) ms
            (\(warmParts.map { "\($0.0) \(Self.format($0.1))" }.joined(separator: ", ")) ms)
          map                      \(mapTokens) tokens
        """
    }

    static func format(_ value: Double) -> String { String(format: "%.1f", value) }
}

/// Measures the repository map of `repositoryPath` at `revision`. The symbol cache of that
/// repository (`.git/conductor/context/facts-v1`) is deleted first so the first map is cold,
/// and rewritten by the maps; the one-file change is simulated by writing a modified copy of
/// one source blob into the object database (a loose object nothing refers to), so neither
/// the work tree nor any ref is touched. Medians of `samples` runs for the warm figures.
func contextMapFigures(
    repositoryPath: String, revision: String = "HEAD", useCtags: Bool = true, budgetTokens: Int = 1024, samples: Int = 5
) throws -> ContextMapFigures {
    let repository = try ConductorRepository.open(at: repositoryPath)
    guard let commit = try repository.git.resolveCommit(revision) else {
        throw BenchError("\(revision) names no commit in \(repositoryPath)")
    }
    let baseTree = try repository.git.commit(commit).tree
    let index = SymbolIndex(repository: repository, useCtags: useCtags)
    try? FileManager.default.removeItem(atPath: index.cachePath)

    func listing(_ tree: ObjectID) throws -> [TreeFile] {
        try repository.git.files(inTree: tree).filter { SourceLanguage.isSource(path: $0.path) }
    }
    func read(_ file: TreeFile) -> [UInt8]? {
        guard let bytes = try? repository.git.readBlob(file.blob), !SourceLanguage.looksUnreadable(bytes) else { return nil }
        return bytes
    }
    var parts: [(String, UInt64)] = []
    /// The whole map from a listing; returns the table, the map and the scan's share of the time.
    func map(_ files: [TreeFile], seeds: Set<String>) -> (SymbolTable, String, scan: UInt64, rank: UInt64) {
        let (table, scan) = Monotonic.time { index.facts(for: files, contents: read) }
        let (graph, building) = Monotonic.time { ReferenceGraph(facts: table.facts) }
        let (ranks, ranking) = Monotonic.time { graph.rank(seedFiles: [:], seedIdentifiers: seeds) }
        let (text, rendering) = Monotonic.time {
            RepositoryMap.render(rank: ranks, facts: table.facts, budgetTokens: budgetTokens, exclude: [], references: graph.referenceCounts)
        }
        parts = [("facts", scan), ("graph", building), ("rank", ranking), ("render", rendering)]
        return (table, text, scan, building + ranking + rendering)
    }

    let seeds: Set<String> = ["start", "Channel", "connect"]
    let coldStart = Monotonic.now()
    let files = try listing(baseTree)
    let (cold, coldMap, coldScan, coldRank) = map(files, seeds: seeds)
    let coldTotal = Monotonic.now() - coldStart

    // One file changed: a tree whose largest source file has a function added (new objects
    // only; no ref moves).
    let largest = files.max { ((try? repository.git.blobSize($0.blob)) ?? 0) < ((try? repository.git.blobSize($1.blob)) ?? 0) }
    var warmParts: [(String, Double)] = []
    var oneChanged = Samples()
    var unchanged = Samples()
    for sample in 0..<samples {
        var tree = baseTree
        if let largest {
            let bytes = try repository.git.readBlob(largest.blob) + Array("\nfunc benchAdded\(sample)() {}\n".utf8)
            tree = try repository.git.updateTree(baseTree, applying: [.upsertBlob(path: largest.path, id: try repository.git.writeBlob(bytes))])
        }
        let started = Monotonic.now()
        _ = map(try listing(tree), seeds: seeds)
        oneChanged.add(Monotonic.now() - started)

        let again = Monotonic.now()
        let (listed, listingTime) = try Monotonic.time { try listing(tree) }
        _ = map(listed, seeds: seeds)
        unchanged.add(Monotonic.now() - again)
        parts.insert(("listing", listingTime), at: 0)
        if sample == samples / 2 { warmParts = parts.map { ($0.0, Double($0.1) / 1e6) } }
    }
    return ContextMapFigures(
        files: files.count, symbols: cold.facts.values.reduce(0) { $0 + $1.symbols.count }, scanner: cold.scanner.description,
        coldMilliseconds: Double(coldTotal) / 1e6, warmOneChangedMilliseconds: oneChanged.median / 1e6,
        warmUnchangedMilliseconds: unchanged.median / 1e6, coldScanMilliseconds: Double(coldScan) / 1e6,
        coldRankMilliseconds: Double(coldRank) / 1e6, warmParts: warmParts, mapTokens: TokenUsage.estimateTokens(in: coldMap), warnings: cold.warnings
    )
}
