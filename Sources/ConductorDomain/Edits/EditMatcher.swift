/// Applies edit blocks to file contents held in memory (docs/edit-format.md, "Matching").
///
/// A SEARCH text must occur exactly once, as whole lines. The tolerances are tried in order,
/// each only when the one before found nothing (``MatchTier``): exact; then ignoring
/// whitespace at the ends of lines (trailing spaces, tabs, a carriage return); then, on top of
/// that, a uniform indentation offset: the same run of spaces and tabs added to, or removed
/// from, the start of every non-blank SEARCH line (blank lines then match blank lines), with
/// the same offset applied to the REPLACE lines. Models often get whitespace wrong in exactly
/// these ways and rarely in any other way that is safe to forgive. Nothing looser is tried: a
/// near miss is a failure that quotes the closest real lines, so the model can correct itself
/// rather than have a guess applied to the wrong place. Which tolerance a block needed is
/// recorded (``ToleratedMatch``), so the engine can tell the model.
///
/// A unified-diff hunk is matched the same way; when its lines occur more than once, the
/// line its header states picks the nearest (``hunkWindow``), as `patch` does.
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
        case .hunk(_, let search, let replace, let line, _):
            return applyHunk(search: search, replace: replace, line: line, to: content).map(\.text)
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
        var tolerated: [ToleratedMatch] = []
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
                if spliced.tolerance != .exact {
                    tolerated.append(ToleratedMatch(origin: block.origin, path: block.path, tolerance: spliced.tolerance))
                }
                repeated.shift(block.path, by: spliced.splice, except: group)
            case .failure(let failure):
                failures.append(BlockFailure(origin: block.origin, path: block.path, failure: failure, afterEarlierBlocks: edited.contains(block.path)))
            }
        }
        return MatchOutcome(files: contents, failures: failures, tolerated: tolerated)
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
        case .hunk(_, let search, let replace, let line, _):
            return applyHunk(search: search, replace: replace, line: line, to: content)
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

        for tier in MatchTier.allCases {
            let found = matches(of: searchLines, in: file.lines, tier: tier)
            if found.count > 1 { return .failure(.ambiguous(lines: found.map { $0.start + 1 }, reindented: tier == .indentation)) }
            if let match = found.first {
                return replacing(searchLines.count, at: match, tier: tier, of: file, with: replaceLines)
            }
        }
        return .failure(notFound(searchLines, replaceLines, in: file))
    }

    /// How far from the line a hunk's header states another occurrence of its lines may be
    /// and still be taken, when the lines occur more than once.
    static let hunkWindow = 25

    /// A unified-diff hunk: its lines found as a SEARCH text is; when they occur more than once
    /// at the first tolerance that finds them, the occurrence nearest to `line` (the header's),
    /// if it is the only one that near. Lines that occur once are taken wherever they are.
    static func applyHunk(search: String, replace: String, line: Int?, to content: String?) -> Result<Spliced, MatchFailure> {
        let replaceLines = TextLines.blockLines(replace)
        guard let content else {
            return search.isEmpty ? .success(Spliced(created: replace)) : .failure(.fileNotFound)
        }
        let file = TextLines(content)
        let searchLines = TextLines.blockLines(search)
        guard !searchLines.isEmpty else {
            // Only added lines, no context: the header's line number is all there is.
            if content.isEmpty { return .success(Spliced(created: replace)) }
            guard let line, line >= 1, line <= file.lines.count + 1 else {
                return .failure(.hunkWithoutContext(line: line, fileLines: file.lines.count))
            }
            return .success(replacing(0, linesAt: line - 1, of: file, with: replaceLines))
        }
        for tier in MatchTier.allCases {
            let found = matches(of: searchLines, in: file.lines, tier: tier)
            guard !found.isEmpty else { continue }
            guard let match = nearest(found, to: line) else {
                return .failure(.ambiguous(lines: found.map { $0.start + 1 }, reindented: tier == .indentation))
            }
            return replacing(searchLines.count, at: match, tier: tier, of: file, with: replaceLines)
        }
        return .failure(notFound(searchLines, replaceLines, in: file))
    }

    /// The only match, or the one nearest to the 1-based `line` when it is the only one that
    /// near and within ``hunkWindow`` lines of it.
    static func nearest(_ found: [(start: Int, offset: IndentOffset)], to line: Int?) -> (start: Int, offset: IndentOffset)? {
        if found.count == 1 { return found[0] }
        guard let line else { return nil }
        let distances = found.map { abs($0.start - (line - 1)) }
        guard let best = distances.min(), best <= hunkWindow, distances.filter({ $0 == best }).count == 1,
              let index = distances.firstIndex(of: best)
        else { return nil }
        return found[index]
    }

    /// Start positions where `search` matches `lines` at `tier`, with the indentation offset.
    static func matches(of search: [String], in lines: [String], tier: MatchTier) -> [(start: Int, offset: IndentOffset)] {
        switch tier {
        case .exact:
            return exactMatches(of: search, in: lines).map { ($0, IndentOffset.none) }
        case .trailingWhitespace:
            return exactMatches(of: search.map { String($0.trimmingTrailingBlanks) }, in: lines.map { String($0.trimmingTrailingBlanks) })
                .map { ($0, IndentOffset.none) }
        case .indentation:
            return offsetMatches(of: search, in: lines)
        }
    }

    /// The file with the lines of `match` replaced, recording the tolerance that found them.
    static func replacing(
        _ count: Int, at match: (start: Int, offset: IndentOffset), tier: MatchTier, of file: TextLines, with replace: [String]
    ) -> Result<Spliced, MatchFailure> {
        replacing(count, at: match, of: file, with: replace).map { spliced in
            var spliced = spliced
            spliced.tolerance = MatchTolerance(tier: tier, offset: match.offset)
            return spliced
        }
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
        let anchorText = anchor.map { search[$0].droppingIndentation.trimmingTrailingBlanks }
        var found: [(start: Int, offset: IndentOffset)] = []
        for start in 0...(lines.count - search.count) {
            if let anchor, let anchorText, lines[start + anchor].droppingIndentation.trimmingTrailingBlanks != anchorText { continue }
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
    /// The blocks that matched only with a tolerance, in answer order.
    public var tolerated: [ToleratedMatch] = []
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
    /// How the lines were found; exact for created files and whole-file blocks.
    var tolerance = MatchTolerance.exact

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
    /// A diff hunk that only adds lines, to an existing file, at a `line` (1-based; nil when
    /// the header had none) outside the file's `fileLines` lines.
    case hunkWithoutContext(line: Int?, fileLines: Int)
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
            if wanted.trimmingTrailingBlanks.isEmpty {
                guard actual.trimmingTrailingBlanks.isEmpty else { return nil }
                continue
            }
            guard actual.droppingIndentation.trimmingTrailingBlanks == wanted.droppingIndentation.trimmingTrailingBlanks else { return nil }
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
