/// Reads unified diffs in a model's answer (docs/edit-format.md, "Unified diffs"): fenced as
/// ```` ```diff ```` or ```` ```patch ````, or bare; `--- a/x` / `+++ b/x` headers or bare
/// paths, `diff --git` headers, one or several hunks, several files, new files from
/// `/dev/null`.
///
/// Each hunk becomes an ``EditBlock/hunk(path:search:replace:line:origin:)``: the line counts
/// in `@@` headers are ignored, because models get them wrong more often than the lines
/// themselves, and the hunk's lines are found by their content (EditMatcher).
enum UnifiedDiff {
    /// True when a bare diff starts at `index`: a `diff --git` line, or a `--- ` line directly
    /// followed by a `+++ ` line.
    static func starts(at index: Int, in lines: [String]) -> Bool {
        let line = lines[index]
        if line.hasPrefix("diff --git ") { return true }
        return line.hasPrefix("--- ") && index + 1 < lines.count && lines[index + 1].hasPrefix("+++ ")
    }

    /// True for a fence that holds a diff: tagged `diff`/`patch`, or whose first line is a diff
    /// header, and with no SEARCH/REPLACE marker in it.
    static func isDiffFence(info: String, body: [String]) -> Bool {
        guard !body.contains(where: { Marker(indented: $0) == .search }) else { return false }
        let tag = info.split(separator: " ").first.map { $0.lowercased() } ?? ""
        if ["diff", "patch", "udiff"].contains(tag) { return body.contains { $0.hasPrefix("@@") } }
        guard let first = body.firstIndex(where: { !$0.isBlankLine }) else { return false }
        return starts(at: first, in: body) && body.contains { $0.hasPrefix("@@") }
    }

    /// The line after a bare diff that starts at `start`: it runs over header, hunk and blank
    /// lines, and ends at a fence or any other text. Blank lines at its end are not part of it.
    static func bareEnd(from start: Int, in lines: [String]) -> Int {
        var end = start + 1
        var index = start
        while index < lines.count {
            let line = lines[index]
            if Fence(opening: line) != nil { break }
            if line.isEmpty || line.isBlankLine {
                index += 1
                continue
            }
            guard isDiffLine(line) else { break }
            // After a gap, a Markdown bullet ("- Fixed the bug.") is prose again.
            if index > end, looksLikeBullet(line) { break }
            index += 1
            end = index
        }
        return end
    }

    static let headerPrefixes = [
        "diff --git ", "index ", "--- ", "+++ ", "@@", "new file mode", "deleted file mode", "old mode", "new mode",
        "similarity index", "dissimilarity index", "rename from", "rename to", "copy from", "copy to", "Binary files",
    ]

    static func looksLikeBullet(_ line: String) -> Bool {
        guard line.hasPrefix("- ") || line.hasPrefix("+ ") else { return false }
        let rest = line.dropFirst(2)
        return rest.first.map { $0.isUppercase || $0 == "*" || $0 == "`" } ?? false
    }

    static func isDiffLine(_ line: String) -> Bool {
        if let first = line.first, first == " " || first == "+" || first == "-" || first == "\\" { return true }
        return headerPrefixes.contains { line.hasPrefix($0) }
    }

    /// The path a `---`/`+++` header names: up to a tab (timestamps follow one), nil for
    /// `/dev/null`.
    static func headerPath(_ line: String) -> String? {
        var text = Substring(line.dropFirst(4))
        if let tab = text.firstIndex(of: "\t") { text = text[..<tab] }
        let path = String(text.trimmingBlanks)
        return path == "/dev/null" ? nil : path
    }

    /// The old and new start lines of a `@@ -l,c +m,c @@` header, nil where it has none (models
    /// also write `@@ ... @@`).
    static func hunkStarts(_ line: String) -> (old: Int?, oldCount: Int?) {
        let words = line.split(separator: " ")
        guard let old = words.first(where: { $0.hasPrefix("-") }) else { return (nil, nil) }
        let parts = old.dropFirst().split(separator: ",", omittingEmptySubsequences: false)
        return (parts.first.flatMap { Int($0) }, parts.count > 1 ? Int(parts[1]) : 1)
    }
}

extension AnswerScanner {
    /// Reads the diff in `body`: every hunk becomes a block. `fallbackPath` (from a path line
    /// or the fence's info string) names the file of hunks that come before any header.
    mutating func diff(body: Range<Int>, fallbackPath: String?, fallbackLine: Int) {
        var path = fallbackPath
        var newFile = false
        var deleted = false
        var firstHunkOfFile = true
        // Lines added minus lines removed by the earlier hunks of the current file: where the
        // next hunk's old line numbers are in the file as those hunks left it.
        var delta = 0
        var gitPaths: (old: String, new: String)?
        var index = body.lowerBound
        while index < body.upperBound {
            let line = lines[index]
            if line.hasPrefix("diff --git ") {
                let words = line.dropFirst("diff --git ".count).split(separator: " ")
                gitPaths = words.count == 2 ? (String(words[0]), String(words[1])) : nil
                path = gitPaths.map { Self.strippingPrefix($0.new, "b/", other: $0.old, "a/") }
                (newFile, deleted, firstHunkOfFile, delta) = (false, false, true, 0)
                index += 1
                continue
            }
            if line.hasPrefix("--- "), index + 1 < body.upperBound, lines[index + 1].hasPrefix("+++ ") {
                let old = UnifiedDiff.headerPath(line)
                let new = UnifiedDiff.headerPath(lines[index + 1])
                newFile = old == nil
                deleted = new == nil
                switch (old, new) {
                case let (old?, new?): path = Self.strippingPrefix(new, "b/", other: old, "a/")
                case let (nil, new?): path = gitPaths != nil || new.hasPrefix("b/") ? String(new.dropFirst(new.hasPrefix("b/") ? 2 : 0)) : new
                case let (old?, nil): path = old.hasPrefix("a/") ? String(old.dropFirst(2)) : old
                case (nil, nil): path = nil
                }
                (firstHunkOfFile, delta) = (true, 0)
                index += 2
                continue
            }
            guard line.hasPrefix("@@") else {
                index += 1
                continue
            }
            var end = index + 1
            while end < body.upperBound, !lines[end].hasPrefix("@@"), !lines[end].hasPrefix("diff --git "),
                  !(lines[end].hasPrefix("--- ") && end + 1 < body.upperBound && lines[end + 1].hasPrefix("+++ ")) {
                end += 1
            }
            hunk(header: index, body: (index + 1)..<end, path: path, newFile: newFile && firstHunkOfFile, deleted: deleted, delta: &delta)
            firstHunkOfFile = false
            index = end
        }
    }

    /// One hunk, from its `@@` line at `header` to the line before `body.upperBound`.
    private mutating func hunk(header: Int, body: Range<Int>, path: String?, newFile: Bool, deleted: Bool, delta: inout Int) {
        let origin = nextOrigin(line: header)
        var search: [String] = []
        var replace: [String] = []
        var last = body.upperBound
        // Blank lines at the end are the gap before the next text, not context.
        while last > body.lowerBound, lines[last - 1].isEmpty { last -= 1 }
        for index in body.lowerBound..<last {
            let line = lines[index]
            switch line.first {
            case " ": search.append(String(line.dropFirst())); replace.append(String(line.dropFirst()))
            case "-": search.append(String(line.dropFirst()))
            case "+": replace.append(String(line.dropFirst()))
            case "\\": continue
            case nil: search.append(""); replace.append("")
            default:
                problem(origin, line: index, path, "Line \(index + 1) of the hunk starting on line \(header + 1) begins with neither ' ', '-' nor '+'. Every line of a hunk starts with one of them (' ' for a line kept as it is).")
                return
            }
        }
        guard let path else {
            problem(origin, line: header, nil, "The diff hunk on line \(header + 1) has no file path. Start the diff with the lines --- a/path and +++ b/path.")
            return
        }
        guard !deleted else {
            problem(origin, line: header, path, "The diff deletes \(path) (+++ /dev/null), and edits cannot delete files. Leave the file, or empty it with a hunk that removes its lines.")
            return
        }
        guard !search.isEmpty || !replace.isEmpty else {
            problem(origin, line: header, path, "The diff hunk on line \(header + 1) has no lines. Put the lines it keeps, removes (-) and adds (+) below its @@ line.")
            return
        }
        let text = (search: TextLines.blockText(search), replace: TextLines.blockText(replace))
        if newFile {
            blocks.append(.searchReplace(path: path, search: "", replace: text.replace, origin: origin))
        } else {
            let (old, oldCount) = UnifiedDiff.hunkStarts(lines[header])
            // `-l,0` (nothing removed or kept) means "after line l", so the lines start at l + 1.
            let line = old.map { $0 + delta + (oldCount == 0 ? 1 : 0) }
            blocks.append(.hunk(path: path, search: text.search, replace: text.replace, line: line, origin: origin))
        }
        delta += replace.count - search.count
    }

    /// `path` without `prefix` when `other` has `otherPrefix` too (git's `a/`, `b/`): a bare
    /// diff of `b/x.txt` against `b/x.txt` keeps its directory.
    static func strippingPrefix(_ path: String, _ prefix: String, other: String, _ otherPrefix: String) -> String {
        path.hasPrefix(prefix) && other.hasPrefix(otherPrefix) ? String(path.dropFirst(prefix.count)) : path
    }
}
