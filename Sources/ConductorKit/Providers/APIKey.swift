/// A provider's API key, already read from the environment by the caller.
///
/// It prints as `[redacted]` in every form (`description`, `debugDescription`, `dump`,
/// string interpolation of the settings that hold it), and it is not `Codable`, so a key
/// cannot slip into a request record, an event, a note or a log by being printed or encoded.
/// The adapters read ``value`` only to put it in a request header, and pass it to
/// ``redact(_:)`` everything an API sends back before it becomes part of an error.
public struct APIKey: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public let value: String

    /// Nil for an empty key, which is the same as none.
    public init?(_ value: String?) {
        guard let value, !value.isEmpty else { return nil }
        self.value = value
    }

    public var description: String { "[redacted]" }
    public var debugDescription: String { "[redacted]" }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }

    /// `text` with every occurrence of the key replaced by `[redacted]`.
    public func redact(_ text: String) -> String {
        text.replacingAll(value, with: "[redacted]")
    }
}

extension String {
    /// Replaces every non-overlapping occurrence of `target`, without Foundation.
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty, contains(target) else { return self }
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}

/// The header that carries a key (`authorization: Bearer …`, `x-api-key`, `api-key`), kept
/// as the key itself until the request is built, so that a provider printed or dumped shows
/// `[redacted]` rather than a header value with the key in it.
struct CredentialHeader: Sendable, Equatable {
    let name: String
    /// Put before the key (`Bearer `).
    let scheme: String
    let key: APIKey

    static func bearer(_ key: APIKey) -> CredentialHeader {
        CredentialHeader(name: "authorization", scheme: "Bearer ", key: key)
    }

    /// The header as sent.
    var field: (String, String) { (name, scheme + key.value) }
}
