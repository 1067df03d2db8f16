/// Where a block sits in the model's answer, so feedback can point at it: "block 3 (line 41)".
public struct BlockOrigin: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// 1-based position among the answer's blocks, malformed ones included, so the numbers
    /// match what the model sees when it counts the blocks it wrote.
    public let index: Int
    /// 1-based line of the answer where the block starts: the path line of a whole-file
    /// block, the `<<<<<<< SEARCH` line of a SEARCH/REPLACE block.
    public let line: Int

    public init(index: Int, line: Int) {
        self.index = index
        self.line = line
    }

    public static func < (lhs: BlockOrigin, rhs: BlockOrigin) -> Bool { lhs.index < rhs.index }

    public var description: String { "block \(index) (line \(line))" }
}

/// One edit the model asked for (docs/edit-format.md).
///
/// Texts are kept as lines, each ending with `"\n"`: the model cannot express "no newline at
/// the end of the file", and comparing whole lines is what makes matching predictable.
public enum EditBlock: Sendable, Equatable {
    /// Replace the file, or create it, with `content`.
    case wholeFile(path: String, content: String, origin: BlockOrigin)
    /// Replace the one place where `search` occurs as whole lines with `replace`. An empty
    /// `search` creates a file that does not exist yet.
    case searchReplace(path: String, search: String, replace: String, origin: BlockOrigin)
    /// One hunk of a unified diff: its context and `-` lines (`search`) become its context and
    /// `+` lines (`replace`). `line` is where the hunk says they start (1-based, in the file as
    /// the diff's earlier hunks left it), nil when the header gave no numbers; it decides
    /// between several matches, as `patch` does, but never overrides the context.
    case hunk(path: String, search: String, replace: String, line: Int?, origin: BlockOrigin)

    /// The repository-relative path, exactly as the model wrote it.
    public var path: String {
        switch self {
        case .wholeFile(let path, _, _), .searchReplace(let path, _, _, _), .hunk(let path, _, _, _, _): path
        }
    }

    public var origin: BlockOrigin {
        switch self {
        case .wholeFile(_, _, let origin), .searchReplace(_, _, _, let origin), .hunk(_, _, _, _, let origin): origin
        }
    }
}

/// A block the parser could not read. Such an answer is rejected as a whole: applying the
/// blocks around a broken one would apply part of what the model meant.
public struct EditParseProblem: Sendable, Equatable {
    /// The block, when the problem belongs to one (text outside any block has none).
    public let origin: BlockOrigin?
    /// The answer line the problem was found on.
    public let line: Int
    /// The file the block was for, when its path line was readable.
    public let path: String?
    /// What is wrong and how to write it instead, for the model.
    public let message: String

    public init(origin: BlockOrigin?, line: Int, path: String?, message: String) {
        self.origin = origin
        self.line = line
        self.path = path
        self.message = message
    }
}

/// Everything the parser found in an answer.
public struct EditParseResult: Sendable, Equatable {
    /// The well-formed blocks, in answer order.
    public var blocks: [EditBlock]
    /// Blocks that could not be read. Any problem rejects the whole answer.
    public var problems: [EditParseProblem]
    /// Answer lines of fenced blocks that were not edits because no path preceded them
    /// (examples, shell commands). Reported only when the answer has no edit at all, to
    /// explain why.
    public var unlabeledFences: [Int]
    /// How many blocks the answer had, malformed ones included.
    public var blockCount: Int

    public init(blocks: [EditBlock] = [], problems: [EditParseProblem] = [], unlabeledFences: [Int] = [], blockCount: Int? = nil) {
        self.blocks = blocks
        self.problems = problems
        self.unlabeledFences = unlabeledFences
        self.blockCount = blockCount ?? blocks.count
    }
}
