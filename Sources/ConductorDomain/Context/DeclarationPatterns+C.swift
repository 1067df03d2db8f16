extension DeclarationPatterns {
    /// Words that can precede `(` without making a function definition.
    static let cNonFunctions: Set<String> = [
        "if", "else", "for", "while", "do", "switch", "case", "return", "sizeof", "alignof", "typeof",
        "decltype", "static_assert", "_Static_assert", "defined", "catch", "throw", "new", "delete",
        "goto", "operator", "__attribute__", "__declspec", "alignas", "noexcept", "requires",
    ]

    static let cQualifiers: Set<String> = [
        "static", "inline", "extern", "const", "constexpr", "consteval", "constinit", "virtual",
        "explicit", "friend", "volatile", "register", "thread_local", "mutable", "typename",
        "__inline", "__inline__", "__forceinline", "_Noreturn", "unsigned", "signed",
    ]

    static func cFamily(_ tokens: LineTokens, in context: Container) -> Declaration? {
        // `#define NAME`.
        if tokens.isMark("#", at: 0) {
            guard tokens.isWord("define", at: 1), let name = tokens.word(at: 2), name.isIdentifier else { return nil }
            return Declaration(name: name, kind: .macro)
        }
        var index = 0
        // Access labels (`public:`) and `template <…>` prefixes.
        if let word = tokens.word(at: 0), ["public", "private", "protected"].contains(word), tokens.isMark(":", at: 1) {
            index = 2
            guard index < tokens.count else { return nil }
        }
        if tokens.isWord("template", at: index) {
            index = tokens.isMark("<", at: index + 1) ? tokens.skipGroup(at: index + 1) : index + 1
        }
        guard let first = tokens.word(at: index) else { return nil }
        switch first {
        case "namespace":
            guard let name = tokens.word(at: index + 1), name.isIdentifier else {
                return Declaration(name: "", kind: .module, body: .container(Container(name: context.name, flavor: .namespace)), emits: false)
            }
            return Declaration(name: name, kind: .module, body: .container(Container(name: name, flavor: .namespace)))
        case "extern" where tokens.isMark("\"", at: index + 1):
            return Declaration(name: "", kind: .module, body: .container(context), emits: false)
        case "typedef":
            return cTypedef(tokens, from: index + 1)
        case "using", "return", "goto", "else", "case", "default", "friend", "static_assert":
            return nil
        default:
            break
        }
        let parenthesis = tokens.firstMark("(", from: index)
        let assignment = tokens.firstMark("=", from: index)
        // A type definition: `struct Name {`, `class Name final : Base {`, `enum class Name {`.
        if ["struct", "class", "union", "enum"].contains(first), parenthesis == nil || (assignment.map { $0 < parenthesis! } ?? false) {
            var position = index + 1
            if first == "enum", tokens.isWord("class", at: position) || tokens.isWord("struct", at: position) { position += 1 }
            // Skip attribute macros: the name is the last word before `:`, `{` or the end.
            var name: String?
            while position < tokens.count {
                if tokens.isMark("{", at: position) || tokens.isMark(";", at: position) || tokens.isMark("=", at: position) { break }
                if tokens.isMark(":", at: position), !tokens.isMark(":", at: position + 1), !tokens.isMark(":", at: position - 1) { break }
                if tokens.isMark("[", at: position) || tokens.isMark("(", at: position) { position = tokens.skipGroup(at: position); continue }
                if let word = tokens.word(at: position), word != "final", word.isIdentifier { name = word }
                position += 1
            }
            guard let name else { return nil }
            let isEnum = first == "enum"
            // A variable of struct type (`struct foo bar;`) also ends up here and is dropped at `;`.
            return Declaration(name: name, kind: .type, body: .container(Container(name: name, flavor: isEnum ? .enumeration : .type)), requiresBody: true)
        }
        if context.flavor == .enumeration {
            guard index == 0, first.isIdentifier, tokens.count == 1 || tokens.isMark(",", at: 1) || tokens.isMark("=", at: 1) || tokens.isMark("}", at: 1) else { return nil }
            return Declaration(name: first, kind: .property)
        }
        if let parenthesis, assignment.map({ $0 > parenthesis }) ?? true {
            return cFunction(tokens, from: index, parenthesis: parenthesis, in: context)
        }
        // A variable or a field: `static int count = 0;`, `char name[16];`, `unsigned flags : 3;`.
        guard first != "extern" else { return nil }
        var end = assignment ?? tokens.firstMark(";", from: index) ?? tokens.count
        if let bracket = tokens.firstMark("[", from: index), bracket < end { end = bracket }
        if context.isType, let colon = tokens.firstMark(":", from: index), colon < end, !tokens.isMark(":", at: colon + 1) { end = colon }
        guard tokens.firstMark(";", from: index) != nil || assignment != nil,
              let (name, position) = tokens.lastWord(before: end), position > index, name.isIdentifier,
              !cQualifiers.contains(name), !tokens.isMark(".", at: position - 1),
              !tokens.isMark("-", at: position - 2) else { return nil }
        return Declaration(name: name, kind: context.isType ? .property : .variable)
    }

    /// `typedef … Name;` and `typedef struct Name {`.
    private static func cTypedef(_ tokens: LineTokens, from index: Int) -> Declaration? {
        if let brace = tokens.firstMark("{", from: index) {
            guard let (name, position) = tokens.lastWord(before: brace), position > index,
                  !["struct", "union", "enum"].contains(name) else { return nil }
            return Declaration(name: name, kind: .type, body: .container(Container(name: name, flavor: tokens.isWord("enum", at: index) ? .enumeration : .type)))
        }
        // A function pointer: `typedef void (*handler_t)(int);`.
        if let parenthesis = tokens.firstMark("(", from: index), tokens.isMark("*", at: parenthesis + 1), let name = tokens.word(at: parenthesis + 2) {
            return Declaration(name: name, kind: .type)
        }
        guard let semicolon = tokens.firstMark(";", from: index), let (name, position) = tokens.lastWord(before: semicolon), position > index else { return nil }
        return Declaration(name: name, kind: .type)
    }

    /// `int main(…)`, `static void *run(…)`, `Foo::Foo(…)`, `std::string Foo::name() const`.
    private static func cFunction(_ tokens: LineTokens, from index: Int, parenthesis: Int, in context: Container) -> Declaration? {
        guard parenthesis > index, var name = tokens.word(at: parenthesis - 1), name.isIdentifier,
              !cNonFunctions.contains(name), !cQualifiers.contains(name) else { return nil }
        var position = parenthesis - 2
        var scope: String?
        if tokens.isMark("~", at: position) {
            name = "~" + name
            position -= 1
        }
        if tokens.isMark(":", at: position), tokens.isMark(":", at: position - 1) {
            position -= 2
            if tokens.isMark(">", at: position) {
                // `Foo<T>::bar`: back over the template arguments.
                var depth = 0
                while position >= index {
                    if tokens.isMark(">", at: position) { depth += 1 }
                    if tokens.isMark("<", at: position) { depth -= 1; if depth == 0 { position -= 1; break } }
                    position -= 1
                }
            }
            scope = tokens.word(at: position)
            position -= 1
            while tokens.isMark(":", at: position), tokens.isMark(":", at: position - 1), tokens.word(at: position - 2) != nil { position -= 3 }
        }
        // Something must come before the name: a return type, or the class of a constructor.
        let hasType = position >= index && (tokens.word(at: position) != nil || tokens.isMark("*", at: position) || tokens.isMark("&", at: position) || tokens.isMark(">", at: position))
        let isConstructor = scope != nil || (context.isType && name == context.name) || (context.isType && name.hasPrefix("~"))
        guard hasType || isConstructor else { return nil }
        if let first = tokens.word(at: index), cNonFunctions.contains(first) { return nil }
        // A call or an expression, not a declaration.
        for offset in index..<parenthesis {
            if tokens.isMark(".", at: offset) || tokens.isMark("=", at: offset) || tokens.isMark("-", at: offset) || tokens.isMark("!", at: offset) { return nil }
        }
        let kind: CodeSymbol.Kind = scope != nil || context.isType ? .method : .function
        return Declaration(name: name, kind: kind, requiresBody: true, scope: scope)
    }
}
