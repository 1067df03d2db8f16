extension DeclarationPatterns {
    static let managedModifiers: Set<String> = [
        "public", "private", "protected", "internal", "static", "final", "abstract", "synchronized",
        "native", "transient", "volatile", "strictfp", "default", "sealed", "non", "open", "override",
        "suspend", "inline", "data", "inner", "lateinit", "const", "virtual", "readonly", "async",
        "partial", "unsafe", "extern", "new", "value", "annotation", "operator", "infix", "tailrec",
        "external", "expect", "actual", "required", "file",
    ]

    static let managedStatements: Set<String> = [
        "if", "for", "while", "switch", "return", "throw", "new", "else", "do", "try", "catch",
        "synchronized", "super", "this", "yield", "case", "when", "use", "require", "include",
        "echo", "using", "import", "package",
    ]

    /// Java, Kotlin, C# and PHP.
    static func managed(_ tokens: LineTokens, in context: Container, language: SourceLanguage) -> Declaration? {
        var index = 0
        // C# `[Attribute]`s and PHP `#[Attribute]`s.
        while tokens.isMark("[", at: index) || (tokens.isMark("#", at: index) && tokens.isMark("[", at: index + 1)) {
            index = tokens.skipGroup(at: tokens.isMark("#", at: index) ? index + 1 : index)
        }
        index = tokens.skipModifiers(managedModifiers, from: index)
        // Kotlin's `enum class`, `sealed class`, `companion object`, `sealed interface`.
        if let word = tokens.word(at: index), ["enum", "companion", "fun"].contains(word),
           let next = tokens.word(at: index + 1), ["class", "object", "interface"].contains(next) {
            if word == "companion" {
                return Declaration(name: "Companion", kind: .type, body: .container(Container(name: context.name, flavor: .type)), emits: false)
            }
            index += 1
            if word == "enum" {
                guard let name = tokens.word(at: index + 1), name.isIdentifier else { return nil }
                return Declaration(name: name, kind: .type, body: .container(Container(name: name, flavor: .enumeration)))
            }
        }
        if tokens.isMark("@", at: index), tokens.isWord("interface", at: index + 1) { index += 1 }
        // PHP `$name` properties.
        if language == .php, context.isType, tokens.isMark("$", at: index), let property = tokens.word(at: index + 1) {
            return Declaration(name: property, kind: .property)
        }
        guard let keyword = tokens.word(at: index) else { return nil }
        let name = tokens.word(at: index + 1)
        switch keyword {
        case "class", "interface", "record", "object", "struct", "trait":
            guard let name, name.isIdentifier else { return nil }
            return Declaration(name: name, kind: .type, body: .container(Container(name: name, flavor: .type)))
        case "enum":
            guard let name, name.isIdentifier else { return nil }
            return Declaration(name: name, kind: .type, body: .container(Container(name: name, flavor: .enumeration)))
        case "namespace" where language == .csharp:
            guard let name, name.isIdentifier else { return nil }
            var qualified = name
            var position = index + 2
            while tokens.isMark(".", at: position), let part = tokens.word(at: position + 1) {
                qualified += "." + part
                position += 2
            }
            return Declaration(name: qualified, kind: .module, body: .container(Container(name: qualified, flavor: .namespace)))
        case "fun", "function":
            // Kotlin `fun <T> Receiver.name(`; PHP `function &name(`.
            var position = index + 1
            if tokens.isMark("<", at: position) { position = tokens.skipGroup(at: position) }
            if tokens.isMark("&", at: position) { position += 1 }
            guard let parenthesis = tokens.firstMark("(", from: position),
                  let (function, _) = tokens.lastWord(before: parenthesis), function.isIdentifier else { return nil }
            return Declaration(name: function, kind: context.isType ? .method : .function)
        case "val" where language == .kotlin, "var" where language == .kotlin:
            var position = index + 1
            if tokens.isMark("<", at: position) { position = tokens.skipGroup(at: position) }
            // `val Receiver.name`: the name is the word before `:`, `=` or the end.
            var property = tokens.word(at: position)
            while tokens.isMark(".", at: position + 1), let next = tokens.word(at: position + 2) {
                property = next
                position += 2
            }
            guard let property, property.isIdentifier else { return nil }
            return Declaration(name: property, kind: context.isType ? .property : .variable)
        case "const" where language == .php:
            guard let name, name.isIdentifier else { return nil }
            return Declaration(name: name, kind: .property)
        default:
            break
        }
        guard context.isType, keyword.isIdentifier, !managedStatements.contains(keyword) else { return nil }
        if context.flavor == .enumeration, index == 0, keyword.uppercased() == keyword || tokens.isMark(",", at: 1) {
            return Declaration(name: keyword, kind: .property)
        }
        let parenthesis = tokens.firstMark("(", from: index)
        let assignment = tokens.firstMark("=", from: index)
        if let parenthesis, assignment.map({ $0 > parenthesis }) ?? true {
            // A method or constructor: `Type name(`, `<T> T name(`, `Name(` (a constructor).
            guard let (method, position) = tokens.lastWord(before: parenthesis), position == parenthesis - 1,
                  method.isIdentifier, !managedStatements.contains(method) else { return nil }
            for offset in index..<parenthesis where tokens.isMark(".", at: offset) || tokens.isMark("=", at: offset) { return nil }
            guard position > index || method == context.name else { return nil }
            return Declaration(name: method, kind: .method)
        }
        // A field (`private final int count = 0;`) or a C# property (`public int Count { get; }`).
        let end = [assignment, tokens.firstMark(";", from: index), tokens.firstMark("{", from: index)].compactMap { $0 }.min()
        guard let end, let (field, position) = tokens.lastWord(before: end), position > index, field.isIdentifier else { return nil }
        return Declaration(name: field, kind: .property)
    }
}
