/// Declaration patterns, one function per language family: each looks at the first tokens
/// of an eligible line (top level, or directly in a type or namespace) and says what it
/// declares, if anything.
enum DeclarationPatterns {
    static let swiftModifiers: Set<String> = [
        "public", "private", "fileprivate", "internal", "open", "package", "final", "static",
        "override", "mutating", "nonmutating", "convenience", "required", "lazy", "weak", "unowned",
        "dynamic", "indirect", "nonisolated", "isolated", "optional", "prefix", "postfix", "infix",
        "consuming", "borrowing", "distributed", "async", "throws",
    ]

    static func swift(_ tokens: LineTokens, in context: Container) -> Declaration? {
        var index = tokens.skipModifiers(swiftModifiers, from: 0)
        // `class func`, `class var`: `class` as a modifier.
        if tokens.isWord("class", at: index), let next = tokens.word(at: index + 1),
           ["func", "var", "let", "subscript", "init"].contains(next) || swiftModifiers.contains(next) {
            index = tokens.skipModifiers(swiftModifiers, from: index + 1)
        }
        guard let keyword = tokens.word(at: index) else { return nil }
        let name = tokens.word(at: index + 1)
        switch keyword {
        case "class", "struct", "enum", "protocol", "actor":
            guard let name, name.isIdentifier else { return nil }
            return Declaration(name: name, kind: .type, body: .container(Container(name: name, flavor: keyword == "enum" ? .enumeration : .type)))
        case "extension":
            guard var name, name.isIdentifier else { return nil }
            var position = index + 2
            while tokens.isMark(".", at: position), let part = tokens.word(at: position + 1) {
                name += "." + part
                position += 2
            }
            return Declaration(name: name, kind: .type, body: .container(Container(name: name, flavor: .type)), emits: false)
        case "typealias", "associatedtype":
            guard let name, name.isIdentifier else { return nil }
            return Declaration(name: name, kind: .type)
        case "func":
            let function: String
            if let name { function = name } else {
                // An operator: the marks up to `(` or `<`.
                var text = ""
                var position = index + 1
                while case .mark(let byte)? = tokens[position], byte != UInt8(ascii: "("), byte != UInt8(ascii: "<") {
                    text.append(Character(Unicode.Scalar(byte)))
                    position += 1
                }
                guard !text.isEmpty else { return nil }
                function = text
            }
            return Declaration(name: function, kind: context.isType ? .method : .function)
        case "init", "deinit", "subscript":
            return Declaration(name: keyword, kind: context.isType ? .method : .function)
        case "var", "let":
            guard let name, name.isIdentifier else { return nil }
            return Declaration(name: name, kind: context.isType ? .property : .variable)
        case "case":
            guard context.flavor == .enumeration, let name, name.isIdentifier else { return nil }
            return Declaration(name: name, kind: .property)
        case "macro":
            guard let name, name.isIdentifier else { return nil }
            return Declaration(name: name, kind: .macro)
        default:
            return nil
        }
    }
}
