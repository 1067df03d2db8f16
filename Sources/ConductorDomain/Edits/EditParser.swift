/// Reads the edits in a model's answer (the format is in docs/edit-format.md).
///
/// An edit is a file path followed by a fenced block, SEARCH/REPLACE blocks without a fence,
/// or a unified diff (``UnifiedDiff``). The path may be decorated and placed as models write
/// it: above the fence, in its info string, or on its first line (``PathDecoration``). A fence
/// whose lines include a `<<<<<<< SEARCH` marker holds SEARCH/REPLACE blocks and nothing else;
/// a diff fence holds hunks; any other fence holds the whole new file. Fences that name no
/// file are examples or commands, not edits, and are skipped.
///
/// The parser is strict on purpose: it never takes prose for a path (a decorated word must look
/// like a relative file path), never strips decoration from markers, and never drops a block
/// it cannot read. A block that is cut off or
/// broken becomes an ``EditParseProblem``, and one problem rejects the whole answer, because
/// applying the blocks around a broken one would apply only part of what the model meant.
public enum EditParser {
    static let searchMarker = "<<<<<<< SEARCH"
    static let dividerMarker = "======="
    static let replaceMarker = ">>>>>>> REPLACE"

    public static func parse(_ answer: String) -> EditParseResult {
        var scanner = AnswerScanner(lines: TextLines.answerLines(answer))
        scanner.scan()
        return EditParseResult(
            blocks: scanner.blocks, problems: scanner.problems, unlabeledFences: scanner.unlabeledFences,
            blockCount: scanner.blockCount
        )
    }

    /// The path written on `line`, or nil when the line is prose rather than a path
    /// (``PathDecoration``).
    static func path(onLine line: String) -> String? {
        PathDecoration.path(onLine: line)
    }
}

/// A code fence as CommonMark defines it, restricted to what we accept: it starts in the first
/// column, is three or more backticks or tildes, and may carry an info string (a language
/// tag). Only a line of the same character, at least as long, closes it, so a file that
/// itself contains ``` lines can be wrapped in ````.
struct Fence: Equatable {
    let character: UInt8
    let length: Int
    /// The info string: a language tag, and sometimes the file's path (``PathDecoration``).
    let info: String

    init?(opening line: String) {
        guard let first = line.utf8.first, first == UInt8(ascii: "`") || first == UInt8(ascii: "~") else { return nil }
        let length = line.utf8.prefix { $0 == first }.count
        guard length >= 3 else { return nil }
        // CommonMark: the info string of a backtick fence may not contain a backtick.
        if first == UInt8(ascii: "`"), line.utf8.dropFirst(length).contains(first) { return nil }
        character = first
        self.length = length
        info = String(String(decoding: line.utf8.dropFirst(length), as: UTF8.self).trimmingBlanks)
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

struct AnswerScanner {
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
        // The path of the last unfenced SEARCH/REPLACE run and the line after it: a block
        // directly below it, with no path line of its own, is for the same file.
        var lastUnfenced: (path: String?, end: Int)?
        while index < lines.count {
            if Marker(lines[index]) == .search {
                let inherited = lastUnfenced.flatMap { prior in
                    (prior.end..<index).allSatisfy { lines[$0].isBlankLine } ? prior.path : nil
                }
                let path = pathAbove(index, consumed: consumed)?.path ?? inherited
                let end = unfencedEnd(from: index)
                searchReplace(fence: nil, open: index, path: path, body: index..<end, closeLine: nil)
                lastUnfenced = (path, end)
                consumed = end - 1
                index = end
                continue
            }
            if UnifiedDiff.starts(at: index, in: lines) {
                let end = UnifiedDiff.bareEnd(from: index, in: lines)
                diff(body: index..<end, fallbackPath: nil, fallbackLine: index)
                consumed = end - 1
                index = end
                continue
            }
            guard let fence = Fence(opening: lines[index]) else {
                index += 1
                continue
            }
            var close = index + 1
            while close < lines.count, !fence.isClosed(by: lines[close]) { close += 1 }
            var body = (index + 1)..<close
            let closeLine = close < lines.count ? close : nil
            let above = pathAbove(index, consumed: consumed)
            // A diff below the path of a patch file is that file's content, not edits to apply.
            let patchFile = above.map { $0.path.hasSuffix(".patch") || $0.path.hasSuffix(".diff") } ?? false
            if !patchFile, UnifiedDiff.isDiffFence(info: fence.info, body: body.map { lines[$0] }) {
                diff(body: body, fallbackPath: above?.path ?? PathDecoration.path(inInfo: fence.info), fallbackLine: index)
                if closeLine == nil {
                    problem(nil, line: index, above?.path, "The fence opened on line \(index + 1) is never closed (the answer may have been cut off). Close it with a line \(fence.text).")
                }
            } else {
                var path = above?.path
                var pathLine = above?.line
                if path == nil, let info = PathDecoration.path(inInfo: fence.info) {
                    (path, pathLine) = (info, index)
                } else if path == nil, let first = body.first, let inside = pathOnFirstLine(of: body, info: fence.info) {
                    (path, pathLine) = (inside, first)
                    body = (first + 1)..<close
                }
                if body.contains(where: { Marker(indented: lines[$0]) == .search }) {
                    // The path written both above the fence and on its first line: said twice, meant once.
                    if let first = body.first, let path, PathDecoration.path(onFirstLine: lines[first], info: "") == path {
                        body = (first + 1)..<close
                    }
                    searchReplace(fence: fence, open: index, path: path, body: body, closeLine: closeLine)
                } else if let path, let pathLine {
                    wholeFileFence(fence: fence, open: index, path: path, pathLine: pathLine, body: body, closeLine: closeLine)
                } else {
                    unlabeledFences.append(index + 1)
                }
            }
            consumed = close
            index = close + 1
        }
    }

    /// The path written above line `index`: on the line directly above, or on the line above a
    /// blank line (then it must look like a path). Lines of an earlier fence never count.
    func pathAbove(_ index: Int, consumed: Int) -> (path: String, line: Int)? {
        if index - 1 > consumed, let path = EditParser.path(onLine: lines[index - 1]) { return (path, index - 1) }
        if index - 2 > consumed, lines[index - 1].isBlankLine, let path = PathDecoration.strictPath(onLine: lines[index - 2]) {
            return (path, index - 2)
        }
        return nil
    }

    /// The path on the first line of a fence's `body`, when the rest of the fence is content:
    /// a fence that holds only a path, or a list of paths, is a listing, not a file.
    func pathOnFirstLine(of body: Range<Int>, info: String) -> String? {
        guard let first = body.first, let path = PathDecoration.path(onFirstLine: lines[first], info: info) else { return nil }
        guard let next = body.dropFirst().first(where: { !lines[$0].isBlankLine }) else { return nil }
        if Marker(lines[next]) == nil, PathDecoration.path(onFirstLine: lines[next], info: "") != nil, !lines[next].trimmingBlanks.contains(" ") {
            return nil
        }
        return path
    }

    /// The line after an unfenced run of SEARCH/REPLACE blocks that starts at `start`: the run
    /// goes on across blank lines to the next `<<<<<<< SEARCH`, and ends at other text. A block
    /// that never ends runs to the end of the answer (which is then reported as cut off).
    func unfencedEnd(from start: Int) -> Int {
        var inBlock = false
        var afterDivider = false
        var end = start
        for index in start..<lines.count {
            let marker = Marker(lines[index])
            if !inBlock {
                if marker == .search {
                    inBlock = true
                    afterDivider = false
                } else if !lines[index].isBlankLine {
                    return end
                }
            } else if !afterDivider, marker == .divider {
                afterDivider = true
            } else if marker == .replace {
                inBlock = false
                end = index + 1
            }
        }
        return inBlock ? lines.count : end
    }

    mutating func nextOrigin(line index: Int) -> BlockOrigin {
        blockCount += 1
        return BlockOrigin(index: blockCount, line: index + 1)
    }

    /// Blocks with a problem: they are not also returned as blocks, so the model is not told
    /// about the same block twice (once malformed, once not matching).
    var flagged: Set<Int> = []

    mutating func problem(_ origin: BlockOrigin?, line index: Int, _ path: String?, _ message: String) {
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

    mutating func searchReplace(fence: Fence?, open: Int, path: String?, body: Range<Int>, closeLine: Int?) {
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
        let hint = fence.flatMap { fence in
            closeLine == nil ? nil : " If the text itself has a \(fence.text) line, wrap the block in a longer fence, such as \(fence.text)`."
        } ?? ""
        switch state {
        case .between:
            break
        case .search(let origin, _):
            problem(origin, line: origin.line - 1, path, "\(end) before this block's \(EditParser.dividerMarker) and \(EditParser.replaceMarker) lines. Complete the block.\(hint)")
        case .replace(let origin, _, _):
            problem(origin, line: origin.line - 1, path, "\(end) before this block's \(EditParser.replaceMarker) line. End the block with \(EditParser.replaceMarker).\(hint)")
        }
        if let fence, closeLine == nil, case .between = state {
            problem(firstOrigin, line: open, path, "The fence opened on line \(open + 1) is never closed (the answer may have been cut off). Close it with a line \(fence.text).")
        }
        guard path != nil else {
            let what = fence == nil ? "block" : "fence"
            let above = fence.map { "the opening \($0.text)" } ?? "its \(EditParser.searchMarker) line"
            problem(firstOrigin, line: open, nil, "The SEARCH/REPLACE \(what) on line \(open + 1) has no file path. Put the path alone on the line directly above \(above).")
            return
        }
        blocks.append(contentsOf: found.filter { !flagged.contains($0.origin.index) })
    }
}
