/// A path pattern from configuration, such as `*.lock`, `secrets/**` or
/// `.github/workflows/*`, matched the way `.gitignore` patterns are, minus character classes:
///
/// - `*` matches any run of characters within one path segment, `?` one character;
/// - `**` as a whole segment matches any number of segments, none included, except at the
///   end, where it needs at least one (`secrets/**` is what is inside `secrets`);
///   elsewhere (`a**b`) it is just `*`;
/// - a pattern with no `/` except at its end matches at any depth (`*.lock` matches
///   `Cargo.lock` and `vendor/x/yarn.lock`); one with a `/` at its start or in its middle is
///   anchored at the repository root, and a leading `/` is dropped;
/// - a trailing `/` means the pattern names directories only;
/// - a pattern that matches a directory matches everything under it (`secrets` protects
///   `secrets/key.pem`).
///
/// Matching ignores case. A protected path is a safety rule, and on case-insensitive
/// file systems (macOS, Windows) `SECRETS/key.pem` is the same file as `secrets/key.pem`;
/// protecting a little more is the safe direction to err in.
public struct GlobPattern: Sendable, Hashable, CustomStringConvertible {
    /// The pattern as configured.
    public let text: String
    private let segments: [Segment]
    private let directoryOnly: Bool

    private enum Segment: Hashable {
        /// Any number of whole segments, at least `minimum`.
        case anyDepth(minimum: Int)
        case name([Character])
    }

    public init(_ text: String) {
        self.text = text
        var body = Substring(text)
        directoryOnly = body.hasSuffix("/")
        while body.hasSuffix("/") { body = body.dropLast() }
        let anchored = body.contains("/")
        while body.hasPrefix("/") { body = body.dropFirst() }
        var segments: [Segment] = anchored ? [] : [.anyDepth(minimum: 0)]
        let parts = body.split(separator: "/", omittingEmptySubsequences: true)
        for (position, part) in parts.enumerated() {
            let last = position == parts.count - 1
            segments.append(part == "**" ? .anyDepth(minimum: last ? 1 : 0) : .name(Array(part.lowercased())))
        }
        self.segments = body.isEmpty ? [] : segments
    }

    public var description: String { text }

    /// True when the repository-relative `path`, or a directory above it, matches.
    public func matches(_ path: String) -> Bool {
        guard !segments.isEmpty else { return false }
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map { Array($0.lowercased()) }
        let lastPrefix = directoryOnly ? parts.count - 1 : parts.count
        guard lastPrefix >= 1 else { return false }
        return (1...lastPrefix).contains { matchesAll(parts[..<$0]) }
    }

    /// Segment-level matching, `**` included, by dynamic programming over (pattern, path)
    /// positions: no backtracking blow-up whatever the pattern.
    private func matchesAll(_ parts: ArraySlice<[Character]>) -> Bool {
        let parts = Array(parts)
        // reachable[j]: the pattern so far can consume exactly the first j path segments.
        var reachable = [Bool](repeating: false, count: parts.count + 1)
        reachable[0] = true
        for segment in segments {
            var next = [Bool](repeating: false, count: parts.count + 1)
            switch segment {
            case .anyDepth(let minimum):
                var seen = false
                for j in 0...parts.count {
                    if j >= minimum { seen = seen || reachable[j - minimum] }
                    next[j] = seen
                }
            case .name(let pattern):
                for j in 0..<parts.count where reachable[j] && Self.matchesSegment(pattern, parts[j]) {
                    next[j + 1] = true
                }
            }
            reachable = next
        }
        return reachable[parts.count]
    }

    /// `*` and `?` within one segment: the classic linear-time wildcard match that remembers
    /// only the last star.
    static func matchesSegment(_ pattern: [Character], _ name: [Character]) -> Bool {
        var p = 0, n = 0
        var star: Int?
        var resume = 0
        while n < name.count {
            if p < pattern.count, pattern[p] == "?" || (pattern[p] != "*" && pattern[p] == name[n]) {
                p += 1
                n += 1
            } else if p < pattern.count, pattern[p] == "*" {
                star = p
                resume = n
                p += 1
            } else if let star {
                p = star + 1
                resume += 1
                n = resume
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}
