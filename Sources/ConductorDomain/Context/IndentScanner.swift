/// Finds declarations in Python and Ruby, where a definition ends at the last line before the
/// indentation falls back to (or below) its own: lines inside brackets, blank lines, comments
/// and the insides of multi-line strings do not count. A Ruby definition ends at its `end`.
struct IndentScanner {
    let text: CodeText
    let language: SourceLanguage
    private var symbols: [CodeSymbol?] = []
    private var open: [Frame] = []

    private struct Frame {
        var indent: Int
        var symbol: Int?
        /// A class or module: its direct definitions are methods and its assignments fields.
        var isType: Bool
        var name: String?
    }

    init(text: CodeText, language: SourceLanguage) {
        self.text = text
        self.language = language
    }

    mutating func scan() -> [CodeSymbol] {
        let code = text.code
        var brackets = 0
        var lastSignificant = 0
        for line in stride(from: 1, through: text.lineCount, by: 1) {
            let range = text.range(ofLine: line)
            if text.startsInLiteral[line - 1] { continue }
            var start = range.lowerBound
            var indent = 0
            while start < range.upperBound, CodeText.isSpace(code[start]) {
                indent += code[start] == 9 ? 8 - indent % 8 : 1
                start += 1
            }
            let blank = start == range.upperBound
            let continuation = brackets > 0
            for index in start..<range.upperBound {
                switch code[index] {
                case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"): brackets += 1
                case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"): brackets = max(0, brackets - 1)
                default: break
                }
            }
            // Inside a multi-line string the blanked line is empty (only its indentation may be left).
            if blank || continuation { continue }
            let tokens = LineTokens(code, range: start..<range.upperBound, limit: 12)
            if language == .ruby, tokens.count == 1, tokens.isWord("end", at: 0) {
                if let frame = open.last, frame.indent >= indent {
                    close(through: indent, endLine: line, inclusive: true)
                }
                lastSignificant = line
                continue
            }
            close(through: indent, endLine: lastSignificant, inclusive: false)
            lastSignificant = line
            recognise(tokens, line: line, indent: indent)
        }
        close(through: 0, endLine: lastSignificant, inclusive: false)
        return symbols.compactMap { $0 }
    }

    /// Ends every open definition indented at least `indent`; with `inclusive`, the innermost one
    /// at exactly `indent` ends on `endLine` itself (a Ruby `end`).
    private mutating func close(through indent: Int, endLine: Int, inclusive: Bool) {
        while let frame = open.last, frame.indent >= indent {
            open.removeLast()
            if let index = frame.symbol, let symbol = symbols[index] {
                symbols[index] = symbol.ending(at: max(symbol.line, endLine))
            }
            if inclusive, frame.indent == indent { return }
        }
    }

    private mutating func recognise(_ tokens: LineTokens, line: Int, indent: Int) {
        let parent = open.last
        let eligible = parent == nil || parent!.isType
        var index = 0
        if tokens.isWord("async", at: 0) { index = 1 }
        guard let keyword = tokens.word(at: index) else { return }
        var declared: (name: String, kind: CodeSymbol.Kind, isType: Bool)?
        switch keyword {
        case "class", "module":
            guard keyword == "class" || language == .ruby, var name = tokens.word(at: index + 1), name.isIdentifier else { break }
            // Ruby `class Foo::Bar`, `class << self`.
            var position = index + 2
            while language == .ruby, tokens.isMark(":", at: position), tokens.isMark(":", at: position + 1), let part = tokens.word(at: position + 2) {
                name = part
                position += 3
            }
            declared = (name, .type, true)
        case "def":
            var position = index + 1
            // Ruby `def self.name`.
            if language == .ruby, tokens.isWord("self", at: position), tokens.isMark(".", at: position + 1) { position += 2 }
            guard let name = tokens.word(at: position), name.isIdentifier else { break }
            declared = (name, parent?.isType == true ? .method : .function, false)
        default:
            // Python assignments at module or class level: `NAME = …`, `name: int = …`.
            guard language == .python, eligible, index == 0, keyword.isIdentifier,
                  tokens.isMark("=", at: 1) && !tokens.isMark("=", at: 2) || tokens.isMark(":", at: 1) && tokens.count > 2 else { return }
            symbols.append(CodeSymbol(
                name: keyword, kind: parent == nil ? .variable : .property, line: line, endLine: line,
                signature: text.trimmedLine(line), scope: parent?.name
            ))
            return
        }
        guard let declared else { return }
        var symbolIndex: Int?
        if eligible {
            symbols.append(CodeSymbol(name: declared.name, kind: declared.kind, line: line, endLine: nil, signature: text.trimmedLine(line), scope: parent?.name))
            symbolIndex = symbols.count - 1
        }
        // A nested function's own definitions are not recorded (it is not a type), but its
        // extent still bounds what follows.
        open.append(Frame(indent: indent, symbol: symbolIndex, isType: declared.isType && eligible, name: declared.name))
    }
}
