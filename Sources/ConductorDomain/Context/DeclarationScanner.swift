/// The built-in symbol scanner: finds declarations line by line, without a parser, for when
/// universal-ctags is not installed (and for Swift, which ctags 5.9 does not parse).
///
/// Brace languages (Swift, JavaScript/TypeScript, Go, Rust, C/C++, Java, Kotlin, C#, PHP)
/// go through ``BraceScanner``: comments and strings are blanked first (``CodeText``), a
/// declaration is recognised by its first tokens, and its end is the line where the brace it
/// opened closes. Python and Ruby go through ``IndentScanner``, which ends a definition where
/// the indentation falls back. Only declarations at the top level or directly inside a type
/// or namespace count: locals inside function bodies are not what a map reader skims for.
public enum DeclarationScanner {
    /// Declarations in `contents`, a file in `language`, in line order.
    public static func symbols(in contents: [UInt8], language: SourceLanguage) -> [CodeSymbol] {
        let text = CodeText(contents, rules: .of(language))
        switch language {
        case .python, .ruby:
            var scanner = IndentScanner(text: text, language: language)
            return scanner.scan()
        default:
            var scanner = BraceScanner(text: text, language: language)
            return scanner.scan()
        }
    }

    /// Declarations in `contents`, with the language told by `path`; none for an unknown one.
    public static func symbols(in contents: [UInt8], path: String) -> [CodeSymbol] {
        guard let language = SourceLanguage(path: path) else { return [] }
        return symbols(in: contents, language: language)
    }
}

/// What a declaration pattern recognised on a line.
struct Declaration {
    var name: String
    var kind: CodeSymbol.Kind
    /// What the block the declaration opens (if it opens one) holds.
    var body: BlockRole = .body
    /// A C/C++ function is only a definition if a body follows; `int f(void);` is dropped.
    var requiresBody = false
    /// False for a line that only opens a scope (`extension Foo {`, `impl Foo {`, `extern "C" {`).
    var emits = true
    /// The scope to record instead of the enclosing container's (`Foo` for `void Foo::bar()`).
    var scope: String?
}

/// What a block between braces holds.
enum BlockRole: Equatable {
    /// Declarations: the top level, a type's body, a namespace.
    case container(Container)
    /// Code: a function's body, a computed property, an initialiser, anything unrecognised.
    case body
}

/// A block whose lines may declare things, and what its declarations belong to.
struct Container: Equatable {
    enum Flavor: Equatable { case topLevel, namespace, type, enumeration }
    var name: String?
    var flavor: Flavor

    static let topLevel = Container(name: nil, flavor: .topLevel)

    var isType: Bool { flavor == .type || flavor == .enumeration }
}
