/// One path a command-line agent changed in the worktree during its turn (agentic mode).
public struct AgenticChange: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        case added, modified, deleted
    }

    /// Relative to the worktree, with `/`; a directory changed as a whole (a nested repository)
    /// ends with `/`. Writes into git's own directory are named `.git/…`.
    public let path: String
    public let kind: Kind
    /// Lines added and removed, counted as for parsed edits; zero for binary files, which the
    /// size guard counts as files only (as `git diff --numstat` shows `-`).
    public let lines: LineChangeCount
    /// What only the file system can tell about the path: a symbolic link that leads out, a
    /// nested repository, a write inside `.git`. It takes precedence over the path policy.
    public let violation: PathViolation?

    public init(path: String, kind: Kind, lines: LineChangeCount = LineChangeCount(added: 0, removed: 0), violation: PathViolation? = nil) {
        self.path = path
        self.kind = kind
        self.lines = lines
        self.violation = violation
    }
}

/// What an agent's turn came to after the guards: the changes kept, the changes undone, and
/// every problem, with the feedback for the agent's next turn.
public struct AgenticChangeReport: Sendable, Equatable {
    /// Changes that passed every guard and stay in the worktree, in path order.
    public let kept: [AgenticChange]
    /// Changes that were (or are to be) undone, in path order.
    public let reverted: [AgenticChange]
    /// Every problem: per path first, in path order, then those of the whole turn.
    public let problems: [EditProblem]

    public init(kept: [AgenticChange], reverted: [AgenticChange], problems: [EditProblem]) {
        self.kept = kept
        self.reverted = reverted
        self.problems = problems
    }

    /// Whether the turn broke no rule.
    public var isClean: Bool { problems.isEmpty }

    /// The reasons, in the order of ``problems``.
    public var reasons: [EditProblem.Reason] { problems.map(\.reason) }

    /// What to tell the agent about its turn, in the style of ``EditFeedback``; nil for a
    /// clean turn.
    public var feedback: String? {
        guard !problems.isEmpty else { return nil }
        let count = problems.count == 1 ? "1 problem" : "\(problems.count) problems"
        var parts: [String] = []
        if reverted.isEmpty {
            parts.append("# Your turn needs attention (\(count))\nYour changes were kept, but note the following.")
        } else if kept.isEmpty {
            parts.append("""
            # Your changes were undone (\(count))
            You edited the worktree yourself, and your changes break its rules, so none of them was kept: \
            the worktree is as it was before your turn. Make your change again without these problems.
            """)
        } else {
            let files = kept.count == 1 ? "1 file" : "\(kept.count) files"
            parts.append("""
            # Some of your changes were undone (\(count))
            You edited the worktree yourself. The changes below break its rules, so they were undone: those \
            paths are as they were before your turn. Your other changes (\(files)) were kept. Do not make the \
            undone changes again; if the task needs them, say so in your answer.
            """)
        }
        for problem in problems {
            let place = problem.path ?? "All of your changes"
            parts.append("## \(place): \(problem.reason.rawValue)\n\(problem.detail)")
        }
        return parts.joined(separator: "\n\n") + "\n"
    }
}

/// Decides, from plain values, which of an agent's changes to keep: the same rules as for
/// parsed edits (DESIGN.md §5). A path outside the sandbox, inside `.git`, protected, or
/// behind a symbolic link that leads out is undone on its own; a turn over the size limits
/// is undone as a whole, because half of an oversized change is rarely a working one.
/// ConductorKit's `AgenticChangeGuard` finds the changes and carries out the verdict.
public enum AgenticReview {
    /// Reviews `changes`. `notes` are problems of the whole turn that undo nothing (HEAD moved,
    /// say); they are reported after the others.
    public static func review(_ changes: [AgenticChange], policy: PathPolicy, limits: DiffLimits, notes: [EditProblem] = []) -> AgenticChangeReport {
        let sorted = changes.sorted { $0.path < $1.path }
        var reverted: [String: AgenticChange] = [:]
        var problems: [EditProblem] = []
        for change in sorted {
            let path = change.path.hasSuffix("/") ? String(change.path.dropLast()) : change.path
            guard let violation = change.violation ?? policy.violation(for: path) else { continue }
            reverted[change.path] = change
            problems.append(EditProblem(violation.reason, path: change.path, detail: EditPlanner.sentence(violation.explanation) + " " + undone(change)))
        }
        // A path cannot be put back while a kept change occupies its directory, or lives
        // inside it: such neighbours are undone with it.
        var grew = true
        while grew {
            grew = false
            for change in sorted where reverted[change.path] == nil {
                guard let other = reverted.values.first(where: { related(change.path, $0.path) }) else { continue }
                reverted[change.path] = change
                problems.append(EditProblem(.pathConflict, path: change.path, detail: """
                \(change.path) is in the way of \(other.path), which had to be undone. \(undone(change))
                """))
                grew = true
            }
        }

        problems = problems.enumerated().sorted { ($0.element.path ?? "", $0.offset) < ($1.element.path ?? "", $1.offset) }.map(\.element)

        var kept = sorted.filter { reverted[$0.path] == nil }
        let oversize = sizeProblems(kept, limits: limits)
        if !oversize.isEmpty {
            for change in kept { reverted[change.path] = change }
            kept = []
            problems += oversize
        }
        return AgenticChangeReport(kept: kept, reverted: sorted.filter { reverted[$0.path] != nil }, problems: problems + notes)
    }

    /// Whether one path is the other's directory (`a` and `a/b`).
    static func related(_ first: String, _ second: String) -> Bool {
        let a = first.hasSuffix("/") ? first : first + "/"
        let b = second.hasSuffix("/") ? second : second + "/"
        return a != b && (a.hasPrefix(b) || b.hasPrefix(a))
    }

    /// What undoing `change` did, for the model.
    static func undone(_ change: AgenticChange) -> String {
        switch change.kind {
        case .added: "It was removed."
        case .modified: "It was put back as it was."
        case .deleted: "It was restored."
        }
    }

    /// The size guard, worded for a turn rather than an answer.
    static func sizeProblems(_ changes: [AgenticChange], limits: DiffLimits) -> [EditProblem] {
        var problems: [EditProblem] = []
        if let maxFiles = limits.maxFiles, changes.count > maxFiles {
            problems.append(EditProblem(.tooManyFiles, detail: """
            You changed \(changes.count) files; at most \(maxFiles) may change in one turn: \
            \(DiffGuard.list(changes.map(\.path))). All of your changes were undone. Make a smaller change now and \
            the rest in a later step.
            """))
        }
        let total = changes.reduce(0) { $0 + $1.lines.total }
        let cut = changes.contains { $0.lines.exceedsLimit }
        if let maxLines = limits.maxChangedLines, total > maxLines || cut {
            let sizes = changes.sorted { $0.lines.total > $1.lines.total }.map { change in
                "\(change.path) \(change.lines.exceedsLimit ? "over \(maxLines)" : String(change.lines.total))"
            }
            problems.append(EditProblem(.tooManyChangedLines, detail: """
            You added and removed \(cut ? "more than \(maxLines)" : String(total)) lines; at most \(maxLines) may \
            change in one turn (largest first: \(DiffGuard.list(sizes))). All of your changes were undone. Make a \
            smaller change now and the rest in a later step.
            """))
        }
        return problems
    }
}
