/// One definition in a source file, as the repository map shows it: what it is, where it
/// starts and ends, and the line that declares it. Both symbol scanners (universal-ctags and
/// the built-in ``DeclarationScanner``) produce these, so everything downstream — the map,
/// the reference graph, excerpts of large files — is indifferent to which one ran.
public struct CodeSymbol: Sendable, Equatable, Hashable, Codable {
    /// The few kinds a reader skims for; scanners map their own vocabularies onto these.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// Classes, structs, enums, protocols, interfaces, traits, type aliases.
        case type
        case function
        /// A function declared inside a type.
        case method
        /// Stored or computed members, fields.
        case property
        /// Top-level variables and constants.
        case variable
        /// Modules, namespaces, packages.
        case module
        /// Preprocessor macros.
        case macro
    }

    public let name: String
    public let kind: Kind
    /// 1-based line of the declaration.
    public let line: Int
    /// 1-based last line of the definition (inclusive), when the scanner knows it.
    public let endLine: Int?
    /// The declaring line, trimmed, as the map prints it.
    public let signature: String?
    /// The enclosing type or namespace, when there is one (`Server` for `Server.start`).
    public let scope: String?

    public init(name: String, kind: Kind, line: Int, endLine: Int? = nil, signature: String? = nil, scope: String? = nil) {
        self.name = name
        self.kind = kind
        self.line = line
        self.endLine = endLine
        self.signature = signature
        self.scope = scope
    }

    enum CodingKeys: String, CodingKey {
        case name, kind, line, scope, signature
        case endLine = "end_line"
    }
}
