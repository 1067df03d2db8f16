/// The tolerances EditMatcher tries, in order; each only when the one before found nothing
/// (docs/edit-format.md, "Matching").
enum MatchTier: CaseIterable, Equatable {
    case exact
    /// Lines equal once spaces, tabs and carriage returns at their ends are ignored.
    case trailingWhitespace
    /// As above, and every non-blank line shifted by the same indentation.
    case indentation
}

/// How a block's lines were found in its file: exactly, or with which tolerance.
public enum MatchTolerance: Sendable, Equatable {
    case exact
    /// Only once whitespace at the ends of lines (and line endings) was ignored.
    case trailingWhitespace
    /// Only once every non-blank line was shifted by the same indentation; `shift` says how,
    /// such as "4 spaces added" (the file has 4 more than the SEARCH lines).
    case indentation(shift: String)

    init(tier: MatchTier, offset: IndentOffset) {
        switch (tier, offset) {
        case (.exact, _): self = .exact
        case (.trailingWhitespace, _), (.indentation, .none): self = .trailingWhitespace
        case (.indentation, .add(let prefix)): self = .indentation(shift: IndentOffset.describe(prefix) + " added")
        case (.indentation, .remove(let prefix)): self = .indentation(shift: IndentOffset.describe(prefix) + " removed")
        }
    }

    /// How the lines were matched, to follow "matched": "ignoring whitespace at line ends".
    public var phrase: String {
        switch self {
        case .exact: "exactly"
        case .trailingWhitespace: "ignoring whitespace at the ends of lines and line endings"
        case .indentation(let shift): "with the indentation shifted uniformly (\(shift) on every line)"
        }
    }
}

/// A block that applied only with a tolerance: recorded in the plan so that the engine can
/// tell the model (and the user) that its SEARCH text was not an exact copy.
public struct ToleratedMatch: Sendable, Equatable {
    public let origin: BlockOrigin
    public let path: String
    public let tolerance: MatchTolerance

    public init(origin: BlockOrigin, path: String, tolerance: MatchTolerance) {
        self.origin = origin
        self.path = path
        self.tolerance = tolerance
    }

    /// "Block 2 (line 7), src/a.py: matched ignoring whitespace at the ends of lines and line endings."
    public var sentence: String {
        "Block \(origin.index) (line \(origin.line)), \(path): matched \(tolerance.phrase)."
    }
}
