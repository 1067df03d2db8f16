/// Orders the repository's files by how likely the prompt needs them, from every signal at
/// once (docs/context.md): the files a failure names come first, in the order it names them
/// (code before tests);
/// then a file the task names by path; then the files this run already changed; the rest by
/// BM25 over their chunks, exact symbol names from the task, words in their paths, and the
/// repository map's rank. Each file keeps the reasons that placed it, strongest first.
public enum ContextRanker {
    public struct Signals: Sendable {
        /// Files a failure output names, in order, with the lines named.
        public var failure: [(path: String, lines: [Int])] = []
        /// Repository paths the task text names literally.
        public var named: [String] = []
        /// Files the run has changed so far.
        public var touched: [String] = []
        public var lexical: [LexicalSearch.FileMatch] = []
        /// Per file, the task's identifiers it defines, with the lines of those definitions.
        public var definitions: [String: [(name: String, line: Int)]] = [:]
        /// Per file, how many of the query's terms its path holds (its file name counting double).
        public var pathMatches: [String: Double] = [:]
        /// The repository map's personalised PageRank.
        public var mapRank: [String: Double] = [:]

        public init() {}
    }

    public struct RankedFile: Sendable, Equatable {
        public let path: String
        public let score: Double
        public let reasons: [String]
        /// Lines an excerpt should show, most important first.
        public let focus: [Int]

        public init(path: String, score: Double, reasons: [String], focus: [Int]) {
            self.path = path
            self.score = score
            self.reasons = reasons
            self.focus = focus
        }
    }

    /// Files scoring below this carry no signal worth a prompt's tokens.
    static let threshold = 8.0

    public static func rank(_ signals: Signals) -> [RankedFile] {
        var entries: [String: Entry] = [:]
        // The code a failure runs through before the test that shows it: a fix is more often
        // there than in the test.
        let failures = signals.failure.filter { !isTest($0.path) } + signals.failure.filter { isTest($0.path) }
        for (order, failure) in failures.enumerated() {
            let lines = failure.lines.map(String.init).joined(separator: ", ")
            entries[failure.path, default: Entry()].add(1000, "named in the failure" + (lines.isEmpty ? "" : " (line \(lines))"))
            entries[failure.path, default: Entry()].failureOrder = order
            entries[failure.path, default: Entry()].focus += failure.lines
        }
        for path in signals.named { entries[path, default: Entry()].add(500, "named in the task") }
        for path in signals.touched { entries[path, default: Entry()].add(150, "changed by this run") }
        let topLexical = signals.lexical.first?.score ?? 0
        for match in signals.lexical where topLexical > 0 {
            let factor = isTest(match.path) ? 0.7 : 1
            let score = 100 * match.score / topLexical * factor
            let words = match.terms.prefix(4).joined(separator: ", ")
            entries[match.path, default: Entry()].add(score, "matches \(words) (bm25 \(format(match.score)))")
            entries[match.path, default: Entry()].focus += match.chunks.map { $0.lines.lowerBound + 8 }
        }
        for (path, definitions) in signals.definitions where !definitions.isEmpty {
            let names = Array(Set(definitions.map(\.name))).sorted()
            // A name written as code (`RetryPolicy`, `parse_header`) is surer than a plain
            // word that is also a symbol (`delay`).
            let weight = names.prefix(3).reduce(0.0) { $0 + (ContextQueryTerms.isCodeShaped($1) ? 25 : 10) }
            entries[path, default: Entry()].add(weight, "defines \(names.prefix(3).joined(separator: ", "))")
            entries[path, default: Entry()].focus.insert(contentsOf: definitions.map(\.line).sorted(), at: 0)
        }
        let topPath = signals.pathMatches.values.max() ?? 0
        for (path, value) in signals.pathMatches where value > 0 && topPath > 0 {
            entries[path, default: Entry()].add(20 * value / topPath, "its path matches the task")
        }
        let ranks = signals.mapRank.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
        let topRank = ranks.first?.value ?? 0
        // The map's top files may enter on their rank alone; further down it only reorders.
        for (position, (path, value)) in ranks.prefix(50).enumerated() where topRank > 0 && (position < 10 || entries[path] != nil) {
            entries[path, default: Entry()].add(30 * value / topRank, "map rank \(position + 1)")
        }
        return entries
            .map { path, entry in (order: entry.failureOrder ?? Int.max, file: entry.ranked(path)) }
            .filter { $0.file.score >= threshold }
            .sorted { ($0.order, -$0.file.score, $0.file.path) < ($1.order, -$1.file.score, $1.file.path) }
            .map(\.file)
    }

    private struct Entry {
        var parts: [(score: Double, reason: String)] = []
        var focus: [Int] = []
        /// Place among the files the failure names; these come first, in this order.
        var failureOrder: Int?

        mutating func add(_ score: Double, _ reason: String) {
            parts.append((score, reason))
        }

        func ranked(_ path: String) -> RankedFile {
            let ordered = parts.sorted { $0.score > $1.score }
            var seen = Set<Int>()
            let focus = focus.filter { seen.insert($0).inserted }
            return RankedFile(path: path, score: parts.reduce(0) { $0 + $1.score }, reasons: ordered.map(\.reason), focus: focus)
        }
    }

    /// Test files lose a little of their lexical score: a fix is usually in the code a
    /// test exercises, and the test repeats the same words.
    static func isTest(_ path: String) -> Bool {
        let lowered = path.lowercased()
        let name = lowered.split(separator: "/").last.map(String.init) ?? lowered
        return lowered.split(separator: "/").dropLast().contains { ["test", "tests", "spec", "specs", "__tests__", "testing"].contains($0) }
            || name.hasPrefix("test_") || name.contains("_test.") || name.contains(".test.") || name.contains(".spec.")
            || name.contains("tests.") || name.hasSuffix("test.java") || name.hasSuffix("test.kt")
    }

    static func format(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
