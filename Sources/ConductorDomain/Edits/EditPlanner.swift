/// Decides, from plain values, what one answer's edits do: every file's new content, or every
/// reason to refuse them. This is the whole edit layer except reading and writing files, which
/// ConductorKit's `EditApplier` does around it.
///
/// All or nothing: one problem anywhere refuses the whole answer. Problems are collected, not
/// stopped at, so the model learns about all of them in one round trip.
public enum EditPlanner {
    /// Plans `parsed` against `files` (path → current content, nil or missing when the file
    /// does not exist). `pathViolations` carries what only the file system can tell about a
    /// path (a symbolic link escaping the worktree, a directory where a file is expected);
    /// they take precedence over `policy`'s verdict.
    public static func plan(
        _ parsed: EditParseResult,
        files: [String: String?],
        policy: PathPolicy,
        limits: DiffLimits,
        pathViolations: [String: PathViolation] = [:]
    ) -> EditOutcome {
        var problems = parsed.problems.map { problem in
            EditProblem(.malformedBlock, origin: problem.origin, line: problem.line, path: problem.path, detail: sentence(problem.message))
        }

        // Paths first: a refused path is reported once, and its blocks are not even matched.
        var refused: Set<String> = []
        for (path, blocks) in groupedByPath(parsed.blocks) {
            guard let violation = pathViolations[path] ?? policy.violation(for: path) else { continue }
            refused.insert(path)
            let others = blocks.dropFirst().map { String($0.origin.index) }
            let also = others.isEmpty ? "" : " This applies to block\(others.count == 1 ? "" : "s") \(others.joined(separator: ", ")) as well."
            problems.append(EditProblem(violation.reason, origin: blocks[0].origin, path: path, detail: sentence(violation.explanation) + also))
        }
        let usable = parsed.blocks.filter { !refused.contains($0.path) }
        problems += conflicts(among: usable)

        let matched = EditMatcher.apply(usable, to: files)
        let contents = matched.files
        let blocks = Dictionary(usable.map { ($0.origin, $0) }) { first, _ in first }
        for failure in matched.failures {
            guard let block = blocks[failure.origin] else { continue }
            problems.append(problem(for: failure.failure, of: block, afterEarlierBlocks: failure.afterEarlierBlocks))
        }

        var changes: [FileChange] = []
        for (path, _) in groupedByPath(usable) {
            let before = files[path] ?? nil
            guard let after = contents[path] ?? nil, after != before else { continue }
            changes.append(DiffGuard.change(path: path, before: before, after: after, limits: limits))
        }

        if problems.isEmpty, changes.isEmpty {
            problems.append(noEdits(parsed))
        }
        problems += DiffGuard.check(changes, limits: limits)
        guard problems.isEmpty else {
            return .rejected(EditFeedback(problems: problems, blockCount: parsed.blockCount))
        }
        return .accepted(EditPlan(changes: changes, tolerated: matched.tolerated.filter { tolerated in
            changes.contains { $0.path == tolerated.path }
        }))
    }

    /// Blocks by path, paths in the order the answer first names them.
    public static func groupedByPath(_ blocks: [EditBlock]) -> [(path: String, blocks: [EditBlock])] {
        var order: [String] = []
        var byPath: [String: [EditBlock]] = [:]
        for block in blocks {
            if byPath[block.path] == nil { order.append(block.path) }
            byPath[block.path, default: []].append(block)
        }
        return order.map { ($0, byPath[$0] ?? []) }
    }

    /// A path that is also a directory of another path in the answer: one of the two writes
    /// would have to fail.
    static func conflicts(among blocks: [EditBlock]) -> [EditProblem] {
        let groups = groupedByPath(blocks)
        var problems: [EditProblem] = []
        for (path, pathBlocks) in groups {
            guard let directory = groups.first(where: { path.hasPrefix($0.path + "/") }) else { continue }
            problems.append(EditProblem(.pathConflict, origin: pathBlocks[0].origin, path: path, detail: """
            \(directory.path) is written as a file by block \(directory.blocks[0].origin.index), so it cannot also be \
            the directory of \(path). Keep one of the two.
            """))
        }
        return problems
    }

    static func problem(for failure: MatchFailure, of block: EditBlock, afterEarlierBlocks: Bool) -> EditProblem {
        let path = block.path
        let origin = block.origin
        switch failure {
        case .fileNotFound:
            return EditProblem(.fileNotFound, origin: origin, path: path, detail: """
            \(path) does not exist. To create it, leave the SEARCH part empty or send the whole file; \
            to edit an existing file, check the path.
            """)
        case .fileExists:
            return EditProblem(.fileExists, origin: origin, path: path, detail: """
            \(path) already exists, and an empty SEARCH part only creates new files. Put the lines next to \
            the change in the SEARCH part, or send the whole file.
            """)
        case let .notFound(closest, replaceAlreadyPresent):
            let isHunk = if case .hunk = block { true } else { false }
            var detail = isHunk ? "The lines this hunk keeps and removes (its ' ' and '-' lines) are not in \(path)" : "The SEARCH lines are not in \(path)"
            detail += afterEarlierBlocks ? " as the earlier blocks for it left it" : ""
            detail += ", not even with whitespace at line ends ignored or their indentation shifted uniformly."
            detail += isHunk
                ? " A hunk's ' ' and '-' lines must copy the file's lines exactly, whitespace and comments included."
                : " The SEARCH part must copy the file's lines exactly, whitespace and comments included."
            if replaceAlreadyPresent {
                detail += isHunk
                    ? " The hunk's resulting lines are already in \(path): if this change was made before, leave the hunk out."
                    : " The REPLACE lines are already in \(path): if this change was made before, leave the block out."
            }
            if closest == nil {
                detail += " No lines in \(path) resemble them; check that the block is meant for this file."
            }
            return EditProblem(.searchNotFound, origin: origin, path: path, detail: detail, closestLines: closest)
        case let .ambiguous(lines, reindented):
            let places = DiffGuard.list(lines.map(String.init))
            let how = reindented ? ", each time with different indentation than yours," : ""
            return EditProblem(.searchAmbiguous, origin: origin, path: path, detail: """
            The SEARCH lines occur \(lines.count) times in \(path)\(how) starting at lines \(places). \
            Add lines before or after them so that they match one place only.
            """)
        case let .repeatedSearch(blocks, needed, lines, reindented, from):
            return EditProblem(.searchCountMismatch, origin: origin, path: path, detail: repeatedSearch(
                path: path, blocks: blocks, needed: needed, lines: lines, reindented: reindented, from: from
            ))
        case let .hunkWithoutContext(line, fileLines):
            let at = line.map { "at line \($0)" } ?? "with no line number"
            return EditProblem(.searchNotFound, origin: origin, path: path, detail: """
            The hunk only adds lines, \(at), but \(path) has \(fileLines) lines. Give the hunk a few unchanged \
            lines (starting with a space) around the added ones, so that it can be placed by them.
            """)
        case let .unevenReplacement(matchLine, removed, replaceLine):
            return EditProblem(.indentationMismatch, origin: origin, path: path, detail: """
            The SEARCH lines match \(path) at line \(matchLine) once \(removed) of indentation are removed from \
            each of them, but REPLACE line \(replaceLine) is indented by less than that, so the replacement \
            cannot be shifted the same way. Copy the file's lines with their exact indentation.
            """)
        }
    }

    /// Why blocks with the same SEARCH lines could not be given one occurrence each.
    static func repeatedSearch(path: String, blocks: [Int], needed: Int, lines: [Int], reindented: Bool, from: Int?) -> String {
        let times = lines.count == 1 ? "once" : "\(lines.count) times"
        let how = reindented ? " (each time with different indentation than yours)" : ""
        let places = lines.isEmpty ? "" : lines.count == 1 ? " at line \(lines[0])" : " starting at lines \(DiffGuard.list(lines.map(String.init)))"
        var detail = "Blocks \(DiffGuard.list(blocks.map(String.init))) have the same SEARCH lines. "
        if let from {
            let remaining = needed == 1 ? "the 1 block" : "the \(needed) blocks"
            detail += "From line \(from) of \(path), below what the earlier of them put in, they occur \(lines.isEmpty ? "nowhere" : times)\(how)\(places), "
            detail += "but \(remaining) still to apply need\(needed == 1 ? "s" : "") exactly \(needed == 1 ? "one" : String(needed)). "
        } else {
            detail += "They occur \(times) in \(path)\(how)\(places), but there are \(needed) such blocks. "
        }
        return detail + """
        Blocks with the same SEARCH lines apply to their occurrences in order, top to bottom, only when there are \
        exactly as many occurrences as blocks. Add lines before or after the SEARCH lines so that each block matches one place only.
        """
    }

    static func noEdits(_ parsed: EditParseResult) -> EditProblem {
        guard !parsed.blocks.isEmpty else {
            let fences = parsed.unlabeledFences
            let why = fences.isEmpty
                ? "The answer has no edit blocks."
                : "The answer has fenced blocks (at line\(fences.count == 1 ? "" : "s") \(DiffGuard.list(fences.map(String.init)))), but none names a file (on the line above it, in its info string or on its first line), so none is an edit."
            return EditProblem(.noEdits, detail: why + " Send the edits that carry out the task, written like this:\n" + EditFeedback.formatExample)
        }
        return EditProblem(.noEdits, detail: """
        Every block leaves its file exactly as it is. Send the edits that carry out the task.
        """)
    }

    /// A message that ends with a full stop. Never capitalised here: a message may start with
    /// a path, and paths are case-sensitive.
    static func sentence(_ text: String) -> String {
        text.isEmpty || text.hasSuffix(".") ? text : text + "."
    }
}
