/// Reads the edits in a model's answer (the format is in docs/edit-format.md).
///
/// An edit is a file path alone on a line, directly followed by a fenced block. A fence whose
/// lines include a `<<<<<<< SEARCH` marker holds SEARCH/REPLACE blocks and nothing else; any
/// other fence holds the whole new file. Fences with no path line above them are examples or
/// commands, not edits, and are skipped.
///
/// The parser is strict on purpose: it never guesses a path from prose, never strips
/// decoration from markers, and never drops a block it cannot read. A block that is cut off or
/// broken becomes an ``EditParseProblem``, and one problem rejects the whole answer, because
/// applying the blocks around a broken one would apply only part of what the model meant.
public enum EditParser {
    static let searchMarker = "<<<<<<< SEARCH"
    static let dividerMarker = "======="
    static let replaceMarker = ">>>>>>> REPLACE"

    public static func parse(_ answer: String) -> EditParseResult {
        var scanner = Scanner(lines: TextLines.answerLines(answer))
        scanner.scan()
        return EditParseResult(
            blocks: scanner.blocks, problems: scanner.problems, unlabeledFences: scanner.unlabeledFences,
            blockCount: scanner.blockCount
        )
    }

    /// The path written on `line`, or nil when the line is prose rather than a path: a path
    /// line is one word, optionally in backticks, that does not end with a colon (`Example:`
    /// introduces a sample, it does not name a file).
    static func path(onLine line: String) -> String? {
        var word = line.trimmingBlanks
        if word.count >= 3, word.first == "`", word.last == "`" { word = word.dropFirst().dropLast() }
        guard !word.isEmpty, !word.hasSuffix(":"), !word.contains(where: { $0.isWhitespace || $0 == "`" }),
              Fence(opening: String(word)) == nil, !word.allSatisfy({ $0 == "~" }), Marker(indented: line) == nil
        else { return nil }
        return String(word)
    }
}

/// A code fence as CommonMark defines it, restricted to what we accept: it starts in the first
/// column, is three or more backticks or tildes, and may carry an info string (a language
/// tag). Only a line of the same character, at least as long, closes it, so a file that
/// itself contains ``` lines can be wrapped in ````.
struct Fence: Equatable {
    let character: UInt8
    let length: Int

    init?(opening line: String) {
        guard let first = line.utf8.first, first == UInt8(ascii: "`") || first == UInt8(ascii: "~") else { return nil }
        let length = line.utf8.prefix { $0 == first }.count
        guard length >= 3 else { return nil }
        // CommonMark: the info string of a backtick fence may not contain a backtick.
        if first == UInt8(ascii: "`"), line.utf8.dropFirst(length).contains(first) { return nil }
        character = first
        self.length = length
    }

    func isClosed(by line: String) -> Bool {
        let run = line.utf8.prefix { $0 == character }.count
        return run >= length && line.utf8.dropFirst(run).allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
    }

    /// How the fence looks, for messages.
    var text: String { String(repeating: Character(Unicode.Scalar(character)), count: length) }
}

/// The three SEARCH/REPLACE markers. A marker is the whole line, from the first column;
/// trailing spaces are forgiven because they are invisible.
enum Marker {
    case search, divider, replace

    /// A marker with leading whitespace too: not a marker, but almost certainly meant as one.
    init?(indented line: String) {
        self.init(String(line.droppingIndentation))
    }

    init?(_ line: String) {
        var text = Substring(line)
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        switch String(text) {
        case EditParser.searchMarker: self = .search
        case EditParser.dividerMarker: self = .divider
        case EditParser.replaceMarker: self = .replace
        default: return nil
        }
    }
}

private struct Scanner {
    let lines: [String]
    var blocks: [EditBlock] = []
    var problems: [EditParseProblem] = []
    var unlabeledFences: [Int] = []
    var blockCount = 0

    init(lines: [String]) {
        self.lines = lines
    }

    mutating func scan() {
        var index = 0
        // The last line that belonged to a fence: it cannot also be the next fence's path line.
        var consumed = -1
        while index < lines.count {
            guard let fence = Fence(opening: lines[index]) else {
                index += 1
                continue
            }
            let pathLine = index - 1 > consumed ? index - 1 : nil
            let path = pathLine.flatMap { EditParser.path(onLine: lines[$0]) }
            var close = index + 1
            while close < lines.count, !fence.isClosed(by: lines[close]) { close += 1 }
            let body = (index + 1)..<close
            let closeLine = close < lines.count ? close : nil
            if body.contains(where: { Marker(indented: lines[$0]) == .search }) {
                searchReplaceFence(fence: fence, open: index, path: path, body: body, closeLine: closeLine)
            } else if let path, let pathLine {
                wholeFileFence(fence: fence, open: index, path: path, pathLine: pathLine, body: body, closeLine: closeLine)
            } else {
                unlabeledFences.append(index + 1)
            }
            consumed = close
            index = close + 1
        }
    }

    private mutating func nextOrigin(line index: Int) -> BlockOrigin {
        blockCount += 1
        return BlockOrigin(index: blockCount, line: index + 1)
    }

    /// Blocks with a problem: they are not also returned as blocks, so the model is not told
    /// about the same block twice (once malformed, once not matching).
    var flagged: Set<Int> = []

    private mutating func problem(_ origin: BlockOrigin?, line index: Int, _ path: String?, _ message: String) {
        problems.append(EditParseProblem(origin: origin, line: index + 1, path: path, message: message))
        if let origin { flagged.insert(origin.index) }
    }

    private mutating func wholeFileFence(fence: Fence, open: Int, path: String, pathLine: Int, body: Range<Int>, closeLine: Int?) {
        let origin = nextOrigin(line: pathLine)
        guard closeLine != nil else {
            problem(origin, line: open, path, "The fence opened on line \(open + 1) is never closed (the answer may have been cut off). End the file's content with a line \(fence.text).")
            return
        }
        blocks.append(.wholeFile(path: path, content: TextLines.blockText(lines[body]), origin: origin))
    }

    private enum State {
        case between
        case search(BlockOrigin, [String])
        case replace(BlockOrigin, search: [String], [String])
    }

    private mutating func searchReplaceFence(fence: Fence, open: Int, path: String?, body: Range<Int>, closeLine: Int?) {
        var state = State.between
        var found: [EditBlock] = []
        var firstOrigin: BlockOrigin?
        var previousWasStray = false
        for index in body {
            let line = lines[index]
            let marker = Marker(line)
            var stray = false
            switch state {
            case .between:
                switch marker {
                case .search:
                    let origin = nextOrigin(line: index)
                    firstOrigin = firstOrigin ?? origin
                    state = .search(origin, [])
                case .divider, .replace:
                    problem(nil, line: index, path, "The line '\(line)' (line \(index + 1)) is outside a SEARCH/REPLACE block. Each block starts with \(EditParser.searchMarker).")
                case nil where Marker(indented: line) == .search:
                    let origin = nextOrigin(line: index)
                    firstOrigin = firstOrigin ?? origin
                    problem(origin, line: index, path, "The \(EditParser.searchMarker) marker on line \(index + 1) is indented. Markers must start at the beginning of the line.")
                    state = .search(origin, [])
                case nil:
                    if !line.isBlankLine {
                        stray = true
                        if !previousWasStray {
                            problem(nil, line: index, path, "Text on line \(index + 1) is outside a SEARCH/REPLACE block. A fence with SEARCH/REPLACE blocks may hold only those blocks; put any explanation outside the fence.")
                        }
                    }
                }
            case .search(let origin, let searchLines):
                switch marker {
                case .divider:
                    state = .replace(origin, search: searchLines, [])
                case .search:
                    problem(origin, line: index, path, "The \(EditParser.searchMarker) on line \(index + 1) starts a new block before this block's \(EditParser.dividerMarker). Every block needs \(EditParser.searchMarker), \(EditParser.dividerMarker) and \(EditParser.replaceMarker), in that order.")
                    state = .search(nextOrigin(line: index), [])
                case .replace:
                    problem(origin, line: index, path, "The \(EditParser.replaceMarker) on line \(index + 1) comes before this block's \(EditParser.dividerMarker). Put \(EditParser.dividerMarker) between the SEARCH lines and the REPLACE lines.")
                    state = .between
                case nil:
                    state = .search(origin, searchLines + [line])
                }
            case .replace(let origin, let searchLines, let replaceLines):
                switch marker {
                case .replace:
                    if let path {
                        found.append(.searchReplace(
                            path: path, search: TextLines.blockText(searchLines),
                            replace: TextLines.blockText(replaceLines), origin: origin
                        ))
                    }
                    state = .between
                case .search:
                    problem(origin, line: index, path, "This block has no \(EditParser.replaceMarker) line: the \(EditParser.searchMarker) on line \(index + 1) starts the next block first.")
                    state = .search(nextOrigin(line: index), [])
                case .divider, nil:
                    // The REPLACE part runs to its marker: a ======= line in it is text.
                    state = .replace(origin, search: searchLines, replaceLines + [line])
                }
            }
            previousWasStray = stray
        }
        let end = closeLine.map { "The fence closes on line \($0 + 1)" } ?? "The answer ends (it may have been cut off)"
        let hint = closeLine == nil ? "" : " If the text itself has a \(fence.text) line, wrap the block in a longer fence, such as \(fence.text)`."
        switch state {
        case .between:
            break
        case .search(let origin, _):
            problem(origin, line: origin.line - 1, path, "\(end) before this block's \(EditParser.dividerMarker) and \(EditParser.replaceMarker) lines. Complete the block.\(hint)")
        case .replace(let origin, _, _):
            problem(origin, line: origin.line - 1, path, "\(end) before this block's \(EditParser.replaceMarker) line. End the block with \(EditParser.replaceMarker).\(hint)")
        }
        if closeLine == nil, case .between = state {
            problem(firstOrigin, line: open, path, "The fence opened on line \(open + 1) is never closed (the answer may have been cut off). Close it with a line \(fence.text).")
        }
        guard path != nil else {
            problem(firstOrigin, line: open, nil, "The SEARCH/REPLACE fence on line \(open + 1) has no file path. Put the path alone on the line directly above the opening \(fence.text).")
            return
        }
        blocks.append(contentsOf: found.filter { !flagged.contains($0.origin.index) })
    }
}
