/// The real lines of a file nearest to a SEARCH text that did not match, quoted back to the
/// model so that its next attempt can copy them instead of recalling them.
public struct ClosestLines: Sendable, Equatable {
    /// 1-based line number of the first quoted line.
    public let firstLine: Int
    public let lines: [String]

    public init(firstLine: Int, lines: [String]) {
        self.firstLine = firstLine
        self.lines = lines
    }

    /// 1-based line number of the last quoted line.
    public var lastLine: Int { firstLine + lines.count - 1 }

    /// Lines of context quoted above and below the closest window.
    static let context = 3
    /// The most lines ever quoted: a long SEARCH text should not double the feedback's size.
    static let maxLines = 40
    /// How many SEARCH lines the character-level fallback compares.
    static let fallbackProbeLines = 8
    /// Below this similarity, a line is not worth quoting as "what you meant".
    static let fallbackThreshold = 0.5

    /// The window of `lines` most like `search`, with some context, or nil when nothing in the
    /// file resembles it.
    ///
    /// First choice: the window of the SEARCH text's length with the most lines equal to SEARCH
    /// lines once surrounding whitespace is trimmed, counted as a multiset (a line matches at
    /// most as often as the SEARCH text has it) and ignoring lines without a letter or digit
    /// (`}`, `*/`), which match everywhere. A sliding window keeps this linear in the file's
    /// length. It must cover at least a third of the SEARCH text's meaningful lines.
    ///
    /// Fallback, for a SEARCH text in which every line is a little wrong (a renamed variable,
    /// a typo): the file line with the highest character-bigram similarity to one of the first
    /// SEARCH lines, if it is at least half similar, anchors the window.
    static func find(for search: [String], in lines: [String]) -> ClosestLines? {
        guard !lines.isEmpty, !search.isEmpty else { return nil }
        let width = min(search.count, lines.count)
        guard let start = bestWindowByEqualLines(search, lines, width: width)
            ?? bestWindowBySimilarity(search, lines, width: width)
        else { return nil }
        let from = max(0, start - context)
        let to = min(lines.count, start + width + context, from + maxLines)
        return ClosestLines(firstLine: from + 1, lines: Array(lines[from..<to]))
    }

    private static func isMeaningful(_ line: Substring) -> Bool {
        line.contains { $0.isLetter || $0.isNumber }
    }

    private static func bestWindowByEqualLines(_ search: [String], _ lines: [String], width: Int) -> Int? {
        var wanted: [Substring: Int] = [:]
        for line in search {
            let key = line.trimmingBlanks
            if isMeaningful(key) { wanted[key, default: 0] += 1 }
        }
        let meaningful = wanted.values.reduce(0, +)
        guard meaningful > 0 else { return nil }
        let keys = lines.map { line -> Substring? in
            let key = line.trimmingBlanks
            return wanted[key] == nil ? nil : key
        }
        var inWindow: [Substring: Int] = [:]
        var score = 0
        var best = (score: 0, start: 0)
        for index in keys.indices {
            if let key = keys[index] {
                if inWindow[key, default: 0] < wanted[key, default: 0] { score += 1 }
                inWindow[key, default: 0] += 1
            }
            if index >= width, let key = keys[index - width] {
                inWindow[key, default: 0] -= 1
                if inWindow[key, default: 0] < wanted[key, default: 0] { score -= 1 }
            }
            let start = index - width + 1
            if start >= 0, score > best.score { best = (score, start) }
        }
        return best.score > 0 && best.score * 3 >= meaningful ? best.start : nil
    }

    private static func bestWindowBySimilarity(_ search: [String], _ lines: [String], width: Int) -> Int? {
        let probes = search.enumerated()
            .map { (offset: $0.offset, bigrams: Bigrams($0.element.trimmingBlanks)) }
            .filter { !$0.bigrams.isEmpty }
            .prefix(fallbackProbeLines)
        guard !probes.isEmpty else { return nil }
        var best = (similarity: 0.0, start: 0)
        for (index, line) in lines.enumerated() {
            let bigrams = Bigrams(line.trimmingBlanks)
            guard !bigrams.isEmpty else { continue }
            for probe in probes {
                let similarity = probe.bigrams.similarity(to: bigrams)
                if similarity > best.similarity { best = (similarity, index - probe.offset) }
            }
        }
        guard best.similarity >= fallbackThreshold else { return nil }
        return min(max(0, best.start), lines.count - width)
    }
}

/// The sorted character bigrams of a line, for the Sørensen–Dice similarity: twice the shared
/// bigrams over the total. Cheap, and insensitive to where in the line a change is.
private struct Bigrams {
    let sorted: [UInt64]

    init(_ text: Substring) {
        let scalars = Array(text.unicodeScalars)
        sorted = scalars.count < 2 ? [] : (1..<scalars.count)
            .map { UInt64(scalars[$0 - 1].value) << 32 | UInt64(scalars[$0].value) }
            .sorted()
    }

    var isEmpty: Bool { sorted.isEmpty }

    func similarity(to other: Bigrams) -> Double {
        var i = 0, j = 0, shared = 0
        while i < sorted.count, j < other.sorted.count {
            if sorted[i] == other.sorted[j] {
                shared += 1
                i += 1
                j += 1
            } else if sorted[i] < other.sorted[j] {
                i += 1
            } else {
                j += 1
            }
        }
        return Double(2 * shared) / Double(sorted.count + other.sorted.count)
    }
}
