/// A configuration key: the names from the top of `conductor.yml` down to one setting, such
/// as `budgets.max_tokens` or `providers.openai.base_url`.
///
/// Kept as segments rather than one dotted string because the names under `prices` are model
/// names, and those hold dots and colons (`gpt-4.1`, `qwen2.5-coder:7b`). Written out, a
/// segment with such characters is quoted: `prices."gpt-4.1".input_per_mtok`.
public struct ConfigKey: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let segments: [String]

    public init(_ segments: [String]) {
        self.segments = segments
    }

    /// Parses a dotted key; a literal that does not parse is a programming error.
    public init(stringLiteral text: String) {
        guard let key = ConfigKey(parsing: text) else { preconditionFailure("not a configuration key: \(text)") }
        self = key
    }

    /// Parses the dotted spelling ``description`` produces: segments separated by `.`, a
    /// segment in double quotes when it holds a dot. Nil for an empty key, an empty segment or
    /// an unterminated quote.
    public init?(parsing text: String) {
        var segments: [String] = []
        var current = ""
        var quoted = false
        var wasQuoted = false
        for character in text {
            if quoted {
                if character == "\"" { quoted = false } else { current.append(character) }
            } else if character == "\"" {
                guard current.isEmpty else { return nil }
                quoted = true
                wasQuoted = true
            } else if character == "." {
                guard !current.isEmpty || wasQuoted else { return nil }
                segments.append(current)
                current = ""
                wasQuoted = false
            } else {
                current.append(character)
            }
        }
        guard !quoted, !current.isEmpty || wasQuoted else { return nil }
        segments.append(current)
        self.segments = segments
    }

    /// The dotted spelling, quoting segments that are not plain names.
    public var description: String {
        segments.map { ConfigKey.needsNoQuotes($0) ? $0 : "\"\($0)\"" }.joined(separator: ".")
    }

    public func appending(_ segment: String) -> ConfigKey {
        ConfigKey(segments + [segment])
    }

    /// The key one level up; nil at the top.
    public var parent: ConfigKey? {
        segments.count > 1 ? ConfigKey(Array(segments.dropLast())) : nil
    }

    public var last: String { segments.last ?? "" }

    /// True when `self` is `prefix` or lies under it.
    public func hasPrefix(_ prefix: ConfigKey) -> Bool {
        segments.starts(with: prefix.segments)
    }

    /// A plain name: letters, digits, `_` and `-`.
    static func isPlainName(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { $0.isASCIIAlphanumeric || $0 == "_" || $0 == "-" }
    }

    /// A segment written without quotes: a plain name, or one with a list index
    /// (`verify[1]`, which names an item in messages).
    static func needsNoQuotes(_ segment: String) -> Bool {
        isPlainName(String(segment.filter { $0 != "[" && $0 != "]" }))
    }
}

extension Unicode.Scalar {
    var isASCIIAlphanumeric: Bool {
        ("a"..."z").contains(self) || ("A"..."Z").contains(self) || ("0"..."9").contains(self)
    }
}
