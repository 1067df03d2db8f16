/// A model's request to see more of the repository before it edits (docs/context.md):
///
///     <read>
///     Sources/App/Server.swift
///     src/parser.py:120-180
///     symbol RetryPolicy
///     </read>
///
/// An answer that holds such a block and no edits is answered in the same iteration with the
/// files asked for, at most ``maxRounds`` times.
public struct FileRequest: Sendable, Equatable, Codable {
    public enum Item: Sendable, Equatable, Codable {
        case file(path: String, lines: ClosedRange<Int>?)
        case symbol(String)
    }

    public let items: [Item]

    public static let maxRounds = 3
    /// At most this many items are answered per request, so one answer cannot ask for the
    /// whole repository.
    public static let maxItems = 12

    public init(items: [Item]) {
        self.items = items
    }

    /// The request in `answer`, or nil when it holds none (or only an empty one).
    public static func find(in answer: String) -> FileRequest? {
        var items: [Item] = []
        var inside = false
        for raw in answer.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: " \t\r")
            let lowered = line.lowercased()
            if lowered == "<read>" { inside = true; continue }
            if lowered == "</read>" { inside = false; continue }
            guard inside, !line.isEmpty, let item = item(line) else { continue }
            if !items.contains(item) { items.append(item) }
        }
        return items.isEmpty ? nil : FileRequest(items: Array(items.prefix(maxItems)))
    }

    private static func item(_ text: Substring) -> Item? {
        var line = text
        if line.hasPrefix("- ") || line.hasPrefix("* ") { line = line.dropFirst(2) }
        line = Substring(line.filter { $0 != "`" })
        if line.lowercased().hasPrefix("symbol ") {
            let name = line.dropFirst("symbol ".count).trimmingCharacters(in: " \t")
            return name.isEmpty ? nil : .symbol(String(name))
        }
        var path = String(line)
        var lines: ClosedRange<Int>?
        if let colon = path.lastIndex(of: ":") {
            let range = path[path.index(after: colon)...].split(separator: "-")
            if range.count == 2, let start = Int(range[0]), let end = Int(range[1]), start >= 1, start <= end {
                lines = start...end
                path = String(path[..<colon])
            }
        }
        while path.hasPrefix("./") { path.removeFirst(2) }
        guard !path.isEmpty, !path.contains(" "), !path.hasPrefix("/"), !path.split(separator: "/").contains("..") else { return nil }
        return .file(path: path, lines: lines)
    }

    /// `src/x.py:1-40, symbol Foo`, for events and listings.
    public var summary: String {
        items.map { item in
            switch item {
            case let .file(path, lines): path + (lines.map { ":\($0.lowerBound)-\($0.upperBound)" } ?? "")
            case .symbol(let name): "symbol \(name)"
            }
        }.joined(separator: ", ")
    }
}

extension StringProtocol {
    /// Without leading and trailing characters from `set`.
    func trimmingCharacters(in set: String) -> Substring {
        let trimmed = drop { set.contains($0) }
        var end = trimmed.endIndex
        while end > trimmed.startIndex, set.contains(trimmed[trimmed.index(before: end)]) { end = trimmed.index(before: end) }
        return Substring(trimmed[..<end])
    }
}
