/// What one prompt carries of the repository, and why: the files in the order shown, each
/// whole or as an excerpt, with the signals that put it there; and the repository map.
/// Recorded for every iteration (`iterations/<n>/context.json`) and printed by
/// `git conductor context pick`, so a user can see what the model saw (docs/context.md).
public struct ContextPick: Sendable, Equatable, Codable {
    public let files: [PickedFile]
    /// The rendered repository map; empty when no budget was left for it.
    public let map: String
    public let mapTokens: Int
    /// Which symbol scanner built the map: `universal-ctags 5.9.0` or `built-in`.
    public let scanner: String
    public let budgetTokens: Int
    /// Tokens of the project's context documents shown with the pick.
    public let documentTokens: Int
    /// Problems met on the way (a scanner that failed, a cache rebuilt); the pick stands.
    public let warnings: [String]

    public init(files: [PickedFile], map: String, mapTokens: Int, scanner: String, budgetTokens: Int, documentTokens: Int = 0, warnings: [String] = []) {
        self.files = files
        self.map = map
        self.mapTokens = mapTokens
        self.scanner = scanner
        self.budgetTokens = budgetTokens
        self.documentTokens = documentTokens
        self.warnings = warnings
    }

    public var totalTokens: Int { files.reduce(mapTokens + documentTokens) { $0 + $1.tokens } }

    /// The pick without the files' texts and the map, as recorded beside the request that
    /// already holds them.
    public var withoutTexts: ContextPick {
        ContextPick(
            files: files.map { PickedFile(path: $0.path, score: $0.score, reasons: $0.reasons, form: $0.form, tokens: $0.tokens, text: "") },
            map: "", mapTokens: mapTokens, scanner: scanner, budgetTokens: budgetTokens, documentTokens: documentTokens, warnings: warnings
        )
    }

    enum CodingKeys: String, CodingKey {
        case files, map, scanner, warnings
        case mapTokens = "map_tokens", budgetTokens = "budget_tokens", documentTokens = "document_tokens"
    }
}

/// One file in a prompt.
public struct PickedFile: Sendable, Equatable, Codable {
    /// Whole, or the listed regions (1-based, inclusive line ranges) of a file of `totalLines`.
    public enum Form: Sendable, Equatable {
        case whole
        case excerpt(ranges: [ClosedRange<Int>], totalLines: Int)
    }

    public let path: String
    public let score: Double
    /// Why it was picked, strongest signal first: "named in the failure (line 42)",
    /// "matches retry, delay", "defines RetryPolicy", "map rank 3", "changed by this run".
    public let reasons: [String]
    public let form: Form
    /// Estimated tokens of ``text`` (``TokenUsage/estimateTokens(in:)``).
    public let tokens: Int
    /// What the prompt shows for this file.
    public let text: String

    public init(path: String, score: Double, reasons: [String], form: Form, tokens: Int, text: String) {
        self.path = path
        self.score = score
        self.reasons = reasons
        self.form = form
        self.tokens = tokens
        self.text = text
    }

    public var isWhole: Bool { form == .whole }

    enum CodingKeys: String, CodingKey {
        case path, score, reasons, form, lines, tokens, text
        case totalLines = "total_lines"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        path = try container.decode(String.self, forKey: .path)
        score = try container.decode(Double.self, forKey: .score)
        reasons = try container.decode([String].self, forKey: .reasons)
        tokens = try container.decode(Int.self, forKey: .tokens)
        text = try container.decodeIfPresent(String.self, forKey: .text) ?? ""
        if try container.decode(String.self, forKey: .form) == "excerpt" {
            let pairs = try container.decode([[Int]].self, forKey: .lines)
            let ranges = pairs.compactMap { $0.count == 2 && $0[0] <= $0[1] ? $0[0]...$0[1] : nil }
            form = .excerpt(ranges: ranges, totalLines: try container.decode(Int.self, forKey: .totalLines))
        } else {
            form = .whole
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(path, forKey: .path)
        try container.encode((score * 100).rounded() / 100, forKey: .score)
        try container.encode(reasons, forKey: .reasons)
        switch form {
        case .whole:
            try container.encode("whole", forKey: .form)
        case let .excerpt(ranges, totalLines):
            try container.encode("excerpt", forKey: .form)
            try container.encode(ranges.map { [$0.lowerBound, $0.upperBound] }, forKey: .lines)
            try container.encode(totalLines, forKey: .totalLines)
        }
        try container.encode(tokens, forKey: .tokens)
        try container.encode(text, forKey: .text)
    }

    /// `src/x.py (whole): named in the failure (line 42)`, for events and listings.
    public var listing: String {
        "\(path) (\(formDescription))" + (reasons.first.map { ": \($0)" } ?? "")
    }

    /// `whole` or `excerpt 40–95, 200–230 of 812`, for one-line listings.
    public var formDescription: String {
        switch form {
        case .whole: "whole"
        case let .excerpt(ranges, totalLines):
            "excerpt " + ranges.map { "\($0.lowerBound)–\($0.upperBound)" }.joined(separator: ", ") + " of \(totalLines)"
        }
    }
}
