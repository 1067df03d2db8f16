/// One thing wrong with the configuration, phrased so that the user can find and fix it: the
/// key, where its value was written (file and line, variable, git key), and what to do.
public struct ConfigurationProblem: Sendable, Hashable, Encodable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable, Encodable {
        /// The configuration cannot be used.
        case error
        /// Probably a mistake, but harmless to a run: an unknown key is ignored.
        case warning
    }

    public let severity: Severity
    /// The key at fault as written in the configuration's own terms (`budgets.max_tokens`,
    /// `verify[1].timeout_seconds`); nil when the whole source is at fault (a file that is
    /// not YAML).
    public let key: String?
    /// Where the offending value was written; nil when it is a consequence of several.
    public let origin: ConfigOrigin?
    public let message: String

    public init(_ severity: Severity, key: String?, origin: ConfigOrigin?, _ message: String) {
        self.severity = severity
        self.key = key
        self.origin = origin
        self.message = message
    }

    enum CodingKeys: String, CodingKey {
        case severity, key, origin, message
    }

    /// Every field, null included, so that the JSON shape is the same for every problem.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(severity, forKey: .severity)
        try container.encode(key, forKey: .key)
        try container.encode(origin, forKey: .origin)
        try container.encode(message, forKey: .message)
    }

    static func error(_ key: ConfigKey?, _ origin: ConfigOrigin?, _ message: String) -> ConfigurationProblem {
        ConfigurationProblem(.error, key: key?.description, origin: origin, message)
    }

    static func warning(_ key: ConfigKey?, _ origin: ConfigOrigin?, _ message: String) -> ConfigurationProblem {
        ConfigurationProblem(.warning, key: key?.description, origin: origin, message)
    }

    public var isError: Bool { severity == .error }

    /// `conductor.yml:3:14: budgets.max_tokens: expected a whole number, found "lots"`, with
    /// the layer named where a file path alone would not say it (`env CONDUCTOR_MODEL: …`).
    public var description: String {
        var parts: [String] = []
        if let origin {
            switch origin.layer {
            case .user, .repository: parts.append(origin.location ?? origin.layer.rawValue)
            default: parts.append(origin.description)
            }
        }
        if let key { parts.append(key) }
        parts.append(message)
        return parts.joined(separator: ": ")
    }
}

/// Why the configuration cannot be used: every error found, and the warnings alongside.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public let problems: [ConfigurationProblem]

    public init(problems: [ConfigurationProblem]) {
        self.problems = problems
    }

    public var errors: [ConfigurationProblem] { problems.filter(\.isError) }

    public var description: String {
        let count = errors.count
        return "invalid configuration (\(count) \(count == 1 ? "problem" : "problems")):\n"
            + problems.map { "  \($0.severity.rawValue): \($0)" }.joined(separator: "\n")
    }
}

/// "Did you mean …?" for a misspelt key or value.
public enum Suggestion {
    /// The candidate closest to `word` by edit distance, when it is close enough to be a slip
    /// of the keyboard rather than a different word: at most a third of its length, and never
    /// more than 3 edits. Ties go to the earlier candidate.
    public static func closest(to word: String, among candidates: [String]) -> String? {
        let lowered = word.lowercased()
        var best: (candidate: String, distance: Int)?
        for candidate in candidates where candidate != word {
            let distance = editDistance(lowered, candidate.lowercased())
            let allowed = min(3, max(1, max(word.count, candidate.count) / 3))
            guard distance <= allowed else { continue }
            if best == nil || distance < best!.distance { best = (candidate, distance) }
        }
        return best?.candidate
    }

    /// `; did you mean 'x'?`, or nothing.
    static func phrase(for word: String, among candidates: [String]) -> String {
        closest(to: word, among: candidates).map { "; did you mean '\($0)'?" } ?? ""
    }

    /// Levenshtein distance over characters (insertions, deletions, substitutions), with a
    /// transposition of neighbours counted as one edit (`verfiy` is one slip from `verify`).
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previousPrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previousPrevious[j - 2] + 1)
                }
            }
            (previousPrevious, previous, current) = (previous, current, previousPrevious)
        }
        return previous[b.count]
    }
}
