/// The repository map a prompt carries: the highest-ranked files, each as its path and the
/// signatures of its most important symbols with their line numbers, the way a reader skims a
/// codebase (docs/context.md):
///
/// ```
/// Sources/Server/Server.swift:
///   12│ public final class Server {
///   40│ func start(on port: Int) throws
/// ```
///
/// Files come in rank order (ties by path); within a file, types before functions before
/// members, and among those the names other files mention most first. Files the prompt shows
/// whole anyway are left out. As many files as fit in the budget are shown, each with as many
/// symbols as fit (at most ``maximumSymbolsPerFile``); the result is the same for the same input.
public enum RepositoryMap {
    public static let maximumSymbolsPerFile = 12
    /// Longer signatures are cut (with `…`): a map line is a pointer, not the code.
    public static let maximumSignatureLength = 160

    /// Paths in rank order with the signatures that matter, cut to fit `budgetTokens`
    /// (``TokenUsage/estimateTokens(in:)`` of the whole text).
    ///
    /// - Parameter references: how many other files mention each name
    ///   (``ReferenceGraph/referenceCounts``), which orders a file's symbols; without it, kinds
    ///   and line order decide.
    public static func render(
        rank: [String: Double], facts: [String: FileFacts], budgetTokens: Int, exclude: Set<String>,
        references: [String: Int] = [:]
    ) -> String {
        let budgetBytes = max(0, budgetTokens) * 4
        let ordered = facts.keys
            .filter { !exclude.contains($0) && !(facts[$0]?.symbols.isEmpty ?? true) }
            .sorted { (rank[$0] ?? 0, $1) > (rank[$1] ?? 0, $0) }
        var output = ""
        for path in ordered {
            let symbols = importantSymbols(facts[path]!.symbols, references: references)
            var shown = min(symbols.count, maximumSymbolsPerFile)
            var block = render(path: path, symbols: symbols.prefix(shown))
            while output.utf8.count + block.utf8.count > budgetBytes, shown > 1 {
                shown -= 1
                block = render(path: path, symbols: symbols.prefix(shown))
            }
            guard output.utf8.count + block.utf8.count <= budgetBytes else { break }
            output += block
        }
        return output
    }

    /// A file's symbols, most important first.
    static func importantSymbols(_ symbols: [CodeSymbol], references: [String: Int]) -> [CodeSymbol] {
        func score(_ symbol: CodeSymbol) -> Double {
            let kind: Double = switch symbol.kind {
            case .type: 3
            case .function, .method: 2
            case .macro, .module: 1.5
            case .property, .variable: 1
            }
            return kind * (1 + Double(references[symbol.name] ?? 0).squareRoot())
        }
        return symbols.map { (symbol: $0, score: score($0)) }
            .sorted { ($0.score, $1.symbol.line) > ($1.score, $0.symbol.line) }
            .map(\.symbol)
    }

    static func render(path: String, symbols: ArraySlice<CodeSymbol>) -> String {
        let width = max(4, String(symbols.map(\.line).max() ?? 0).count)
        var text = path + ":\n"
        for symbol in symbols {
            let number = String(symbol.line)
            var signature = symbol.signature ?? symbol.name
            if signature.isEmpty { signature = symbol.name }
            if signature.count > maximumSignatureLength { signature = String(signature.prefix(maximumSignatureLength - 1)) + "…" }
            text += String(repeating: " ", count: width - number.count) + number + "│ " + signature + "\n"
        }
        return text
    }
}
