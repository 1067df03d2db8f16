/// Symbols and mentioned identifiers of one file: everything the reference graph and the map
/// need from it, so a file's blob is read and scanned once and then served from the cache
/// (keyed by blob id) for as long as it does not change.
public struct FileFacts: Sendable, Codable, Equatable {
    public let symbols: [CodeSymbol]
    /// Identifiers the file mentions (as ``IdentifierTerms/identifiers(in:)`` finds them),
    /// distinct, with how often each occurs.
    public let mentions: [String: Int]

    public init(symbols: [CodeSymbol], mentions: [String: Int]) {
        self.symbols = symbols
        self.mentions = mentions
    }

    /// The facts of `contents` with `symbols` from a scanner.
    public init(contents: [UInt8], symbols: [CodeSymbol]) {
        self.init(symbols: symbols, mentions: Self.mentions(in: contents))
    }

    /// The facts of `contents` from the built-in scanner, the language told by `path`.
    public static func scanned(_ contents: [UInt8], path: String) -> FileFacts {
        FileFacts(contents: contents, symbols: DeclarationScanner.symbols(in: contents, path: path))
    }

    /// Identifiers in `contents` and their counts: the same words as
    /// ``IdentifierTerms/identifiers(in:)`` (runs of letters, digits and `_` of at least two
    /// characters that do not start with a digit), found on the bytes for speed, decoding only
    /// non-ASCII letters.
    public static func mentions(in contents: [UInt8]) -> [String: Int] {
        var counts: [String: Int] = [:]
        // About one distinct identifier per 25 bytes of code, measured on swift-nio.
        counts.reserveCapacity(contents.count / 25)
        let count = contents.count
        var index = 0
        contents.withUnsafeBufferPointer { bytes in
            while index < count {
                let start = index
                var characters = 0
                // A run of word characters, each one or more bytes long.
                while index < count {
                    let length = wordCharacterLength(bytes, at: index)
                    if length == 0 { break }
                    index += length
                    characters += 1
                }
                if characters == 0 {
                    index += max(1, nonWordLength(bytes, at: index))
                    continue
                }
                // A word that starts with a digit (`0x1F`, `2nd`) is a number, not an identifier
                // (as IdentifierTerms and CodeTokenizer have it).
                guard characters >= 2, !(bytes[start] >= 48 && bytes[start] <= 57) else { continue }
                let word = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                counts[word, default: 0] += 1
            }
        }
        return counts
    }

    /// The byte length of the word character at `index` (a letter, digit or `_`), or 0.
    @inline(__always)
    private static func wordCharacterLength(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        let byte = bytes[index]
        if byte < 128 { return CodeText.isWordByte(byte) ? 1 : 0 }
        guard let (scalar, length) = decodeScalar(bytes, at: index) else { return 0 }
        return scalar.properties.isAlphabetic ? length : 0
    }

    @inline(__always)
    private static func nonWordLength(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        bytes[index] < 128 ? 1 : (decodeScalar(bytes, at: index)?.1 ?? 1)
    }

    private static func decodeScalar(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (Unicode.Scalar, Int)? {
        let lead = bytes[index]
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0
        guard length > 0, index + length <= bytes.count else { return nil }
        var value = UInt32(lead) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
        for offset in 1..<length {
            let next = bytes[index + offset]
            guard next & 0xC0 == 0x80 else { return nil }
            value = value << 6 | UInt32(next & 0x3F)
        }
        return Unicode.Scalar(value).map { ($0, length) }
    }
}

/// Which scanner produced a set of symbols.
public enum SymbolScannerKind: Sendable, Equatable, CustomStringConvertible {
    case ctags(version: String)
    case builtIn

    /// `universal-ctags 5.9.0` or `built-in scanner`.
    public var description: String {
        switch self {
        case .ctags(let version): "universal-ctags \(version)"
        case .builtIn: "built-in scanner"
        }
    }
}

/// The facts of a set of files, which scanner was used, and what went wrong on the way (ctags
/// crashed and the built-in scanner took over, the cache did not decode and was rebuilt).
public struct SymbolTable: Sendable {
    /// By path.
    public let facts: [String: FileFacts]
    public let scanner: SymbolScannerKind
    /// One sentence each, for the user.
    public let warnings: [String]
    /// Files whose blob was scanned this time (not served from the cache).
    public let scannedFiles: Int
    /// Files served from the cache.
    public let cachedFiles: Int

    public init(facts: [String: FileFacts], scanner: SymbolScannerKind, warnings: [String], scannedFiles: Int = 0, cachedFiles: Int = 0) {
        self.facts = facts
        self.scanner = scanner
        self.warnings = warnings
        self.scannedFiles = scannedFiles
        self.cachedFiles = cachedFiles
    }
}
