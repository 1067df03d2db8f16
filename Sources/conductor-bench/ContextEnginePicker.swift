import ConductorDomain
import ConductorKit
import Foundation
import GitKit

/// One file the engine put in the prompt, as the recall benchmark reports it.
struct EnginePickedFile {
    let path: String
    let isWhole: Bool
    let tokens: Int
    /// Form, tokens, score and reasons, for the details file.
    let summary: String
}

/// What the engine put in a prompt.
struct EnginePick {
    let files: [EnginePickedFile]
    /// The symbol scanner that built the map (`universal-ctags 5.9.0`, `built-in`).
    let scanner: String
}

/// The context engine (``ContextEngine``, docs/context.md) as the benchmarks call it.
struct EnginePicker {
    static let isAvailable = true

    let repository: ConductorRepository
    let engine: ContextEngine

    init(repository: ConductorRepository) {
        self.repository = repository
        engine = ContextEngine(repository: repository)
    }

    /// What a build prompt would carry for `task` at `revision`, before any run changed a file.
    func pick(task: String, budgetTokens: Int, at revision: ObjectID) throws -> EnginePick {
        let pick = try engine.pick(ContextQuery(task: task, failure: nil, touched: [], budgetTokens: budgetTokens), at: revision)
        let files = pick.files.map { file in
            let score = String(format: "%.2f", file.score)
            return EnginePickedFile(path: file.path, isWhole: file.isWhole, tokens: file.tokens, summary: "\(file.path)  [\(file.formDescription), \(file.tokens) tokens, score \(score)] \(file.reasons.joined(separator: "; "))")
        }
        return EnginePick(files: files, scanner: pick.scanner)
    }

    /// Where the time of one map build goes, in nanoseconds.
    struct MapSteps {
        /// Listing the tree and reading the source files' blobs.
        var read: UInt64 = 0
        /// Symbols and mentions from the cache, scanning what it lacks (``SymbolIndex``).
        var facts: UInt64 = 0
        /// The reference graph built and ranked (``ReferenceGraph``).
        var rank: UInt64 = 0
        /// The map rendered within its share (``RepositoryMap``).
        var render: UInt64 = 0
    }

    /// The repository map at `revision` as a pick builds it: the source files' blobs read,
    /// their symbols from the cache or the scanner, the reference graph ranked (no seeds),
    /// and the map rendered within the map's share of the budget.
    @discardableResult
    func map(at revision: ObjectID, budgetTokens: Int) throws -> MapSteps {
        var steps = MapSteps()
        let git = repository.git
        let ((files, contents), read) = try Monotonic.time { () throws -> ([TreeFile], [ObjectID: [UInt8]]) in
            let files = try git.files(inTree: try git.commit(revision).tree).filter { SourceLanguage.isSource(path: $0.path) }
            var contents: [ObjectID: [UInt8]] = [:]
            for file in files { contents[file.blob] = try git.readBlob(file.blob) }
            return (files, contents)
        }
        steps.read = read
        let (table, facts) = Monotonic.time { SymbolIndex(repository: repository).facts(for: files) { contents[$0.blob] } }
        steps.facts = facts
        let (rank, ranking) = Monotonic.time { ReferenceGraph(facts: table.facts).rank(seedFiles: [:], seedIdentifiers: []) }
        steps.rank = ranking
        steps.render = Monotonic.time {
            _ = RepositoryMap.render(rank: rank, facts: table.facts, budgetTokens: budgetTokens * 15 / 100, exclude: [])
        }.nanoseconds
        return steps
    }
}
