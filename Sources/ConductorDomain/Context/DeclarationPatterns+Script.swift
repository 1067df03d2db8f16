extension DeclarationPatterns {
    static let scriptModifiers: Set<String> = [
        "export", "default", "declare", "async", "abstract", "public", "private", "protected",
        "static", "readonly", "override", "accessor", "get", "set",
    ]

    /// Words that open a statement, not a member, inside a class body.
    static let scriptStatements: Set<String> = [
        "if", "for", "while", "switch", "return", "await", "yield", "new", "throw", "super", "this",
        "import", "require", "delete", "typeof", "void", "catch", "else", "do", "try",
    ]

    static func script(_ tokens: LineTokens, in context: Container) -> Declaration? {
        var index = 0
        while let word = tokens.word(at: index), scriptModifiers.contains(word) {
            // `get`/`set`/`static`/`async` may be member names themselves: `get(key) {`.
            if ["get", "set", "static", "async", "default"].contains(word), tokens.isMark("(", at: index + 1) || tokens.isMark(":", at: index + 1) || tokens.isMark("=", at: index + 1) { break }
            index += 1
        }
        while tokens.isMark("@", at: index), tokens.word(at: index + 1) != nil {
            index += 2
            if tokens.isMark("(", at: index) { index = tokens.skipGroup(at: index) }
        }
        guard let keyword = tokens.word(at: index) else {
            // `*generator() {`, `#field = 1`, `[Symbol.iterator]() {`.
            if context.isType, tokens.isMark("*", at: index) || tokens.isMark("#", at: index), let name = tokens.word(at: index + 1), name.isIdentifier {
                return tokens.isMark("(", at: index + 2) ? Declaration(name: name, kind: .method) : Declaration(name: name, kind: .property)
            }
            return nil
        }
        let name = tokens.word(at: index + 1)
        switch keyword {
        case "function":
            var position = index + 1
            if tokens.isMark("*", at: position) { position += 1 }
            guard let function = tokens.word(at: position), function.isIdentifier else { return nil }
            return Declaration(name: function, kind: .function)
        case "class", "interface":
            guard let name, name.isIdentifier else { return nil }
            return Declaration(name: name, kind: .type, body: .container(Container(name: name, flavor: .type)))
        case "enum":
            guard let name, name.isIdentifier else { return nil }
            return Declaration(name: name, kind: .type, body: .container(Container(name: name, flavor: .enumeration)))
        case "type" where name != nil && !context.isType && (tokens.isMark("=", at: index + 2) || tokens.isMark("<", at: index + 2)):
            return Declaration(name: name!, kind: .type)
        case "namespace" where name != nil && !context.isType, "module" where name != nil && !context.isType:
            return Declaration(name: name!, kind: .module, body: .container(Container(name: name, flavor: .namespace)))
        case "const" where !context.isType, "let" where !context.isType, "var" where !context.isType:
            guard let name, name.isIdentifier else { return nil }
            var kind = CodeSymbol.Kind.variable
            if let equals = tokens.firstMark("=", from: index + 2) {
                let value = tokens.word(at: equals + 1)
                let arrow = tokens.firstMark(">", from: equals + 1).map { tokens.isMark("=", at: $0 - 1) } ?? false
                if value == "function" || arrow || (value == "async" && (tokens.isWord("function", at: equals + 2) || tokens.isMark("(", at: equals + 2))) {
                    kind = .function
                }
            }
            return Declaration(name: name, kind: kind)
        default:
            guard context.isType, keyword.isIdentifier, !scriptStatements.contains(keyword) else { return nil }
            if context.flavor == .enumeration {
                guard index == 0 else { return nil }
                return Declaration(name: keyword, kind: .property)
            }
            var position = index + 1
            if tokens.isMark("?", at: position) || tokens.isMark("!", at: position) { position += 1 }
            if tokens.isMark("<", at: position) { position = tokens.skipGroup(at: position) }
            if tokens.isMark("(", at: position) {
                return Declaration(name: keyword, kind: .method)
            }
            if tokens.isMark(":", at: position) || tokens.isMark("=", at: position) || tokens.isMark(";", at: position) || position >= tokens.count {
                return Declaration(name: keyword, kind: .property)
            }
            return nil
        }
    }
}
