/// Fits ranked files into a prompt's token budget (docs/context.md): a file is shown whole
/// when it is small enough for its place, otherwise as an excerpt around its focus lines,
/// so that a file larger than the whole budget still shows the lines that matter. Caps per
/// file keep one large file from crowding out the rest.
public enum ContextPacker {
    /// A file's content and declarations, as the packer needs them.
    public struct Source {
        public let text: String
        public let symbols: [CodeSymbol]

        public init(text: String, symbols: [CodeSymbol]) {
            self.text = text
            self.symbols = symbols
        }
    }

    /// Below this many tokens left, nothing more is worth adding.
    static let minimumUseful = 120
    static let candidates = 24

    public static func pack(_ ranked: [ContextRanker.RankedFile], budgetTokens: Int, source: (String) -> Source?) -> [PickedFile] {
        var remaining = budgetTokens
        var picked: [PickedFile] = []
        for file in ranked.prefix(candidates) {
            guard remaining >= minimumUseful else { break }
            guard let content = source(file.path) else { continue }
            let first = picked.isEmpty
            let wholeCap = budgetTokens * (first ? 50 : 30) / 100
            let excerptCap = max(300, budgetTokens * (first ? 35 : 18) / 100)
            let whole = file.path + "\n" + MarkdownText.codeBlock(content.text)
            let wholeTokens = TokenUsage.estimateTokens(in: whole)
            if wholeTokens <= min(wholeCap, remaining) {
                picked.append(PickedFile(path: file.path, score: file.score, reasons: file.reasons, form: .whole, tokens: wholeTokens, text: whole))
                remaining -= wholeTokens
                continue
            }
            let lines = content.text.split(separator: "\n", omittingEmptySubsequences: false)
            let focus = file.focus.isEmpty ? [1] : file.focus
            guard let excerpt = Excerpt.make(path: file.path, lines: lines, focus: focus, symbols: content.symbols, budgetTokens: min(excerptCap, remaining)) else { continue }
            let tokens = TokenUsage.estimateTokens(in: excerpt.text)
            picked.append(PickedFile(
                path: file.path, score: file.score, reasons: file.reasons,
                form: .excerpt(ranges: excerpt.ranges, totalLines: lines.count), tokens: tokens, text: excerpt.text
            ))
            remaining -= tokens
        }
        return picked
    }
}
