/// A setting's value once it has been checked against the schema: JSON's shapes, so that
/// `config show --json` can print it as it is, and every layer's text ends up the same way
/// (`8` from YAML, `"8"` from an environment variable and `8` from git config all become
/// `.integer(8)`).
public indirect enum ConfigValue: Sendable, Hashable, Encodable, CustomStringConvertible {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case list([ConfigValue])
    /// An ordered mapping (a verify command written as `{command, timeout_seconds, junit}`).
    case map([Field])

    public struct Field: Sendable, Hashable {
        public let name: String
        public let value: ConfigValue

        public init(_ name: String, _ value: ConfigValue) {
            self.name = name
            self.value = value
        }
    }

    public var isNull: Bool { self == .null }

    public var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    public var integer: Int? {
        if case .integer(let value) = self { return value }
        return nil
    }

    /// A number, whether it was written with a fraction or not.
    public var number: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .number(let value): value
        default: nil
        }
    }

    public var bool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    public var list: [ConfigValue]? {
        if case .list(let values) = self { return values }
        return nil
    }

    /// The strings of a list of strings.
    public var strings: [String]? {
        list?.compactMap(\.string)
    }

    public subscript(field name: String) -> ConfigValue? {
        guard case .map(let fields) = self else { return nil }
        return fields.first { $0.name == name }?.value
    }

    /// One line, for tables: strings as they are at the top, quoted inside lists and maps
    /// (so `["swift test", "make lint"]` reads as two commands).
    public var description: String { rendered(topLevel: true) }

    private func rendered(topLevel: Bool) -> String {
        switch self {
        case .null: "null"
        case .bool(let value): String(value)
        case .integer(let value): String(value)
        case .number(let value): Self.format(value)
        case .string(let text): topLevel && !text.isEmpty ? text : Self.quote(text)
        case .list(let values): "[" + values.map { $0.rendered(topLevel: false) }.joined(separator: ", ") + "]"
        case .map(let fields): "{" + fields.map { "\($0.name): \($0.value.rendered(topLevel: false))" }.joined(separator: ", ") + "}"
        }
    }

    /// `3.0` rather than `3`, so a price reads as a price; no exponent for everyday figures.
    static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) + ".0" }
        return String(value)
    }

    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// The same value with every string that contains one of `secrets` replaced by
    /// `<redacted>`: a last line of defence for `config show`, should a key have been pasted
    /// into an unexpected setting.
    public func redacting(_ secrets: [String]) -> ConfigValue {
        let secrets = secrets.filter { $0.count >= 4 }
        guard !secrets.isEmpty else { return self }
        switch self {
        case .string(let text):
            return secrets.contains(where: { text.contains($0) }) ? .string("<redacted>") : self
        case .list(let values):
            return .list(values.map { $0.redacting(secrets) })
        case .map(let fields):
            return .map(fields.map { Field($0.name, $0.value.redacting(secrets)) })
        default:
            return self
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case .bool(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .integer(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .number(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .string(let text):
            var container = encoder.singleValueContainer()
            try container.encode(text)
        case .list(let values):
            var container = encoder.unkeyedContainer()
            for value in values { try container.encode(value) }
        case .map(let fields):
            var container = encoder.container(keyedBy: FieldKey.self)
            for field in fields { try container.encode(field.value, forKey: FieldKey(field.name)) }
        }
    }

    private struct FieldKey: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

/// A value as a layer wrote it, before the schema gives it a type: what a YAML file, a git
/// configuration entry, an environment variable or a command-line flag holds, with where it
/// stands in its file.
///
/// Scalars stay text (`quoted` tells `"8"` from `8` in YAML), so that one set of rules, in
/// the domain, decides what `8`, `null` or `yes` mean for a given key in every layer.
public struct ConfigNode: Sendable, Equatable {
    public enum Content: Sendable, Equatable {
        /// Text; `quoted` when YAML quoted it or wrote it as a block, which makes it a string
        /// whatever it looks like.
        case scalar(String, quoted: Bool)
        case list([ConfigNode])
        case map([Entry])
    }

    public struct Entry: Sendable, Equatable {
        public let key: String
        /// Where the key is written.
        public let position: SourcePosition?
        public let value: ConfigNode

        public init(key: String, position: SourcePosition? = nil, value: ConfigNode) {
            self.key = key
            self.position = position
            self.value = value
        }
    }

    public let content: Content
    /// Where the value starts in its file; nil outside files.
    public let position: SourcePosition?

    public init(_ content: Content, position: SourcePosition? = nil) {
        self.content = content
        self.position = position
    }

    /// Unquoted text, as environment variables, git configuration and flags give it.
    public static func text(_ text: String, position: SourcePosition? = nil) -> ConfigNode {
        ConfigNode(.scalar(text, quoted: false), position: position)
    }

    /// A list of unquoted texts.
    public static func texts(_ texts: [String]) -> ConfigNode {
        ConfigNode(.list(texts.map { .text($0) }))
    }

    /// A plain `null`, `~` or nothing at all: YAML's null.
    var isNull: Bool {
        guard case .scalar(let text, quoted: false) = content else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(text)
    }

    /// A word for error messages: what was found instead of what was expected.
    var kindDescription: String {
        switch content {
        case .scalar(let text, let quoted):
            if isNull { return "null" }
            return quoted ? "the string \(ConfigValue.quote(Self.abbreviated(text)))" : ConfigValue.quote(Self.abbreviated(text))
        case .list: return "a list"
        case .map: return "a mapping"
        }
    }

    /// At most 24 characters of `text`, so that a long paste (an API key put in the wrong
    /// place) is never echoed whole.
    static func abbreviated(_ text: String) -> String {
        text.count > 24 ? String(text.prefix(12)) + "..." : text
    }
}

/// A line and column in a file, both counted from 1.
public struct SourcePosition: Sendable, Hashable, CustomStringConvertible {
    public let line: Int
    public let column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public var description: String { "\(line):\(column)" }
}
