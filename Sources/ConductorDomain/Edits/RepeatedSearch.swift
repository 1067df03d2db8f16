/// Blocks of one answer that edit the same file with the same SEARCH text
/// (docs/edit-format.md, "Repeated SEARCH lines").
///
/// One block whose SEARCH lines occur twice is ambiguous. But k blocks with the same SEARCH
/// lines, in a file where those lines occur exactly k times, can mean one thing only: the
/// i-th block is for the i-th occurrence, top to bottom. That is what a model writes when it
/// changes the same line at three places, and refusing it only costs a round trip in which the
/// model pads each block with context it did not need.
///
/// The group is applied block by block, in answer order like every other block: each one
/// takes the first occurrence below the lines its group's previous block put in (those are
/// never matched again, even when the REPLACE text repeats the SEARCH text), and there must be
/// exactly as many occurrences there as blocks of the group still to apply. Blocks in between
/// may edit the same file; where the group goes on moves with their edits.
struct RepeatedSearch {
    /// Blocks for `path` whose SEARCH text is `search`.
    struct Group: Hashable {
        let path: String
        let search: String
    }

    private struct Progress {
        /// How many of the group's blocks have applied.
        var applied = 0
        /// The first line (0-based, in the file as it is now) below the lines the group's
        /// last applied block put in: where the rest of the group counts from.
        var from = 0
        /// A block of the group failed in a way that makes the rest meaningless.
        var failed = false
    }

    /// The groups of more than one block, each with its blocks in answer order.
    private let members: [Group: [BlockOrigin]]
    private var progress: [Group: Progress] = [:]

    init(_ blocks: [EditBlock]) {
        var members: [Group: [BlockOrigin]] = [:]
        for case let .searchReplace(path, search, _, origin) in blocks where !search.isEmpty {
            members[Group(path: path, search: search), default: []].append(origin)
        }
        self.members = members.filter { $0.value.count > 1 }
    }

    /// The group `block` belongs to; nil for a block whose SEARCH text no other block repeats.
    func group(of block: EditBlock) -> Group? {
        guard case let .searchReplace(path, search, _, _) = block else { return nil }
        let group = Group(path: path, search: search)
        return members[group] == nil ? nil : group
    }

    /// Whether an earlier block of `group` failed, so that the rest is not tried.
    func hasFailed(_ group: Group) -> Bool {
        progress[group]?.failed ?? false
    }

    /// Applies `block`, the next block of `group`, to the file's current `content`.
    mutating func apply(_ block: EditBlock, of group: Group, to content: String?) -> Result<Spliced, MatchFailure> {
        guard case let .searchReplace(_, search, replace, _) = block, let content else {
            return EditMatcher.splice(block, into: content)
        }
        var state = progress[group] ?? Progress()
        let result = apply(search: search, replace: replace, to: TextLines(content), group: group, state: state)
        switch result {
        case .success(let spliced):
            state.applied += 1
            state.from = spliced.splice.start + spliced.splice.added
        case .failure(.repeatedSearch), .failure(.unevenReplacement):
            // Later blocks of the group would be counted against the wrong occurrences.
            state.failed = true
        case .failure:
            // Not found at all: every block of the group says so, as each would on its own.
            break
        }
        progress[group] = state
        return result
    }

    private func apply(search: String, replace: String, to file: TextLines, group: Group, state: Progress) -> Result<Spliced, MatchFailure> {
        let searchLines = TextLines.blockLines(search)
        let replaceLines = TextLines.blockLines(replace)
        let blocks = members[group] ?? []
        let needed = blocks.count - state.applied
        let mismatch = { (starts: [Int], reindented: Bool) -> MatchFailure in
            .repeatedSearch(
                blocks: blocks.map(\.index), needed: needed, lines: starts.map { $0 + 1 }, reindented: reindented,
                from: state.applied == 0 ? nil : state.from + 1
            )
        }

        // Each tolerance in turn (EditMatcher), the first that finds any occurrence decides.
        for tier in MatchTier.allCases {
            let found = EditMatcher.matches(of: searchLines, in: file.lines, tier: tier).filter { $0.start >= state.from }
            let starts = EditMatcher.nonOverlapping(found.map(\.start), length: searchLines.count)
            guard !starts.isEmpty else { continue }
            guard starts.count == needed, let first = found.first(where: { $0.start == starts[0] }) else {
                return .failure(mismatch(starts, tier == .indentation))
            }
            return EditMatcher.replacing(searchLines.count, at: first, tier: tier, of: file, with: replaceLines)
        }
        if state.applied == 0 {
            return .failure(EditMatcher.notFound(searchLines, replaceLines, in: file))
        }
        return .failure(mismatch([], false))
    }

    /// Another block changed `path` by `splice`: the groups on that file that have begun go on
    /// from the same text as before, wherever it now is. A change that reaches past where a
    /// group goes on moves it below the new lines.
    mutating func shift(_ path: String, by splice: LineSplice, except changed: Group?) {
        for (group, state) in progress where group.path == path && group != changed && state.applied > 0 {
            var moved = state
            if splice.start + splice.removed <= state.from {
                moved.from += splice.added - splice.removed
            } else if splice.start < state.from {
                moved.from = splice.start + splice.added
            }
            progress[group] = moved
        }
    }
}
