/// Applies edit blocks to file contents held in memory (docs/edit-format.md, "Matching").
///
/// A SEARCH text must occur exactly once, as whole lines. When it occurs nowhere, one more
/// try allows a uniform indentation offset: the same run of spaces and tabs added to, or
/// removed from, the start of every non-blank SEARCH line (blank lines then match blank
/// lines), with the same offset applied to the REPLACE lines. Models often get indentation
/// wrong in exactly this uniform way and rarely in any other way that is safe to forgive.
/// Nothing looser is tried: a near miss is a failure that quotes the closest real lines, so
/// the model can correct itself rather than have a guess applied to the wrong place.
///
/// The one exception to "exactly once": several blocks for one file with the same SEARCH text
/// (``RepeatedSearch``), which apply to its occurrences in order when there are exactly as
/// many occurrences as blocks.
public enum EditMatcher {
    /// Applies `block` to the file's current content (nil: the file does not exist) and
    /// returns the new content.
    public static func apply(_ block: EditBlock, to content: String?) -> Result<String, MatchFailure> {
        switch block {
        case .wholeFile(_, let replacement, _):
            // Keep a CRLF file CRLF, so a rewrite does not also change every line ending.
            guard let content, TextLines(content).usesCRLF else { return .success(replacement) }
            var lines = TextLines(replacement)
            lines.usesCRLF = !lines.lines.isEmpty
            return .success(lines.text)
        case .searchReplace(_, let search, let replace, _):
            return applySearchReplace(search: search, replace: replace, to: content).map(\.text)
        }
    }

    /// Applies `blocks` in answer order to `files` (path → content, nil when absent; a path
    /// missing from the dictionary is absent too). Each block sees the content as the blocks
    /// before it left it; a failed block changes nothing and the rest still run, so that one
    /// answer's feedback reports every failure at once. Blocks of a ``RepeatedSearch`` group
    /// take its occurrences in order; once one of them fails, the rest of its group is not tried.
    public static func apply(_ blocks: [EditBlock], to files: [String: String?]) -> MatchOutcome {
        var contents = files
        var edited: Set<String> = []
        var repeated = RepeatedSearch(blocks)
        var failures: [BlockFailure] = []
        for block in blocks {
            let current = contents[block.path] ?? nil
            let result: Result<Spliced, MatchFailure>
            let group = repeated.group(of: block)
            if let group {
                guard !repeated.hasFailed(group) else { continue }
                result = repeated.apply(block, of: group, to: current)
            } else {
                result = splice(block, into: current)
            }
            switch result {
            case .success(let spliced):
                contents[block.path] = .some(spliced.text)
                edited.insert(block.path)
                repeated.shift(block.path, by: spliced.splice, except: group)
            case .failure(let failure):
                failures.append(BlockFailure(origin: block.origin, path: block.path, failure: failure, afterEarlierBlocks: edited.contains(block.path)))
            }
        }
        return MatchOutcome(files: contents, failures: failures)
    }

    /// `block` applied to `content`, with the lines it replaced.
    static func splice(_ block: EditBlock, into content: String?) -> Result<Spliced, MatchFailure> {
        switch block {
        case .wholeFile:
            let before = content.map { TextLines($0).lines.count } ?? 0
            return apply(block, to: content).map { text in
                Spliced(text: text, splice: LineSplice(start: 0, removed: before, added: TextLines(text).lines.count))
            }
        case .searchReplace(_, let search, let replace, _):
            return applySearchReplace(search: search, replace: replace, to: content)
        }
    }

    static func applySearchReplace(search: String, replace: String, to content: String?) -> Result<Spliced, MatchFailure> {
        let replaceLines = TextLines.blockLines(replace)
        guard let content else {
            return search.isEmpty ? .success(Spliced(created: replace)) : .failure(.fileNotFound)
        }
        guard !search.isEmpty else {
            // An empty SEARCH creates a file; on an existing file it would have to guess where to put the lines.
            return content.isEmpty ? .success(Spliced(created: replace)) : .failure(.fileExists)
        }
        let file = TextLines(content)
        let searchLines = TextLines.blockLines(search)

        let exact = exactMatches(of: searchLines, in: file.lines)
        if exact.count > 1 { return .failure(.ambiguous(lines: exact.map { $0 + 1 }, reindented: false)) }
        if let start = exact.first {
            return .success(replacing(searchLines.count, linesAt: start, of: file, with: replaceLines))
        }

        let shifted = offsetMatches(of: searchLines, in: file.lines)
        if shifted.count > 1 { return .failure(.ambiguous(lines: shifted.map { $0.start + 1 }, reindented: true)) }
        if let match = shifted.first {
            return replacing(searchLines.count, at: match, of: file, with: replaceLines)
        }
        return .failure(notFound(searchLines, replaceLines, in: file))
    }

    /// The file with `count` lines from `start` replaced by `lines`.
    static func replacing(_ count: Int, linesAt start: Int, of file: TextLines, with lines: [String]) -> Spliced {
        var file = file
        file.lines.replaceSubrange(start..<(start + count), with: lines)
        return Spliced(text: file.text, splice: LineSplice(start: start, removed: count, added: lines.count))
    }

    /// The file with the `count` lines of an indentation-offset match replaced by `replace`,
    /// shifted by the same offset.
    static func replacing(
        _ count: Int, at match: (start: Int, offset: IndentOffset), of file: TextLines, with replace: [String]
    ) -> Result<Spliced, MatchFailure> {
        switch match.offset.apply(to: replace) {
        case .success(let lines):
            return .success(replacing(count, linesAt: match.start, of: file, with: lines))
        case .failure(let uneven):
            return .failure(.unevenReplacement(matchLine: match.start + 1, removed: match.offset.amount, replaceLine: uneven.index + 1))
        }
    }

    /// The failure of SEARCH lines found nowhere, with the closest lines to quote.
    static func notFound(_ searchLines: [String], _ replaceLines: [String], in file: TextLines) -> MatchFailure {
        let alreadyThere = !replaceLines.isEmpty && !exactMatches(of: replaceLines, in: file.lines).isEmpty
        return .notFound(closest: ClosestLines.find(for: searchLines, in: file.lines), replaceAlreadyPresent: alreadyThere)
    }

    /// `starts` (ascending) without those that overlap an earlier kept match of `length` lines:
    /// the occurrences a reader counts from the top.
    static func nonOverlapping(_ starts: [Int], length: Int) -> [Int] {
        var kept: [Int] = []
        for start in starts where kept.last.map({ start >= $0 + length }) ?? true {
            kept.append(start)
        }
        return kept
    }

    /// Start positions where `search` equals the file's lines exactly.
    static func exactMatches(of search: [String], in lines: [String]) -> [Int] {
        guard !search.isEmpty, search.count <= lines.count else { return [] }
        return (0...(lines.count - search.count)).filter { start in
            lines[start] == search[0] && lines[start..<(start + search.count)].elementsEqual(search)
        }
    }

    /// Start positions where `search` matches with one uniform indentation offset.
    static func offsetMatches(of search: [String], in lines: [String]) -> [(start: Int, offset: IndentOffset)] {
        guard !search.isEmpty, search.count <= lines.count else { return [] }
        let anchor = search.firstIndex { !$0.isBlankLine }
        let anchorText = anchor.map { search[$0].droppingIndentation }
        var found: [(start: Int, offset: IndentOffset)] = []
        for start in 0...(lines.count - search.count) {
            if let anchor, let anchorText, lines[start + anchor].droppingIndentation != anchorText { continue }
            if let offset = IndentOffset.uniform(search: search, lines: lines[start..<(start + search.count)]) {
                found.append((start, offset))
            }
        }
        return found
    }
}

/// What applying a list of blocks produced.
public struct MatchOutcome: Sendable, Equatable {
    /// Every file's content after the blocks that matched.
    public var files: [String: String?]
    /// The blocks that did not match, in answer order.
    public var failures: [BlockFailure]
}

/// One block that could not be applied.
public struct BlockFailure: Sendable, Equatable {
    public let origin: BlockOrigin
    public let path: String
    public let failure: MatchFailure
    /// Whether earlier blocks of the answer had already edited the file when this one failed.
    public let afterEarlierBlocks: Bool
}

/// Where a block changed a file: `removed` lines from line `start` (0-based) were replaced by
/// `added` lines. Blocks that come later in a ``RepeatedSearch`` group need it to know where
/// the lines they are to count now start.
struct LineSplice: Equatable {
    let start: Int
    let removed: Int
    let added: Int
}

/// A file's new content and the lines that changed to make it.
struct Spliced: Equatable {
    let text: String
    let splice: LineSplice

    /// A file created (or an empty one filled) with `content`.
    init(created content: String) {
        self.init(text: content, splice: LineSplice(start: 0, removed: 0, added: TextLines(content).lines.count))
    }

    init(text: String, splice: LineSplice) {
        self.text = text
        self.splice = splice
    }
}

/// Why a block could not be applied.
public enum MatchFailure: Error, Sendable, Equatable {
    /// A non-empty SEARCH on a file that does not exist.
    case fileNotFound
    /// An empty SEARCH (create a file) on a file that exists and is not empty.
    case fileExists
    /// The SEARCH lines occur nowhere, not even with a uniform indentation offset.
    case notFound(closest: ClosestLines?, replaceAlreadyPresent: Bool)
    /// The SEARCH lines occur more than once (1-based start lines), exactly or, when
    /// `reindented`, each with some uniform indentation offset.
    case ambiguous(lines: [Int], reindented: Bool)
    /// Blocks `blocks` (answer numbers, in order) have the same SEARCH lines, and `needed` of
    /// them were still to apply, but the lines occur a different number of times: at `lines`
    /// (1-based starts; `reindented` when only with an indentation offset). `from` is nil when
    /// the whole file was counted, else the 1-based line below the lines the group's previous
    /// block put in, from which the rest of the group was counted.
    case repeatedSearch(blocks: [Int], needed: Int, lines: [Int], reindented: Bool, from: Int?)
    /// The SEARCH lines match once with `removed` (such as "4 spaces") taken off their
    /// indentation, but a REPLACE line (1-based in the REPLACE part) has less indentation than that.
    case unevenReplacement(matchLine: Int, removed: String, replaceLine: Int)
}

/// The uniform difference in leading whitespace between SEARCH lines and the file's lines.
enum IndentOffset: Equatable {
    /// Only blank lines differed.
    case none
    /// The file has this much more indentation than the SEARCH lines.
    case add(String)
    /// The SEARCH lines have this much more indentation than the file.
    case remove(String)

    /// The offset that turns every non-blank `search` line into its file line, with blank lines
    /// matching blank lines; nil when there is no single such offset.
    static func uniform(search: [String], lines: ArraySlice<String>) -> IndentOffset? {
        var found: IndentOffset?
        for (wanted, actual) in zip(search, lines) {
            if wanted.isBlankLine {
                guard actual.isBlankLine else { return nil }
                continue
            }
            guard actual.droppingIndentation == wanted.droppingIndentation else { return nil }
            let have = actual.leadingIndentation, want = wanted.leadingIndentation
            let offset: IndentOffset
            if have == want {
                offset = .none
            } else if have.hasSuffix(want) {
                offset = .add(String(have.dropLast(want.count)))
            } else if want.hasSuffix(have) {
                offset = .remove(String(want.dropLast(have.count)))
            } else {
                return nil
            }
            if let found, found != offset { return nil }
            found = offset
        }
        return found ?? IndentOffset.none
    }

    /// The REPLACE lines shifted by the same offset; on failure, the index of a line that has
    /// less indentation than is to be removed.
    func apply(to replace: [String]) -> Result<[String], IndexFailure> {
        switch self {
        case .none:
            return .success(replace)
        case .add(let prefix):
            return .success(replace.map { $0.isBlankLine ? $0 : prefix + $0 })
        case .remove(let prefix):
            var shifted: [String] = []
            for (index, line) in replace.enumerated() {
                if line.isBlankLine {
                    shifted.append(line)
                } else if line.hasPrefix(prefix) {
                    shifted.append(String(line.dropFirst(prefix.count)))
                } else {
                    return .failure(IndexFailure(index: index))
                }
            }
            return .success(shifted)
        }
    }

    /// How much whitespace the offset adds or removes, such as "4 spaces".
    var amount: String {
        switch self {
        case .none: "no whitespace"
        case .add(let prefix), .remove(let prefix): Self.describe(prefix)
        }
    }

    /// "4 spaces", "1 tab", "1 tab and 2 spaces".
    static func describe(_ whitespace: String) -> String {
        let tabs = whitespace.filter { $0 == "\t" }.count
        let spaces = whitespace.count - tabs
        var parts: [String] = []
        if tabs > 0 { parts.append(tabs == 1 ? "1 tab" : "\(tabs) tabs") }
        if spaces > 0 { parts.append(spaces == 1 ? "1 space" : "\(spaces) spaces") }
        return parts.joined(separator: " and ")
    }
}

/// A line index that made an operation fail.
struct IndexFailure: Error, Equatable {
    let index: Int
}
