/// How many lines an edit adds and removes, counted the way `git diff --numstat` counts them:
/// a changed line is one removed and one added.
public struct LineChangeCount: Sendable, Equatable {
    public var added: Int
    public var removed: Int
    /// True when the counting stopped at its limit: the real counts are larger.
    public var exceedsLimit: Bool

    public init(added: Int, removed: Int, exceedsLimit: Bool = false) {
        self.added = added
        self.removed = removed
        self.exceedsLimit = exceedsLimit
    }

    public var total: Int { added + removed }
}

/// A line diff reduced to its size: Myers' greedy algorithm after trimming the common prefix
/// and suffix. It costs O((N + M) · D) for D changed lines, which for a model's typical edit
/// (a few hunks in a long file) is close to linear; the limit stops it early on a rewrite
/// that the diff guard is going to refuse anyway.
public enum LineDiff {
    /// Counts the lines that differ between `old` (nil: no file) and `new`. A change to the
    /// last line's newline counts as a changed line, as in git. With a `limit`, counting stops
    /// once more than `limit` lines are known to differ, and the result says so.
    public static func count(from old: String?, to new: String?, limit: Int? = nil) -> LineChangeCount {
        count(from: keys(old), to: keys(new), limit: limit)
    }

    /// The lines of a text as the diff compares them: the last line carries a mark when it has
    /// no newline, and CRLF lines keep their carriage return, so that changing either shows.
    private static func keys(_ text: String?) -> [String] {
        guard let text else { return [] }
        var split = TextLines(text)
        if !split.endsWithNewline, let last = split.lines.indices.last {
            split.lines[last] += "\u{0}no newline"
        }
        if split.usesCRLF { split.lines = split.lines.map { $0 + "\r" } }
        return split.lines
    }

    static func count(from old: [String], to new: [String], limit: Int?) -> LineChangeCount {
        var prefix = 0
        while prefix < old.count, prefix < new.count, old[prefix] == new[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < old.count - prefix, suffix < new.count - prefix,
              old[old.count - 1 - suffix] == new[new.count - 1 - suffix] { suffix += 1 }
        // Interned as integers, so that the search compares numbers, not strings.
        var ids: [String: Int] = [:]
        func intern(_ line: String) -> Int {
            if let id = ids[line] { return id }
            ids[line] = ids.count
            return ids.count - 1
        }
        let a = old[prefix..<(old.count - suffix)].map(intern)
        let b = new[prefix..<(new.count - suffix)].map(intern)
        // distance = added + removed, and b.count - a.count = added - removed.
        func split(_ distance: Int, exceeds: Bool) -> LineChangeCount {
            LineChangeCount(added: (distance + b.count - a.count) / 2, removed: (distance - b.count + a.count) / 2, exceedsLimit: exceeds)
        }
        let limit = limit ?? (a.count + b.count)
        if let distance = editDistance(a, b, limit: limit) { return split(distance, exceeds: false) }
        // Over the limit: the smallest count it could be, which has the parity of a.count + b.count.
        var lowerBound = max(limit + 1, abs(b.count - a.count))
        if (lowerBound + a.count + b.count) % 2 != 0 { lowerBound += 1 }
        return split(lowerBound, exceeds: true)
    }

    /// The number of insertions plus deletions that turn `a` into `b` (Myers 1986, the greedy
    /// forward search), or nil when it is more than `limit`.
    static func editDistance(_ a: [Int], _ b: [Int], limit: Int) -> Int? {
        let n = a.count, m = b.count
        if n == 0 || m == 0 { return n + m <= limit ? n + m : nil }
        let maxD = min(n + m, limit)
        let offset = maxD + 1
        var furthest = [Int](repeating: 0, count: 2 * maxD + 3)
        for d in 0...maxD {
            for k in stride(from: -d, through: d, by: 2) {
                var x: Int
                if k == -d || (k != d && furthest[offset + k - 1] < furthest[offset + k + 1]) {
                    x = furthest[offset + k + 1]
                } else {
                    x = furthest[offset + k - 1] + 1
                }
                var y = x - k
                while x < n, y < m, a[x] == b[y] {
                    x += 1
                    y += 1
                }
                furthest[offset + k] = x
                if x >= n, y >= m { return d }
            }
        }
        return nil
    }
}
