/// One reason an answer's edits were refused, located as precisely as the answer allows.
public struct EditProblem: Sendable, Equatable {
    /// Why, as a closed set the engine can count and test against.
    public enum Reason: String, Sendable, Equatable, CaseIterable, Codable {
        case outsideRepository = "outside the repository"
        case gitDirectory = "inside .git"
        case protectedPath = "protected path"
        case symlinkEscape = "symbolic link leads outside"
        case invalidPath = "invalid path"
        case pathConflict = "conflicting paths"
        case unsupportedFile = "not an editable text file"
        case fileNotFound = "file not found"
        case fileExists = "file already exists"
        case searchNotFound = "SEARCH not found"
        case searchAmbiguous = "SEARCH matches more than once"
        case searchCountMismatch = "repeated SEARCH, different number of matches"
        case indentationMismatch = "REPLACE indentation does not fit"
        case malformedBlock = "malformed block"
        case tooManyFiles = "too many files"
        case tooManyChangedLines = "too many changed lines"
        case noEdits = "no edits"
    }

    public var reason: Reason
    /// The block at fault; nil for problems of the whole answer or of text between blocks.
    public var origin: BlockOrigin?
    /// The answer line at fault, when there is one (the block's line when there is a block).
    public var line: Int?
    /// The file concerned, as the model wrote it.
    public var path: String?
    /// What went wrong and what to do instead, in sentences for the model.
    public var detail: String
    /// For a SEARCH that was not found: the file's real lines nearest to it.
    public var closestLines: ClosestLines?

    public init(
        _ reason: Reason, origin: BlockOrigin? = nil, line: Int? = nil, path: String? = nil, detail: String,
        closestLines: ClosestLines? = nil
    ) {
        self.reason = reason
        self.origin = origin
        self.line = line ?? origin?.line
        self.path = path
        self.detail = detail
        self.closestLines = closestLines
    }
}

/// Why an answer's edits were refused, to be sent back to the model as ``text``.
///
/// Like Aider's, the text says which block, which file and why, and for a SEARCH that did not
/// match it quotes the closest real lines, so the next attempt can copy instead of recall.
/// Unlike Aider, nothing of the answer was applied, and the text says so: the next answer
/// must carry every edit again.
public struct EditFeedback: Sendable, Equatable {
    /// Every problem found, in answer order; problems of the whole answer come last.
    public let problems: [EditProblem]
    /// How many blocks the answer had, malformed ones included.
    public let blockCount: Int

    public init(problems: [EditProblem], blockCount: Int) {
        self.problems = problems.enumerated().sorted { lhs, rhs in
            switch (lhs.element.line, rhs.element.line) {
            case let (left?, right?) where left != right: left < right
            case (.some, nil): true
            case (nil, .some): false
            default: lhs.offset < rhs.offset
            }
        }.map(\.element)
        self.blockCount = blockCount
    }

    /// The reasons, in the order of ``problems``.
    public var reasons: [EditProblem.Reason] { problems.map(\.reason) }

    /// The feedback as the model reads it.
    public var text: String {
        var parts: [String] = [introduction]
        for problem in problems {
            parts.append(Self.render(problem))
        }
        if problems.contains(where: { $0.reason == .malformedBlock || $0.reason == .noEdits }) {
            parts.append(Self.formatReminder)
        }
        return parts.joined(separator: "\n\n") + "\n"
    }

    private var introduction: String {
        if problems.allSatisfy({ $0.reason == .noEdits }) {
            return "# Your answer changed no file"
        }
        let count = problems.count == 1 ? "1 problem" : "\(problems.count) problems"
        let blocks = blockCount == 1 ? "1 block" : "\(blockCount) blocks"
        return """
        # Your edits were not applied (\(count), \(blocks))
        The edits of one answer are applied all together or not at all, so no file was changed. \
        Send all of your edits again, with these problems fixed.
        """
    }

    static let formatReminder = """
    Edit format: the file's path alone on a line, then a fenced block holding either the whole \
    new file or SEARCH/REPLACE blocks (\(EditParser.searchMarker), the lines to find, \
    \(EditParser.dividerMarker), their replacement, \(EditParser.replaceMarker)).
    """

    /// A two-line SEARCH/REPLACE example, for an answer with no edits: the path line, then the
    /// fenced block. Shown as well as said, because a model that wrote no edit has usually not
    /// seen the format at all (it answered in prose or in a shell block).
    public static let formatExample = """
    ````text
    src/greeting.py
    ```python
    \(EditParser.searchMarker)
    def greet(name):
        return "Hello " + name
    \(EditParser.dividerMarker)
    def greet(name):
        return f"Hello, {name}!"
    \(EditParser.replaceMarker)
    ```
    ````
    """

    static func render(_ problem: EditProblem) -> String {
        var heading = "## "
        if let origin = problem.origin {
            heading += "Block \(origin.index) (line \(origin.line))"
        } else if let line = problem.line {
            heading += "Line \(line)"
        } else {
            heading += "The whole answer"
        }
        if let path = problem.path { heading += ", \(path)" }
        heading += ": \(problem.reason.rawValue)"
        var text = heading + "\n" + problem.detail
        if let closest = problem.closestLines {
            let fence = quoteFence(for: closest.lines)
            let range = closest.firstLine == closest.lastLine ? "line \(closest.firstLine)" : "lines \(closest.firstLine)-\(closest.lastLine)"
            text += "\nThe closest lines in \(problem.path ?? "the file") are \(range):\n\(fence)\n"
            text += closest.lines.joined(separator: "\n") + "\n\(fence)"
        }
        return text
    }

    /// A backtick fence longer than any backtick run that starts a quoted line, so that a
    /// quoted Markdown file cannot close the quote early.
    static func quoteFence(for lines: [String]) -> String {
        let longest = lines.map { $0.prefix { $0 == "`" }.count }.max() ?? 0
        return String(repeating: "`", count: max(3, longest + 1))
    }
}

/// What an answer's edits come to: a plan to write, or feedback for the model.
public enum EditOutcome: Sendable, Equatable {
    case accepted(EditPlan)
    case rejected(EditFeedback)

    public var plan: EditPlan? {
        if case .accepted(let plan) = self { plan } else { nil }
    }

    public var feedback: EditFeedback? {
        if case .rejected(let feedback) = self { feedback } else { nil }
    }
}
