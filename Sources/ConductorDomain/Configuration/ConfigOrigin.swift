/// The configuration layers, lowest first: a higher layer's value for a key replaces a lower
/// one's. Defaults suit most repositories, the user file carries a person's preferences,
/// `conductor.yml` is the project's (committed, shared), git configuration is this clone's,
/// the environment this shell's or CI job's, and flags this one command's.
public enum ConfigLayer: String, Sendable, Hashable, Comparable, CaseIterable, Encodable {
    case defaults = "default"
    case user
    case repository
    case git
    case environment = "env"
    case flag

    public static func < (lhs: ConfigLayer, rhs: ConfigLayer) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// Layers whose values are text with no types of their own: there `8` is a number when
    /// the key wants one, and a list is comma-separated (environment) or repeated (git).
    var isTextual: Bool {
        self == .git || self == .environment || self == .flag
    }
}

/// Where a setting's value came from: the layer, and within it the file (with line and
/// column), the environment variable, or the git key (with its scope: local, global…).
public struct ConfigOrigin: Sendable, Hashable, Encodable, CustomStringConvertible {
    public let layer: ConfigLayer
    /// The file path, variable name, git key or flag; nil for built-in defaults.
    public let source: String?
    public let position: SourcePosition?
    /// For git configuration, the file level the entry was read from (`local`, `global`…).
    public let scope: String?

    public init(layer: ConfigLayer, source: String? = nil, position: SourcePosition? = nil, scope: String? = nil) {
        self.layer = layer
        self.source = source
        self.position = position
        self.scope = scope
    }

    public static let builtIn = ConfigOrigin(layer: .defaults)

    /// The same origin, at another place in the same file.
    public func at(_ position: SourcePosition?) -> ConfigOrigin {
        ConfigOrigin(layer: layer, source: source, position: position ?? self.position, scope: scope)
    }

    /// `default`, `repository conductor.yml:3:5`, `env CONDUCTOR_MODEL`,
    /// `git conductor.budgets.max-tokens (local)`.
    public var description: String {
        guard let location else { return layer.rawValue }
        return "\(layer.rawValue) \(location)"
    }

    /// The place without the layer: `conductor.yml:3:5`, `CONDUCTOR_MODEL`,
    /// `conductor.budgets.max-tokens (local)`; nil for defaults.
    public var location: String? {
        guard var text = source else { return nil }
        if let position { text += ":\(position)" }
        if let scope { text += " (\(scope))" }
        return text
    }

    enum CodingKeys: String, CodingKey {
        case layer, source, line, column, scope
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(layer, forKey: .layer)
        try container.encode(source, forKey: .source)
        try container.encodeIfPresent(position?.line, forKey: .line)
        try container.encodeIfPresent(position?.column, forKey: .column)
        try container.encodeIfPresent(scope, forKey: .scope)
    }
}

/// One key's value and where it came from.
public struct ConfigSetting: Sendable, Hashable {
    public let value: ConfigValue
    public let origin: ConfigOrigin

    public init(_ value: ConfigValue, origin: ConfigOrigin) {
        self.value = value
        self.origin = origin
    }
}
