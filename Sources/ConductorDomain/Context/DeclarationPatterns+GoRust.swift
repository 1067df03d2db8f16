extension DeclarationPatterns {
    static func go(_ tokens: LineTokens, in context: Container) -> Declaration? {
        guard let keyword = tokens.word(at: 0) else { return nil }
        if context.isType {
            // A struct field (`Name Type`, `A, B int`) or an interface method (`Name(…)`).
            guard let name = tokens.word(at: 0), name.isIdentifier, tokens.count >= 2 else { return nil }
            if tokens.isMark("(", at: 1) { return Declaration(name: name, kind: .method) }
            if tokens.isMark(".", at: 1) { return nil } // an embedded pkg.Type
            return Declaration(name: name, kind: .property)
        }
        switch keyword {
        case "func":
            if tokens.isMark("(", at: 1) {
                // A method: the receiver's type is the last word of the group that is not the
                // receiver's name or a type parameter.
                let end = tokens.skipGroup(at: 1)
                guard let name = tokens.word(at: end), name.isIdentifier else { return nil }
                var receiver: String?
                var position = 2
                while position < end - 1 {
                    if tokens.isMark("[", at: position) { break }
                    if let word = tokens.word(at: position) { receiver = word }
                    position += 1
                }
                return Declaration(name: name, kind: .method, scope: receiver)
            }
            guard let name = tokens.word(at: 1), name.isIdentifier else { return nil }
            return Declaration(name: name, kind: .function)
        case "type":
            guard let name = tokens.word(at: 1), name.isIdentifier else { return nil }
            var position = 2
            if tokens.isMark("[", at: position) { position = tokens.skipGroup(at: position) }
            let shape = tokens.word(at: position)
            let holdsMembers = shape == "struct" || shape == "interface"
            return Declaration(name: name, kind: .type, body: holdsMembers ? .container(Container(name: name, flavor: .type)) : .body)
        case "var", "const":
            guard let name = tokens.word(at: 1), name.isIdentifier else { return nil }
            return Declaration(name: name, kind: .variable)
        default:
            return nil
        }
    }

    static func rust(_ tokens: LineTokens, in context: Container) -> Declaration? {
        var index = 0
        // `#[derive(…)]` attributes on the line.
        while tokens.isMark("#", at: index), tokens.isMark("[", at: index + 1) { index = tokens.skipGroup(at: index + 1) }
        while let word = tokens.word(at: index) {
            if word == "pub" {
                index += 1
                if tokens.isMark("(", at: index) { index = tokens.skipGroup(at: index) }
            } else if ["async", "unsafe", "default"].contains(word) {
                index += 1
            } else if word == "extern" {
                // `extern "C"`: the blanked string is two quote marks.
                index += 1
                while tokens.isMark("\"", at: index) { index += 1 }
            } else if word == "const", let next = tokens.word(at: index + 1), ["fn", "unsafe", "async", "extern"].contains(next) {
                index += 1
            } else {
                break
            }
        }
        guard let keyword = tokens.word(at: index) else { return nil }
        let name = tokens.word(at: index + 1)
        switch keyword {
        case "fn":
            guard let name, name.isIdentifier else { return nil }
            return Declaration(name: name, kind: context.isType ? .method : .function)
        case "struct", "union", "enum", "trait":
            guard let name, name.isIdentifier else { return nil }
            return Declaration(name: name, kind: .type, body: .container(Container(name: name, flavor: keyword == "enum" ? .enumeration : .type)))
        case "type":
            guard let name, name.isIdentifier else { return nil }
            return Declaration(name: name, kind: .type)
        case "impl":
            // `impl<T> Trait<T> for Type<T> where … {`: the scope is the implementing type.
            var position = index + 1
            if tokens.isMark("<", at: position) { position = tokens.skipGroup(at: position) }
            var implemented: String?
            var afterFor = false
            while position < tokens.count {
                if tokens.isMark("{", at: position) || tokens.isWord("where", at: position) { break }
                if tokens.isMark("<", at: position) { position = tokens.skipGroup(at: position); continue }
                if let word = tokens.word(at: position) {
                    if word == "for" {
                        afterFor = true
                        implemented = nil
                    } else if word != "dyn", word != "mut", implemented == nil || !afterFor || tokens.isMark(":", at: position - 1) {
                        implemented = word
                    }
                }
                position += 1
            }
            guard let implemented else { return nil }
            return Declaration(name: implemented, kind: .type, body: .container(Container(name: implemented, flavor: .type)), emits: false)
        case "mod":
            guard let name, name.isIdentifier else { return nil }
            return Declaration(name: name, kind: .module, body: .container(Container(name: name, flavor: .namespace)))
        case "const", "static":
            var position = index + 1
            if tokens.isWord("mut", at: position) { position += 1 }
            guard let constant = tokens.word(at: position), constant.isIdentifier, constant != "_" else { return nil }
            return Declaration(name: constant, kind: context.isType ? .property : .variable)
        case "macro_rules":
            guard tokens.isMark("!", at: index + 1), let macro = tokens.word(at: index + 2) else { return nil }
            return Declaration(name: macro, kind: .macro)
        default:
            guard keyword.isIdentifier else { return nil }
            if context.flavor == .enumeration {
                // A variant: `Name,`, `Name(T),`, `Name { … },`, `Name = 3,`.
                guard index == 0 || tokens.isMark("]", at: index - 1) else { return nil }
                return Declaration(name: keyword, kind: .property)
            }
            if context.flavor == .type, tokens.isMark(":", at: index + 1), !tokens.isMark(":", at: index + 2) {
                return Declaration(name: keyword, kind: .property) // a field
            }
            return nil
        }
    }
}
