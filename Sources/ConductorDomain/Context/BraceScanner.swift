/// Finds declarations in a brace language and their extents: a declaration line sets a
/// *pending* symbol; the first `{` at its depth opens its block, and the matching `}` ends it.
/// A `;` at its depth, the next declaration, or a line after which the signature cannot go on
/// ends it without a body.
struct BraceScanner {
    let text: CodeText
    let language: SourceLanguage
    private var symbols: [CodeSymbol?] = []
    private var blocks: [Block] = []
    private var pending: Pending?
    /// Inside a Go `const (`, `var (` or `type (` group: the kind of its entries.
    private var goGroup: CodeSymbol.Kind?

    private struct Block {
        var role: BlockRole
        var symbol: Int?
    }

    private struct Pending {
        var symbol: Int?
        var role: BlockRole
        var line: Int
        var depth: Int
        var requiresBody: Bool
    }

    init(text: CodeText, language: SourceLanguage) {
        self.text = text
        self.language = language
    }

    /// The innermost container; only asked on eligible lines, where it is the innermost block.
    var container: Container {
        if case .container(let container)? = blocks.last?.role { return container }
        return .topLevel
    }

    /// Whether declarations on the current line count: the innermost block holds declarations.
    private var isEligible: Bool {
        guard let last = blocks.last else { return true }
        if case .container = last.role { return true }
        return false
    }

    mutating func scan() -> [CodeSymbol] {
        let code = text.code
        for line in 1...max(1, text.lineCount) where line <= text.lineCount {
            let range = text.range(ofLine: line)
            if isEligible {
                let tokens = LineTokens(code, range: range)
                if !tokens.isEmpty { recognise(tokens, line: line) }
            }
            for index in range {
                switch code[index] {
                case UInt8(ascii: "{"): open(line: line)
                case UInt8(ascii: "}"): close(line: line)
                case UInt8(ascii: ";"):
                    if let pending, pending.depth == blocks.count { finishWithoutBody(pending, endLine: line) }
                default: break
                }
            }
            if let pending, pending.line <= line, !signatureContinues(after: line, since: pending.line) {
                finishWithoutBody(pending, endLine: line)
            }
        }
        if let pending { finishWithoutBody(pending, endLine: pending.line) }
        return symbols.compactMap { $0 }
    }

    private mutating func recognise(_ tokens: LineTokens, line: Int) {
        if language == .go, handleGoGroup(tokens, line: line) { return }
        let context = container
        guard let declaration = match(tokens, in: context) else { return }
        if let pending { finishWithoutBody(pending, endLine: max(pending.line, line - 1)) }
        var index: Int?
        if declaration.emits {
            let scope = declaration.scope ?? context.name
            symbols.append(CodeSymbol(
                name: declaration.name, kind: declaration.kind, line: line, endLine: nil,
                signature: text.trimmedLine(line), scope: scope
            ))
            index = symbols.count - 1
        }
        let pendingDeclaration = Pending(symbol: index, role: declaration.body, line: line, depth: blocks.count, requiresBody: declaration.requiresBody)
        if declaration.kind == .macro, language == .c || language == .cpp {
            // A `#define` ends with its line, or with its last `\`-continued line.
            var last = line
            while last < text.lineCount, text.range(ofLine: last).last.map({ text.original[$0] == UInt8(ascii: "\\") }) == true { last += 1 }
            finishWithoutBody(pendingDeclaration, endLine: last)
        } else {
            pending = pendingDeclaration
        }
    }

    private func match(_ tokens: LineTokens, in context: Container) -> Declaration? {
        switch language {
        case .swift: DeclarationPatterns.swift(tokens, in: context)
        case .go: DeclarationPatterns.go(tokens, in: context)
        case .rust: DeclarationPatterns.rust(tokens, in: context)
        case .c, .cpp: DeclarationPatterns.cFamily(tokens, in: context)
        case .javascript, .typescript: DeclarationPatterns.script(tokens, in: context)
        case .java, .kotlin, .csharp, .php: DeclarationPatterns.managed(tokens, in: context, language: language)
        case .python, .ruby: nil
        }
    }

    private mutating func open(line: Int) {
        if let pending, pending.depth == blocks.count {
            blocks.append(Block(role: pending.role, symbol: pending.symbol))
            self.pending = nil
        } else {
            blocks.append(Block(role: .body, symbol: nil))
        }
    }

    private mutating func close(line: Int) {
        if let pending, pending.depth >= blocks.count { finishWithoutBody(pending, endLine: pending.line) }
        guard let block = blocks.popLast() else { return }
        if let index = block.symbol, let symbol = symbols[index] {
            symbols[index] = symbol.ending(at: line)
        }
    }

    private mutating func finishWithoutBody(_ finished: Pending, endLine: Int) {
        pending = nil
        guard let index = finished.symbol, let symbol = symbols[index] else { return }
        symbols[index] = finished.requiresBody ? nil : symbol.ending(at: max(symbol.line, endLine))
    }

    /// Whether the declaration begun on `start` may still be going on after `line`: a bracket
    /// is open, the line ends mid-expression, or the next line carries on (`{`, `where`, `->`).
    private func signatureContinues(after line: Int, since start: Int) -> Bool {
        if language == .c || language == .cpp || language == .java || language == .csharp || language == .php {
            // Statements end with `;`: until then the declaration may go on (bounded).
            return line - start < 12
        }
        guard line - start < 12 else { return false }
        var open = 0
        for number in start...line {
            for index in text.range(ofLine: number) {
                switch text.code[index] {
                case UInt8(ascii: "("), UInt8(ascii: "["): open += 1
                case UInt8(ascii: ")"), UInt8(ascii: "]"): open -= 1
                default: break
                }
            }
        }
        if open > 0 { return true }
        if let last = lastCodeByte(of: line), ",(=:<|&+-.>".utf8.contains(last) { return true }
        guard line < text.lineCount else { return false }
        let next = LineTokens(text.code, range: text.range(ofLine: line + 1), limit: 2)
        guard let first = next[0] else { return false }
        switch first {
        case .mark(let byte): return "{-.:=)>,".utf8.contains(byte)
        case .word(let word): return ["where", "throws", "rethrows", "async", "const"].contains(word)
        }
    }

    private func lastCodeByte(of line: Int) -> UInt8? {
        let range = text.range(ofLine: line)
        var index = range.upperBound - 1
        while index >= range.lowerBound {
            let byte = text.code[index]
            if !CodeText.isSpace(byte) { return byte }
            index -= 1
        }
        return nil
    }

    /// Entries of Go's `const (`, `var (` and `type (` groups, one a line.
    private mutating func handleGoGroup(_ tokens: LineTokens, line: Int) -> Bool {
        if let kind = goGroup {
            if tokens.isMark(")", at: 0) {
                goGroup = nil
                return true
            }
            if let name = tokens.word(at: 0), name.isIdentifier, blocks.isEmpty {
                symbols.append(CodeSymbol(name: name, kind: kind, line: line, endLine: line, signature: text.trimmedLine(line), scope: nil))
            }
            return true
        }
        if blocks.isEmpty, let keyword = tokens.word(at: 0), tokens.isMark("(", at: 1), tokens.count == 2 {
            switch keyword {
            case "const", "var": goGroup = .variable
            case "type": goGroup = .type
            default: return false
            }
            return true
        }
        return false
    }
}

extension CodeSymbol {
    /// This symbol with its last line set.
    func ending(at line: Int) -> CodeSymbol {
        CodeSymbol(name: name, kind: kind, line: self.line, endLine: line, signature: signature, scope: scope)
    }
}
