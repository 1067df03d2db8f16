/// A run's identity: a ULID in lowercase Crockford base32 (26 characters).
///
/// The first ten characters encode the creation time in milliseconds, so ids sort by time;
/// the last sixteen are random, so two machines can mint ids without talking to each other.
public struct RunID: Hashable, Comparable, Sendable, CustomStringConvertible, TextCodable {
    /// Crockford's base32 alphabet, lowercase: no i, l, o or u.
    static let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz".utf8)
    public static let length = 26

    public let rawValue: String

    public static let codingName = "run id"

    /// Validates `text` as a run id; accepts either case, stores lowercase.
    public init?(_ text: String) {
        let lowered = text.lowercased()
        guard lowered.utf8.count == Self.length, lowered.utf8.allSatisfy(Self.alphabet.contains) else { return nil }
        // The first character holds only the top 3 bits of a 48-bit time.
        guard let first = lowered.utf8.first, first <= UInt8(ascii: "7") else { return nil }
        rawValue = lowered
    }

    /// Mints a new id for a run created at `milliseconds` since the Unix epoch.
    public static func generate(
        atMilliseconds milliseconds: UInt64,
        using generator: inout some RandomNumberGenerator
    ) -> RunID {
        var characters = [UInt8](repeating: 0, count: length)
        var time = milliseconds & 0xFFFF_FFFF_FFFF
        for index in stride(from: 9, through: 0, by: -1) {
            characters[index] = alphabet[Int(time & 31)]
            time >>= 5
        }
        for index in 10..<length {
            characters[index] = alphabet[Int(generator.next() & 31)]
        }
        return RunID(String(decoding: characters, as: UTF8.self))!
    }

    /// The creation time encoded in the id, in milliseconds since the Unix epoch.
    public var milliseconds: UInt64 {
        rawValue.utf8.prefix(10).reduce(0) { value, character in
            value << 5 | UInt64(Self.alphabet.firstIndex(of: character)!)
        }
    }

    /// The state-branch directory buckets, two levels deep: the id's last character, then the
    /// one before it (`…qrs` → `s/r`). Both are random, so each level holds at most 32
    /// entries and fills evenly; see docs/architecture.md for why two levels.
    public var shard: String {
        let tail = Array(rawValue.utf8.suffix(2))
        return String(decoding: [tail[1], UInt8(ascii: "/"), tail[0]], as: UTF8.self)
    }

    /// The random tail used where a short, still-unique-enough tag is wanted (branch names).
    public var shortTag: String { String(rawValue.suffix(6)) }

    public var description: String { rawValue }

    public static func < (lhs: RunID, rhs: RunID) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The outcome of finding a run from what a user typed.
public enum RunIDMatch: Equatable, Sendable {
    case found(RunID)
    case notFound
    case ambiguous([RunID])

    /// Resolves a full id or a unique prefix, case-insensitively, as `git show` resolves commits.
    public static func resolve(_ text: String, among ids: some Sequence<RunID>) -> RunIDMatch {
        let prefix = text.lowercased()
        guard !prefix.isEmpty else { return .notFound }
        let candidates = ids.filter { $0.rawValue.hasPrefix(prefix) }.sorted()
        if let exact = candidates.first(where: { $0.rawValue == prefix }) { return .found(exact) }
        switch candidates.count {
        case 0: return .notFound
        case 1: return .found(candidates[0])
        default: return .ambiguous(candidates)
        }
    }
}
