/// Reads what universal-ctags prints with `--output-format=json --fields=+nKSe`: one JSON
/// object a line, `{"_type": "tag", "name": …, "path": …, "line": …, "end": …, "kind": …,
/// "scope": …, "scopeKind": …, "signature": …, "pattern": …}`. Pseudo-tags
/// (`"_type": "ptag"`) are skipped; a line that is not such an object is skipped and counted,
/// so a broken or foreign ctags is noticed rather than trusted.
public struct CtagsOutput: Sendable {
    /// Symbols by path (as ctags printed it), each file's in line order.
    public var symbols: [String: [CodeSymbol]]
    /// Tag lines read.
    public var tagLines: Int
    /// Lines that were not JSON objects of the expected shape.
    public var junkLines: Int
    /// Tags of kinds the map does not show (locals, parameters, imports, labels).
    public var ignoredTags: Int

    public init(symbols: [String: [CodeSymbol]], tagLines: Int, junkLines: Int, ignoredTags: Int) {
        self.symbols = symbols
        self.tagLines = tagLines
        self.junkLines = junkLines
        self.ignoredTags = ignoredTags
    }

    /// Parses `output`, whole.
    public static func parse(_ output: [UInt8]) -> CtagsOutput {
        var result = CtagsOutput(symbols: [:], tagLines: 0, junkLines: 0, ignoredTags: 0)
        var start = 0
        let newline = UInt8(ascii: "\n")
        while start < output.count {
            var end = start
            while end < output.count, output[end] != newline { end += 1 }
            result.read(output[start..<end])
            start = end + 1
        }
        for (path, list) in result.symbols {
            result.symbols[path] = list.sorted { ($0.line, $0.name) < ($1.line, $1.name) }
        }
        return result
    }

    private mutating func read(_ line: ArraySlice<UInt8>) {
        var trimmed = line
        while let last = trimmed.last, last == 13 || last == 32 || last == 9 { trimmed = trimmed.dropLast() }
        while let first = trimmed.first, first == 32 || first == 9 { trimmed = trimmed.dropFirst() }
        guard !trimmed.isEmpty else { return }
        guard let tag = FlatJSONObject(trimmed) else {
            junkLines += 1
            return
        }
        if tag.strings["_type"] == "ptag" { return }
        guard tag.strings["_type"] == "tag" || tag.strings["_type"] == nil, let name = tag.strings["name"], !name.isEmpty,
              let path = tag.strings["path"], let line = tag.integers["line"], line > 0, let kindName = tag.strings["kind"] else {
            junkLines += 1
            return
        }
        tagLines += 1
        let language = SourceLanguage(path: path)
        guard let kind = Self.kind(kindName, scopeKind: tag.strings["scopeKind"], language: language) else {
            ignoredTags += 1
            return
        }
        // A Go or Java package is every file's scope: it says nothing about the symbol.
        let scope = tag.strings["scopeKind"] == "package" ? nil : tag.strings["scope"].map { Self.lastComponent(of: $0, language: language) }
        let symbol = CodeSymbol(
            name: name, kind: kind, line: line, endLine: tag.integers["end"].flatMap { $0 >= line ? $0 : nil },
            signature: tag.strings["pattern"].flatMap(Self.lineOfPattern) ?? tag.strings["signature"].map { name + $0 }, scope: scope
        )
        symbols[path, default: []].append(symbol)
    }

    /// `symbols` with each signature taken from its line in `contents`, trimmed: ctags cuts
    /// its patterns at 96 characters, and the built-in scanner signs with the whole line, so
    /// both scanners' maps read the same.
    public static func withSourceSignatures(_ symbols: [CodeSymbol], contents: [UInt8]) -> [CodeSymbol] {
        guard !symbols.isEmpty else { return symbols }
        let text = CodeText(contents, rules: CodeText.Rules(lineComments: [], blockComments: false))
        return symbols.map { symbol in
            guard symbol.line <= text.lineCount else { return symbol }
            return CodeSymbol(
                name: symbol.name, kind: symbol.kind, line: symbol.line, endLine: symbol.endLine,
                signature: text.trimmedLine(symbol.line), scope: symbol.scope
            )
        }
    }

    /// Maps a ctags kind (its long name, as `K` prints it) onto the map's kinds; nil for kinds
    /// a reader does not skim for (locals, parameters, labels, imports, Rust `impl` blocks,
    /// and packages, which every file of a Go or Java package declares).
    public static func kind(_ name: String, scopeKind: String?, language: SourceLanguage?) -> CodeSymbol.Kind? {
        let inType = scopeKind.map { typeKinds.contains($0) } ?? false
        switch name {
        case "class", "struct", "enum", "interface", "union", "typedef", "trait", "protocol", "type",
             "talias", "alias", "record", "annotation", "typealias", "object", "enumeration", "mixin":
            return .type
        case "namespace", "module", "mod":
            return .module
        case "function", "func", "subroutine", "procedure", "generator":
            return inType ? .method : .function
        case "method", "methodSpec", "singletonMethod", "getter", "setter", "constructor", "accessor":
            return .method
        case "member":
            // Python's `member` is a method; C's and Go's a field.
            return language == .python ? .method : .property
        case "field", "property", "enumerator", "enumConstant", "enumConstants", "enumMember", "attribute", "event":
            return .property
        case "variable", "var", "const", "constant", "global":
            return inType ? .property : .variable
        case "macro", "define":
            return .macro
        default:
            return nil
        }
    }

    static let typeKinds: Set<String> = [
        "class", "struct", "enum", "interface", "union", "trait", "protocol", "type", "record",
        "implementation", "object", "typedef", "module",
    ]

    /// `Outer.Inner` → `Inner`, `ns::Type` → `Type`: the map names the nearest enclosing type.
    static func lastComponent(of scope: String, language: SourceLanguage?) -> String {
        let separators: Set<Character> = [".", ":"]
        guard let last = scope.lastIndex(where: { separators.contains($0) }) else { return scope }
        return String(scope[scope.index(after: last)...])
    }

    /// The source line in a ctags search pattern, `/^  func start() {$/` → `func start() {`,
    /// trimmed; nil for a line-number address.
    static func lineOfPattern(_ pattern: String) -> String? {
        guard pattern.hasPrefix("/^") || pattern.hasPrefix("?^") else { return nil }
        var body = pattern.dropFirst(2)
        if body.hasSuffix("$/") || body.hasSuffix("$?") { body = body.dropLast(2) } else if body.hasSuffix("/") || body.hasSuffix("?") { body = body.dropLast() }
        var text = ""
        var escaped = false
        for character in body {
            if character == "\\", !escaped {
                escaped = true
                continue
            }
            escaped = false
            text.append(character)
        }
        return String(text.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
