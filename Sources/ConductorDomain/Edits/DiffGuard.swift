/// How big one answer's change may be. A model that rewrites half the repository in one
/// answer has usually lost track of the task; refusing the answer and saying so is cheaper
/// than verifying and then reviewing it.
public struct DiffLimits: Sendable, Equatable, Codable {
    /// The most files one answer may change (create or modify); nil for no limit.
    public var maxFiles: Int?
    /// The most lines one answer may add plus remove, over all files; nil for no limit.
    public var maxChangedLines: Int?

    public init(maxFiles: Int? = DiffLimits.defaultMaxFiles, maxChangedLines: Int? = DiffLimits.defaultMaxChangedLines) {
        self.maxFiles = maxFiles
        self.maxChangedLines = maxChangedLines
    }

    public static let defaultMaxFiles = 20
    public static let defaultMaxChangedLines = 1000

    public static let unlimited = DiffLimits(maxFiles: nil, maxChangedLines: nil)

    private enum CodingKeys: String, CodingKey {
        case maxFiles = "max_files", maxChangedLines = "max_changed_lines"
    }

    /// A missing key keeps its default and an explicit `null` lifts the limit: a configuration
    /// that sets only one limit must not silently remove the other.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func limit(_ key: CodingKeys, default value: Int) throws -> Int? {
            guard container.contains(key) else { return value }
            return try container.decodeNil(forKey: key) ? nil : container.decode(Int.self, forKey: key)
        }
        maxFiles = try limit(.maxFiles, default: Self.defaultMaxFiles)
        maxChangedLines = try limit(.maxChangedLines, default: Self.defaultMaxChangedLines)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(maxFiles, forKey: .maxFiles)
        try container.encode(maxChangedLines, forKey: .maxChangedLines)
    }
}

/// One file an accepted answer changes.
public struct FileChange: Sendable, Equatable {
    /// The repository-relative path, as the model wrote it.
    public let path: String
    /// The content before, nil when the answer creates the file.
    public let before: String?
    public let after: String
    public let lines: LineChangeCount

    public init(path: String, before: String?, after: String, lines: LineChangeCount) {
        self.path = path
        self.before = before
        self.after = after
        self.lines = lines
    }
}

/// The files an accepted answer changes, ready to write.
public struct EditPlan: Sendable, Equatable {
    /// One entry per changed file, in the order the answer first edits them. Files whose
    /// blocks left them as they were are not listed.
    public let changes: [FileChange]
    /// The blocks whose lines were found only with a tolerance (``MatchTolerance``), in answer
    /// order; empty when every block matched exactly.
    public let tolerated: [ToleratedMatch]

    public init(changes: [FileChange], tolerated: [ToleratedMatch] = []) {
        self.changes = changes
        self.tolerated = tolerated
    }

    /// A note for the model's next prompt when some blocks matched only with a tolerance, so
    /// it copies lines more exactly next time; nil when all matched exactly.
    public var toleranceNote: String? {
        guard !tolerated.isEmpty else { return nil }
        return "Applied, though not every SEARCH text was an exact copy of the file's lines:\n"
            + tolerated.map { "- " + $0.sentence }.joined(separator: "\n")
    }

    /// Lines added plus removed over all files.
    public var changedLines: Int { changes.reduce(0) { $0 + $1.lines.total } }
}

/// Enforces ``DiffLimits`` on a planned change.
public enum DiffGuard {
    /// Counts a file's changed lines; counting stops early above the limit, since the exact
    /// size of a change that is refused anyway does not matter.
    public static func change(path: String, before: String?, after: String, limits: DiffLimits) -> FileChange {
        FileChange(path: path, before: before, after: after, lines: LineDiff.count(from: before, to: after, limit: limits.maxChangedLines))
    }

    /// The limits `changes` break, as problems for the model.
    public static func check(_ changes: [FileChange], limits: DiffLimits) -> [EditProblem] {
        var problems: [EditProblem] = []
        if let maxFiles = limits.maxFiles, changes.count > maxFiles {
            problems.append(EditProblem(.tooManyFiles, detail: """
            The answer changes \(changes.count) files; at most \(maxFiles) may change in one answer: \
            \(list(changes.map(\.path))). Make a smaller change now and the rest in a later step.
            """))
        }
        let total = changes.reduce(0) { $0 + $1.lines.total }
        let cut = changes.contains { $0.lines.exceedsLimit }
        if let maxLines = limits.maxChangedLines, total > maxLines || cut {
            let sizes = changes.sorted { $0.lines.total > $1.lines.total }.map { change in
                "\(change.path) \(change.lines.exceedsLimit ? "over \(maxLines)" : String(change.lines.total))"
            }
            problems.append(EditProblem(.tooManyChangedLines, detail: """
            The answer adds and removes \(cut ? "more than \(maxLines)" : String(total)) lines; at most \(maxLines) may \
            change in one answer (largest first: \(list(sizes))). Prefer SEARCH/REPLACE blocks to rewriting whole \
            files, and make a smaller change now and the rest in a later step.
            """))
        }
        return problems
    }

    /// The first few items, and how many more.
    static func list(_ items: [String], limit: Int = 8) -> String {
        let shown = items.prefix(limit).joined(separator: ", ")
        return items.count > limit ? "\(shown) and \(items.count - limit) more" : shown
    }
}
