/// A large file shown as the parts that matter: the declarations enclosing the lines a
/// failure or the task points at, each under a header with its line numbers, then an
/// outline of the rest (its other declarations, with their lines), so the model sees where
/// it is without the whole file. The lines themselves are copied exactly, unnumbered, so a
/// SEARCH block can quote them (docs/edit-format.md).
public struct Excerpt: Sendable, Equatable {
    public let ranges: [ClosedRange<Int>]
    public let text: String

    /// A declaration this long or shorter is shown whole around a focus line; a longer one
    /// only around the line.
    static let wholeDeclarationLines = 80
    static let before = 12
    static let after = 24

    /// Regions of `lines` (the file's lines) around `focus` (1-based lines, most important
    /// first), within `budgetTokens`; nil when not even one region fits.
    public static func make(path: String, lines: [Substring], focus: [Int], symbols: [CodeSymbol], budgetTokens: Int) -> Excerpt? {
        let count = lines.count
        guard count > 0 else { return nil }
        var chosen: [ClosedRange<Int>] = []
        var used = 0
        for line in focus where (1...count).contains(line) {
            if chosen.contains(where: { $0.contains(line) }) { continue }
            var region = Self.region(around: line, symbols: symbols, count: count)
            let cost = tokens(lines, region) + 12
            if used + cost > budgetTokens {
                // Shrink towards the focus line until it fits; give up below a few lines.
                guard let smaller = shrink(region, around: line, lines: lines, budget: budgetTokens - used - 12) else { continue }
                region = smaller
            }
            chosen.append(region)
            used += tokens(lines, region) + 12
        }
        guard !chosen.isEmpty else { return nil }
        let merged = merge(chosen)
        let outline = outline(symbols: symbols, outside: merged, budget: max(0, budgetTokens - used))
        return Excerpt(ranges: merged, text: render(path: path, lines: lines, ranges: merged, outline: outline))
    }

    /// The innermost declaration around `line` when it is short enough, else a window.
    static func region(around line: Int, symbols: [CodeSymbol], count: Int) -> ClosedRange<Int> {
        let enclosing = symbols
            .filter { symbol in symbol.line <= line && (symbol.endLine ?? symbol.line) >= line }
            .min { ($0.endLine ?? $0.line) - $0.line < ($1.endLine ?? $1.line) - $1.line }
        if let enclosing, let end = enclosing.endLine, end - enclosing.line < wholeDeclarationLines {
            return enclosing.line...min(end, count)
        }
        return max(1, line - before)...min(count, line + after)
    }

    private static func shrink(_ region: ClosedRange<Int>, around line: Int, lines: [Substring], budget: Int) -> ClosedRange<Int>? {
        var low = line, high = line
        guard tokens(lines, low...high) <= budget else { return nil }
        while true {
            let grown = max(region.lowerBound, low - 1)...min(region.upperBound, high + 2)
            if grown == low...high || tokens(lines, grown) > budget { break }
            low = grown.lowerBound
            high = grown.upperBound
        }
        return high - low >= 4 ? low...high : nil
    }

    static func tokens(_ lines: [Substring], _ range: ClosedRange<Int>) -> Int {
        (lines[(range.lowerBound - 1)..<range.upperBound].reduce(0) { $0 + $1.utf8.count + 1 } + 3) / 4
    }

    /// Sorted, with overlapping or nearly adjacent regions (a gap under four lines) joined.
    static func merge(_ ranges: [ClosedRange<Int>]) -> [ClosedRange<Int>] {
        var result: [ClosedRange<Int>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = result.last, range.lowerBound <= last.upperBound + 4 {
                result[result.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                result.append(range)
            }
        }
        return result
    }

    /// Declarations outside the shown regions, one line each, as many as `budget` allows.
    private static func outline(symbols: [CodeSymbol], outside ranges: [ClosedRange<Int>], budget: Int) -> [String] {
        var lines: [String] = []
        var used = 0
        for symbol in symbols.sorted(by: { $0.line < $1.line }) where !ranges.contains(where: { $0.contains(symbol.line) }) {
            let line = "  \(symbol.line)│ " + (symbol.signature ?? "\(symbol.kind.rawValue) \(symbol.name)")
            used += (line.utf8.count + 4) / 4
            if used > budget { break }
            lines.append(line)
        }
        return lines
    }

    private static func render(path: String, lines: [Substring], ranges: [ClosedRange<Int>], outline: [String]) -> String {
        var parts = ["\(path) — excerpt of \(lines.count) lines (the rest is not shown; ask for it if you need it)"]
        for range in ranges {
            let body = lines[(range.lowerBound - 1)..<range.upperBound].joined(separator: "\n")
            parts.append("lines \(range.lowerBound)–\(range.upperBound):\n" + MarkdownText.codeBlock(body))
        }
        if !outline.isEmpty { parts.append("Other declarations in \(path):\n" + outline.joined(separator: "\n")) }
        return parts.joined(separator: "\n")
    }
}
