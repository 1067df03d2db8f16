/// Removes credentials from text before it is stored or shown: the state branch, notes, logs
/// and error messages must never hold an API key (docs/providers.md, "Secrets").
///
/// Two nets, because either alone leaks:
/// - **Known values.** The keys the conductor itself read from the environment are replaced
///   wherever they occur, also in their JSON-escaped and percent-encoded spellings. This
///   catches a key in any shape, even one no pattern knows.
/// - **Shapes.** Keys nobody told us about (another provider's, one pasted into a prompt, one
///   echoed by a server) are caught by what surrounds or starts them: `sk-…` and `sk-ant-…`
///   (OpenAI, Anthropic), `AIza…` (Google), `Bearer` tokens, the values of `Authorization`,
///   `x-api-key`, `api-key`, `*_API_KEY` and similar headers, fields and variables, and the
///   `key=`, `token=`, `access_token=` query parameters of URLs.
///
/// Each match is replaced by `[REDACTED]`; overlapping matches are merged into one. The shapes
/// are narrow on purpose, so that code, prose and git's 40-hex commit ids stay readable.
/// Values shorter than ``minimumSecretLength`` are not treated as secrets: no provider issues
/// keys that short, and replacing a short word everywhere would garble the text.
public struct SecretRedactor: Sendable, Equatable {
    public static let placeholder = "[REDACTED]"
    public static let minimumSecretLength = 8

    /// Environment variables that hold API keys, read whether or not they are configured.
    public static let standardKeyVariables = [
        "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "AZURE_OPENAI_API_KEY", "GEMINI_API_KEY", "GOOGLE_API_KEY",
        "OPENROUTER_API_KEY",
    ]

    /// Every spelling of every known secret, longest first, as bytes.
    private let needles: [[UInt8]]

    /// A redactor for `secrets` (blank and too-short values are ignored) plus the shapes.
    public init(secrets: [String] = []) {
        var spellings: Set<[UInt8]> = []
        for secret in secrets {
            let trimmed = Self.trimmed(secret)
            guard trimmed.utf8.count >= Self.minimumSecretLength else { continue }
            for spelling in [trimmed, Self.jsonEscaped(trimmed), Self.percentEncoded(trimmed)] {
                spellings.insert(Array(spelling.utf8))
            }
        }
        needles = spellings.sorted { $0.count != $1.count ? $0.count > $1.count : $0.lexicographicallyPrecedes($1) }
    }

    /// A redactor for the keys found in `environment`: the ``standardKeyVariables``, the
    /// variables a configuration names (`api_key_env`), and every variable whose name says it
    /// holds a credential (`…API_KEY`, `…_TOKEN`, `…_SECRET`, `…_SECRET_KEY`, `…_ACCESS_KEY`,
    /// `…_PASSWORD`).
    public init(environment: [String: String], keyVariables: [String] = []) {
        let named = Set(Self.standardKeyVariables + keyVariables)
        let secrets = environment.compactMap { name, value in
            named.contains(name) || Self.namesCredential(name) ? value : nil
        }
        self.init(secrets: secrets)
    }

    /// Whether an environment variable's name says it holds a credential.
    public static func namesCredential(_ variable: String) -> Bool {
        let name = variable.uppercased()
        return ["API_KEY", "APIKEY", "_TOKEN", "_SECRET", "_SECRET_KEY", "_ACCESS_KEY", "_PASSWORD"].contains { name.hasSuffix($0) }
    }

    /// `text` with every known secret and every credential-shaped string replaced by
    /// ``placeholder``.
    public func redact(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var ranges: [Range<Int>] = []
        for needle in needles { ranges += Self.occurrences(of: needle, in: bytes) }
        ranges += ShapeScanner(bytes: bytes).matches()
        guard !ranges.isEmpty else { return text }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var position = 0
        for range in Self.merged(ranges) {
            output += bytes[position..<range.lowerBound]
            output += Array(Self.placeholder.utf8)
            position = range.upperBound
        }
        output += bytes[position...]
        return String(decoding: output, as: UTF8.self)
    }

    /// Header names whose whole value is a credential, compared in lower case.
    public static let credentialHeaders: Set<String> = [
        "authorization", "proxy-authorization", "x-api-key", "api-key", "x-goog-api-key", "cookie", "set-cookie",
    ]

    /// `headers` as they may be recorded: credential headers keep only their scheme
    /// (`Bearer [REDACTED]`), and every other value is redacted like text.
    public func redact(headers: [String: String]) -> [String: String] {
        var result: [String: String] = [:]
        for (name, value) in headers {
            let lower = name.lowercased()
            if Self.credentialHeaders.contains(lower) || Self.namesCredential(lower.replacingDashes()) {
                result[name] = Self.redactedCredential(value, keepingScheme: lower.hasSuffix("authorization"))
            } else {
                result[name] = redact(value)
            }
        }
        return result
    }

    /// A credential value replaced whole, keeping an `Authorization` scheme word (`Bearer`,
    /// `Basic`) so the record still says what kind of credential was sent.
    static func redactedCredential(_ value: String, keepingScheme: Bool) -> String {
        let trimmed = trimmed(value)
        guard keepingScheme, let space = trimmed.firstIndex(of: " ") else { return placeholder }
        let scheme = trimmed[..<space]
        guard !scheme.isEmpty, scheme.allSatisfy({ $0.isASCII && $0.isLetter }) else { return placeholder }
        return "\(scheme) \(placeholder)"
    }

    // MARK: Known values

    static func occurrences(of needle: [UInt8], in haystack: [UInt8]) -> [Range<Int>] {
        guard let first = needle.first, needle.count <= haystack.count else { return [] }
        var found: [Range<Int>] = []
        var start = 0
        let last = haystack.count - needle.count
        while start <= last {
            guard let hit = haystack[start...last].firstIndex(of: first) else { break }
            if haystack[hit..<hit + needle.count].elementsEqual(needle) { found.append(hit..<hit + needle.count) }
            start = hit + 1
        }
        return found
    }

    /// Sorted ranges, overlapping and touching ones joined.
    static func merged(_ ranges: [Range<Int>]) -> [Range<Int>] {
        var result: [Range<Int>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = result.last, range.lowerBound <= last.upperBound {
                result[result.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                result.append(range)
            }
        }
        return result
    }

    static func trimmed(_ text: String) -> String {
        var scalars = Substring(text)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }

    /// How a JSON encoder may write the secret inside a string (Foundation escapes `/`).
    static func jsonEscaped(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "/": result += "\\/"
            default: result.append(character)
            }
        }
        return result
    }

    /// How the secret looks in a URL query, every byte outside the unreserved set escaped.
    static func percentEncoded(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            if ShapeScanner.isAlphanumeric(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "~") {
                result.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let hex = Array("0123456789ABCDEF".utf8)
                result += "%" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]], as: UTF8.self)
            }
        }
        return result
    }
}

/// Finds credential-shaped byte ranges in one text. All shapes are ASCII, so the scan works on
/// UTF-8 bytes, and a range never splits a multi-byte character.
private struct ShapeScanner {
    let bytes: [UInt8]

    func matches() -> [Range<Int>] {
        var found: [Range<Int>] = []
        var index = 0
        while index < bytes.count {
            if let range = prefixedKey(at: index) ?? bearer(at: index) {
                found.append(range)
                index = range.upperBound
                continue
            }
            if let range = namedValue(at: index) ?? queryParameter(at: index) {
                found.append(range)
            }
            index += 1
        }
        return found
    }

    // MARK: Keys recognised by how they start

    /// `sk-…` (OpenAI, and Anthropic's `sk-ant-…`): at least 20 key characters, one a digit.
    /// `AIza…` (Google): at least 30 more.
    func prefixedKey(at index: Int) -> Range<Int>? {
        guard startsWord(at: index) else { return nil }
        if matches("sk-", at: index, caseSensitive: true) {
            let end = run(from: index + 3, while: Self.isKeyCharacter)
            let body = bytes[(index + 3)..<end]
            guard body.count >= 20, body.contains(where: Self.isDigit) else { return nil }
            return index..<end
        }
        if matches("AIza", at: index, caseSensitive: true) {
            let end = run(from: index + 4, while: Self.isKeyCharacter)
            return end - index - 4 >= 30 ? index..<end : nil
        }
        return nil
    }

    /// `Bearer <token>` anywhere (a header printed in a log line, a curl command): a token of at
    /// least 16 characters with a digit, so that prose about bearer tokens stays.
    func bearer(at index: Int) -> Range<Int>? {
        guard startsWord(at: index), matches("bearer", at: index, caseSensitive: false) else { return nil }
        let spaces = run(from: index + 6, while: { $0 == UInt8(ascii: " ") })
        guard spaces > index + 6 else { return nil }
        let end = run(from: spaces, while: Self.isTokenCharacter)
        let token = bytes[spaces..<end]
        guard token.count >= 16, token.contains(where: Self.isDigit), !startsWithPlaceholder(at: spaces) else { return nil }
        return spaces..<end
    }

    // MARK: Values recognised by their name

    /// Names whose value is a credential, as a header, a JSON or YAML field, a variable or a
    /// parameter; any prefix is allowed (`OPENAI_API_KEY`, `x-goog-api-key`, `proxy-authorization`).
    static let credentialNames = ["authorization", "api_key", "api-key", "apikey", "access_token", "client_secret"]

    /// `<name>: value`, `<name>=value`, `"<name>": "value"`: the value, without an
    /// `Authorization` scheme word. Matched where a name ends, so it is tried at every index.
    func namedValue(at index: Int) -> Range<Int>? {
        for name in Self.credentialNames where matches(name, at: index, caseSensitive: false) {
            var position = index + name.utf8.count
            // The name must end here: `api_key_env: NAME` is not a key.
            if position < bytes.count, Self.isIdentifierCharacter(bytes[position]) { continue }
            if position < bytes.count, bytes[position] == UInt8(ascii: "\"") || bytes[position] == UInt8(ascii: "'") { position += 1 }
            position = run(from: position, while: Self.isBlank)
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") || bytes[position] == UInt8(ascii: "=") else { continue }
            position = run(from: position + 1, while: Self.isBlank)
            if position < bytes.count, bytes[position] == UInt8(ascii: "\"") || bytes[position] == UInt8(ascii: "'") { position += 1 }
            if name == "authorization" { position = afterScheme(from: position) }
            return value(from: position)
        }
        return nil
    }

    /// `?key=…`, `&token=…`: query parameters that carry a key (Gemini's `?key=`, signed URLs).
    static let queryNames = ["key", "token", "access_token", "api_key", "api-key", "apikey", "auth"]

    func queryParameter(at index: Int) -> Range<Int>? {
        guard bytes[index] == UInt8(ascii: "?") || bytes[index] == UInt8(ascii: "&") else { return nil }
        for name in Self.queryNames where matches(name + "=", at: index + 1, caseSensitive: false) {
            return value(from: index + 1 + name.utf8.count + 1)
        }
        return nil
    }

    /// A scheme word and one space (`Bearer `, `Basic `) are skipped: the credential follows.
    func afterScheme(from position: Int) -> Int {
        let word = run(from: position, while: Self.isLetter)
        guard word > position, word < bytes.count, bytes[word] == UInt8(ascii: " ") else { return position }
        let next = word + 1
        return next < bytes.count && Self.isValueCharacter(bytes[next]) ? next : position
    }

    /// The value starting at `position`: up to white space, a quote or a separator. Nil when
    /// empty or already redacted.
    func value(from position: Int) -> Range<Int>? {
        guard !startsWithPlaceholder(at: position) else { return nil }
        let end = run(from: position, while: Self.isValueCharacter)
        return end > position ? position..<end : nil
    }

    // MARK: Byte classes and helpers

    func startsWithPlaceholder(at position: Int) -> Bool {
        matches(SecretRedactor.placeholder, at: position, caseSensitive: true)
    }

    /// Whether `index` starts a word: a key glued to letters before it (`task-…`) is not a key.
    func startsWord(at index: Int) -> Bool {
        index == 0 || !Self.isIdentifierCharacter(bytes[index - 1])
    }

    func matches(_ literal: String, at index: Int, caseSensitive: Bool) -> Bool {
        let pattern = Array(literal.utf8)
        guard index >= 0, index + pattern.count <= bytes.count else { return false }
        for (offset, expected) in pattern.enumerated() {
            let actual = bytes[index + offset]
            if caseSensitive ? actual != expected : Self.lowercased(actual) != Self.lowercased(expected) { return false }
        }
        return true
    }

    func run(from start: Int, while predicate: (UInt8) -> Bool) -> Int {
        var end = start
        while end < bytes.count, predicate(bytes[end]) { end += 1 }
        return end
    }

    static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }

    static func isAlphanumeric(_ byte: UInt8) -> Bool { isLetter(byte) || isDigit(byte) }

    static func isIdentifierCharacter(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
    }

    static func isKeyCharacter(_ byte: UInt8) -> Bool { isIdentifierCharacter(byte) }

    /// What RFC 6750 allows in a bearer token.
    static func isTokenCharacter(_ byte: UInt8) -> Bool {
        isIdentifierCharacter(byte) || [UInt8(ascii: "."), UInt8(ascii: "~"), UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "=")].contains(byte)
    }

    static func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }

    /// Anything printable up to white space, a quote, a closing bracket, or a separator of
    /// lists, parameters and markup. Bytes above 0x7F are not ASCII, and so not part of any key.
    static func isValueCharacter(_ byte: UInt8) -> Bool {
        guard byte > 0x20, byte < 0x7F else { return false }
        return ![UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "&"), UInt8(ascii: ","), UInt8(ascii: ";"),
                 UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "`"), UInt8(ascii: "#"), UInt8(ascii: ")"),
                 UInt8(ascii: "]"), UInt8(ascii: "}")].contains(byte)
    }
}
