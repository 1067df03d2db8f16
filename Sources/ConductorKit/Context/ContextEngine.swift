import ConductorDomain
import GitKit

/// What a prompt should carry for a query (docs/context.md).
public struct ContextQuery: Sendable {
    public var task: String
    /// The last verification's output, if it failed.
    public var failure: String?
    /// Files the run has changed so far.
    public var touched: [String]
    /// Tokens the prompt's context may take in all (`context_budget_tokens`).
    public var budgetTokens: Int
    /// Of those, what the project's context documents already take; the files and the map
    /// share the rest.
    public var documentTokens: Int

    public init(task: String, failure: String? = nil, touched: [String] = [], budgetTokens: Int, documentTokens: Int = 0) {
        self.task = task
        self.failure = failure
        self.touched = touched
        self.budgetTokens = budgetTokens
        self.documentTokens = documentTokens
    }
}

/// Chooses what of the repository a prompt shows: the files that matter, whole or as
/// excerpts, and a map of the rest, within the budget. It reads a commit's blobs, never a
/// checkout, so it works the same on a run's task branch, on the user's HEAD for
/// `context pick`, and on any past commit for the recall benchmark.
///
/// Contents are kept by blob id for the life of the engine, so the iterations of one run
/// read each unchanged file once; symbols persist across processes in ``SymbolIndex``.
public final class ContextEngine {
    let repository: ConductorRepository
    let index: SymbolIndex
    private var contents: [ObjectID: [UInt8]] = [:]

    /// Files larger than this are never read for retrieval (generated data, fixtures).
    static let maximumFileBytes = 1 << 20
    /// The map's share of the budget; what the files leave over is added to it.
    static let mapSharePercent = 15

    /// `CONDUCTOR_CTAGS_TIMEOUT` (seconds, default 20) bounds each ctags run.
    public init(repository: ConductorRepository, useCtags: Bool = true) {
        self.repository = repository
        let timeout = repository.environment["CONDUCTOR_CTAGS_TIMEOUT"].flatMap(Double.init).flatMap { $0 > 0 ? $0 : nil } ?? 20
        index = SymbolIndex(repository: repository, useCtags: useCtags, ctagsTimeoutSeconds: timeout)
    }

    /// What a prompt would carry for `query` at the commit `revision`.
    public func pick(_ query: ContextQuery, at revision: ObjectID) throws(ConductorError) -> ContextPick {
        let all = try files(at: revision)
        let byPath = Dictionary(all.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        let sources = try sources(among: all)
        let table = index.facts(for: sources) { [contents] file in contents[file.blob] }
        let paths = all.map(\.path)
        let graph = ReferenceGraph(facts: table.facts)
        let signals = try signals(for: query, sources: sources, paths: paths, facts: table.facts, graph: graph)
        let ranked = ContextRanker.rank(signals)

        let available = max(0, query.budgetTokens - query.documentTokens)
        let mapShare = available * Self.mapSharePercent / 100
        let filesBudget = available - mapShare
        var readFailures: [String] = []
        let picked = ContextPacker.pack(ranked, budgetTokens: filesBudget) { path in
            guard let file = byPath[path] else { return nil }
            do throws(ConductorError) {
                let bytes = try read(file)
                guard !SourceLanguage.looksUnreadable(bytes) else { return nil }
                return ContextPacker.Source(text: String(decoding: bytes, as: UTF8.self), symbols: table.facts[path]?.symbols ?? [])
            } catch {
                readFailures.append("\(path): \(error.description)")
                return nil
            }
        }
        let used = picked.reduce(0) { $0 + $1.tokens }
        let map = RepositoryMap.render(
            rank: signals.mapRank, facts: table.facts, budgetTokens: max(0, available - used),
            exclude: Set(picked.filter(\.isWhole).map(\.path)), references: graph.referenceCounts
        )
        return ContextPick(
            files: picked, map: map, mapTokens: TokenUsage.estimateTokens(in: map), scanner: table.scanner.description,
            budgetTokens: query.budgetTokens, documentTokens: query.documentTokens, warnings: table.warnings + readFailures
        )
    }

    /// Every signal the ranker weighs, from the files of the tree.
    private func signals(
        for query: ContextQuery, sources: [TreeFile], paths: [String], facts: [String: FileFacts], graph: ReferenceGraph
    ) throws(ConductorError) -> ContextRanker.Signals {
        var signals = ContextRanker.Signals()
        let failure = query.failure.map { PromptText.headAndTail($0, head: 60, tail: 120) }
        let weights = ContextQueryTerms.weights(task: query.task, failure: failure)
        var search = LexicalSearch(query: weights)
        for file in sources {
            guard let bytes = contents[file.blob] else { continue }
            bytes.withUnsafeBufferPointer { search.add(path: file.path, bytes: $0) }
        }
        signals.lexical = search.results()
        signals.failure = failure.map { FailureLocations.find(in: $0, paths: paths) } ?? []
        signals.named = FailureLocations.paths(namedIn: query.task, among: paths)
        let existing = Set(paths)
        signals.touched = query.touched.filter(existing.contains)
        let identifiers = ContextQueryTerms.identifiers(in: query.task)
        let compounds = ContextQueryTerms.hyphenated(in: query.task)
        for (path, fileFacts) in facts {
            let defined = fileFacts.symbols
                .filter { identifiers.contains($0.name) || compounds.contains($0.name.lowercased()) }
                .map { (name: $0.name, line: $0.line) }
            if !defined.isEmpty { signals.definitions[path] = defined }
        }
        signals.pathMatches = Self.pathMatches(sources.map(\.path), weights: weights)
        var seeds: [String: Double] = [:]
        for match in signals.lexical.prefix(5) { seeds[match.path, default: 0] += 0.3 }
        for path in signals.touched { seeds[path, default: 0] += 0.5 }
        for located in signals.failure { seeds[located.path, default: 0] += 1 }
        signals.mapRank = graph.rank(seedFiles: seeds, seedIdentifiers: identifiers)
        return signals
    }

    /// How many of the query's terms each path holds; its file name's count double.
    static func pathMatches(_ paths: [String], weights: [String: Double]) -> [String: Double] {
        var result: [String: Double] = [:]
        for path in paths {
            let components = path.split(separator: "/")
            guard let name = components.last else { continue }
            var score = 0.0
            for term in Set(CodeTokenizer.terms(in: String(name))) { score += 2 * (weights[term] ?? 0) }
            for term in Set(components.dropLast().flatMap { CodeTokenizer.terms(in: String($0)) }) { score += weights[term] ?? 0 }
            if score > 0 { result[path] = score }
        }
        return result
    }

    /// The commit's regular files.
    private func files(at revision: ObjectID) throws(ConductorError) -> [TreeFile] {
        let git = repository.git
        return try gitCall { () throws(GitError) in try git.files(inTree: git.commit(revision).tree) }
    }

    /// The files retrieval and the map read: source code in a known language, at most
    /// ``maximumFileBytes``, neither binary nor minified.
    private func sources(among files: [TreeFile]) throws(ConductorError) -> [TreeFile] {
        var sources: [TreeFile] = []
        for file in files where SourceLanguage.isSource(path: file.path) {
            let bytes = try read(file)
            if bytes.count <= Self.maximumFileBytes, !SourceLanguage.looksUnreadable(bytes) { sources.append(file) }
        }
        return sources
    }

    private func read(_ file: TreeFile) throws(ConductorError) -> [UInt8] {
        if let cached = contents[file.blob] { return cached }
        let git = repository.git
        let bytes = try gitCall { () throws(GitError) in try git.readBlob(file.blob) }
        contents[file.blob] = bytes
        return bytes
    }
}

/// What the engine shows for a model's ``FileRequest``.
public struct FileRequestAnswer: Sendable, Equatable {
    /// The message that answers the request.
    public let text: String
    /// Paths shown, whole or in part.
    public let shown: [String]
    /// Items asked for that do not exist (paths, `symbol Name`).
    public let missing: [String]
}

extension ContextEngine {
    /// The files and symbols `request` asks for at `revision`, within `budgetTokens`: a file
    /// whole when it fits, else the lines asked for (or its start) as an excerpt; a symbol
    /// as the declaration that defines it. What does not exist is named, with files of the
    /// same name as suggestions.
    public func answer(_ request: FileRequest, at revision: ObjectID, budgetTokens: Int) throws(ConductorError) -> FileRequestAnswer {
        let all = try files(at: revision)
        let byPath = Dictionary(all.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        var sections: [String] = []
        var shown: [String] = []
        var missing: [String] = []
        var remaining = budgetTokens
        for item in request.items {
            let share = max(200, remaining / 2)
            switch item {
            case let .file(path, lines):
                guard let file = byPath[path] else {
                    missing.append(path)
                    sections.append("\(path): no such file at this commit." + Self.suggestions(for: path, among: all.map(\.path)))
                    continue
                }
                let bytes = try read(file)
                let text = String(decoding: bytes, as: UTF8.self)
                let symbols = index.facts(for: [file]) { _ in bytes }.facts[path]?.symbols ?? []
                let section = Self.show(path: path, text: text, lines: lines, symbols: symbols, budget: min(share, remaining))
                sections.append(section)
                remaining -= TokenUsage.estimateTokens(in: section)
                shown.append(path)
            case .symbol(let name):
                let definitions = try definitions(of: name, in: all)
                guard !definitions.isEmpty else {
                    missing.append("symbol \(name)")
                    sections.append("symbol \(name): not defined in any source file at this commit.")
                    continue
                }
                for (path, text, symbols, line) in definitions.prefix(3) {
                    let section = Self.show(path: path, text: text, lines: line...line, symbols: symbols, budget: min(share / min(definitions.count, 3), remaining))
                    sections.append(section)
                    remaining -= TokenUsage.estimateTokens(in: section)
                    if !shown.contains(path) { shown.append(path) }
                }
            }
            if remaining < 100 { break }
        }
        let text = "# The files you asked for\n\n" + sections.joined(separator: "\n\n")
            + "\n\nNow answer with your edits (or ask for more with another <read> block)."
        return FileRequestAnswer(text: text, shown: shown, missing: missing)
    }

    /// Where `name` is declared in the source files of `files`.
    private func definitions(of name: String, in files: [TreeFile]) throws(ConductorError) -> [(String, String, [CodeSymbol], Int)] {
        let sources = try sources(among: files)
        let table = index.facts(for: sources) { [contents] file in contents[file.blob] }
        var found: [(String, String, [CodeSymbol], Int)] = []
        for file in sources {
            guard let symbols = table.facts[file.path]?.symbols, let symbol = symbols.first(where: { $0.name == name }),
                  let bytes = contents[file.blob] else { continue }
            found.append((file.path, String(decoding: bytes, as: UTF8.self), symbols, symbol.line))
        }
        return found
    }

    private static func show(path: String, text: String, lines: ClosedRange<Int>?, symbols: [CodeSymbol], budget: Int) -> String {
        let whole = path + "\n" + MarkdownText.codeBlock(text)
        if lines == nil, TokenUsage.estimateTokens(in: whole) <= budget { return whole }
        let fileLines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let focus = lines.map { Array($0.clamped(to: 1...max(1, fileLines.count))) } ?? [1]
        return Excerpt.make(path: path, lines: fileLines, focus: focus, symbols: symbols, budgetTokens: budget)?.text
            ?? "\(path): too large to show within the budget; ask for a line range (path:START-END)."
    }

    private static func suggestions(for path: String, among paths: [String]) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let similar = paths.filter { $0.hasSuffix("/" + name) || $0 == name }.prefix(3)
        return similar.isEmpty ? "" : " Files with that name: " + similar.joined(separator: ", ") + "."
    }
}
