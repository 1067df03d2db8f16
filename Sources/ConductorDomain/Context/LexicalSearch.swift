/// BM25 over chunks of code, for one query. A file is split into chunks of
/// ``chunkLines`` lines, each chunk a document; a file scores by its best chunk (plus a
/// share of its second best), so a long file is found by the one place that matches rather
/// than drowned by its length, and the matching chunks tell an excerpt where to look.
///
/// Only the query's terms are counted while a file is read: a whole repository passes
/// through ``add(path:bytes:)`` for every prompt, so nothing else is kept (docs/context.md).
public struct LexicalSearch {
    /// A region of a file that matched, with its BM25 score.
    public struct ChunkMatch: Sendable, Equatable {
        /// 1-based, inclusive.
        public let lines: ClosedRange<Int>
        public let score: Double

        public init(lines: ClosedRange<Int>, score: Double) {
            self.lines = lines
            self.score = score
        }
    }

    public struct FileMatch: Sendable, Equatable {
        public let path: String
        public let score: Double
        /// The best chunks, best first (at most three).
        public let chunks: [ChunkMatch]
        /// The query terms found in the file, most weighty first.
        public let terms: [String]

        public init(path: String, score: Double, chunks: [ChunkMatch], terms: [String]) {
            self.path = path
            self.score = score
            self.chunks = chunks
            self.terms = terms
        }
    }

    public static let chunkLines = 30
    static let k1 = 1.2
    static let b = 0.75

    private let terms: [String]
    private let weights: [Double]
    /// Query terms by `length << 8 | first byte`, so a file's tokens are looked up without
    /// making strings of them.
    private let buckets: [Int: [(bytes: [UInt8], index: Int)]]
    private var chunks: [Chunk] = []
    private var paths: [String] = []

    private struct Chunk {
        let file: Int
        let firstLine: Int
        var length: Int
        var counts: [(term: Int, count: Int)]
    }

    /// `query` maps each term (lowercased, as ``CodeTokenizer`` makes them) to its weight.
    public init(query: [String: Double]) {
        let sorted = query.sorted { $0.key < $1.key }
        terms = sorted.map(\.key)
        weights = sorted.map(\.value)
        var buckets: [Int: [(bytes: [UInt8], index: Int)]] = [:]
        for (index, term) in terms.enumerated() {
            let bytes = Array(term.utf8)
            guard let first = bytes.first else { continue }
            buckets[bytes.count << 8 | Int(first), default: []].append((bytes, index))
        }
        self.buckets = buckets
    }

    public var isEmpty: Bool { terms.isEmpty }

    /// Reads one file's content into the index.
    public mutating func add(path: String, bytes: UnsafeBufferPointer<UInt8>) {
        let file = paths.count
        paths.append(path)
        var current = Chunk(file: file, firstLine: 1, length: 0, counts: [])
        var counts: [Int: Int] = [:]
        CodeTokenizer.forEachTerm(in: bytes) { term, line in
            let chunkStart = line / Self.chunkLines * Self.chunkLines + 1
            if chunkStart != current.firstLine {
                close(&current, counts: &counts)
                current = Chunk(file: file, firstLine: chunkStart, length: 0, counts: [])
            }
            current.length += 1
            if let index = lookup(term) { counts[index, default: 0] += 1 }
        }
        close(&current, counts: &counts)
    }

    private mutating func close(_ chunk: inout Chunk, counts: inout [Int: Int]) {
        guard chunk.length > 0 else { return }
        chunk.counts = counts.map { ($0.key, $0.value) }
        chunks.append(chunk)
        counts.removeAll(keepingCapacity: true)
    }

    private func lookup(_ term: ArraySlice<UInt8>) -> Int? {
        guard let first = term.first, let candidates = buckets[term.count << 8 | Int(first)] else { return nil }
        for candidate in candidates where candidate.bytes.elementsEqual(term) { return candidate.index }
        return nil
    }

    /// Files with any matching term, best first; ties broken by path so results are stable.
    public func results() -> [FileMatch] {
        guard !chunks.isEmpty else { return [] }
        var documentFrequency = [Int](repeating: 0, count: terms.count)
        var totalLength = 0
        for chunk in chunks {
            totalLength += chunk.length
            for (term, _) in chunk.counts { documentFrequency[term] += 1 }
        }
        let count = Double(chunks.count)
        let averageLength = Double(totalLength) / count
        let idf = documentFrequency.map { frequency in
            let n = Double(frequency)
            return (1 + (count - n + 0.5) / (n + 0.5)).logarithm
        }
        var perFile: [Int: (chunks: [ChunkMatch], terms: Set<Int>)] = [:]
        for chunk in chunks where !chunk.counts.isEmpty {
            var score = 0.0
            let norm = Self.k1 * (1 - Self.b + Self.b * Double(chunk.length) / averageLength)
            for (term, frequency) in chunk.counts {
                let tf = Double(frequency)
                score += weights[term] * idf[term] * tf * (Self.k1 + 1) / (tf + norm)
            }
            let lastLine = chunk.firstLine + Self.chunkLines - 1
            perFile[chunk.file, default: ([], [])].chunks.append(ChunkMatch(lines: chunk.firstLine...lastLine, score: score))
            perFile[chunk.file, default: ([], [])].terms.formUnion(chunk.counts.map(\.term))
        }
        return perFile.map { file, found in
            let best = found.chunks.sorted { ($0.score, -$0.lines.lowerBound) > ($1.score, -$1.lines.lowerBound) }
            let score = best[0].score + (best.count > 1 ? 0.5 * best[1].score : 0)
            let matched = found.terms.sorted { (weights[$0] * idf[$0], terms[$1]) > (weights[$1] * idf[$1], terms[$0]) }.map { terms[$0] }
            return FileMatch(path: paths[file], score: score, chunks: Array(best.prefix(3)), terms: matched)
        }
        .sorted { ($0.score, $1.path) > ($1.score, $0.path) }
    }
}

extension Double {
    /// Natural logarithm without Foundation (the domain imports nothing).
    var logarithm: Double {
        // ln(x) = 2·atanh((x−1)/(x+1)), by its series after scaling x into [0.5, 1].
        guard self > 0 else { return -.infinity }
        var x = self
        var exponent = 0.0
        while x > 1 { x /= 2; exponent += 1 }
        while x < 0.5 { x *= 2; exponent -= 1 }
        let y = (x - 1) / (x + 1)
        let y2 = y * y
        var term = y
        var sum = 0.0
        var n = 1.0
        while abs(term / n) > 1e-15 {
            sum += term / n
            term *= y2
            n += 2
        }
        return 2 * sum + exponent * 0.6931471805599453
    }
}
