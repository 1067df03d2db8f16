import ConductorDomain
import Testing

/// One answer's SEARCH/REPLACE blocks for one file, and what applying them must give.
struct RepeatedSearchCase: Sendable, CustomTestStringConvertible {
    enum Expected: Sendable, Equatable {
        /// Every block applied; the file's lines afterwards.
        case applied([String])
        /// These blocks (answer numbers) failed, for these reasons; the others applied.
        case failed([Int: MatchFailure])
    }

    let name: String
    let file: [String]
    /// SEARCH and REPLACE lines of blocks 1, 2, …; a nil SEARCH is a whole-file block.
    let blocks: [(search: [String]?, replace: [String])]
    let expected: Expected

    var testDescription: String { name }

    var editBlocks: [EditBlock] {
        blocks.enumerated().map { offset, block in
            let origin = BlockOrigin(index: offset + 1, line: offset * 10 + 1)
            guard let search = block.search else {
                return .wholeFile(path: "f.swift", content: lines(block.replace), origin: origin)
            }
            return .searchReplace(path: "f.swift", search: lines(search), replace: lines(block.replace), origin: origin)
        }
    }

    func lines(_ lines: [String]) -> String {
        lines.map { $0 + "\n" }.joined()
    }
}

@Suite("Repeated SEARCH lines")
struct RepeatedSearchTests {
    static let cases: [RepeatedSearchCase] = [
        RepeatedSearchCase(
            name: "two blocks, two occurrences: the first block takes the first occurrence",
            file: ["a", "log()", "b", "log()", "c"],
            blocks: [(["log()"], ["log(1)"]), (["log()"], ["log(2)"])],
            expected: .applied(["a", "log(1)", "b", "log(2)", "c"])
        ),
        RepeatedSearchCase(
            name: "three blocks whose REPLACE keeps the SEARCH line: each takes the next occurrence below the last",
            file: ["f()", "x", "f()", "y", "f()"],
            blocks: [(["f()"], ["f()", "g(1)"]), (["f()"], ["f()", "g(2)"]), (["f()"], ["f()", "g(3)"])],
            expected: .applied(["f()", "g(1)", "x", "f()", "g(2)", "y", "f()", "g(3)"])
        ),
        RepeatedSearchCase(
            name: "multi-line SEARCH, answer order is file order, deletions included",
            file: ["if a {", "  go()", "}", "if a {", "  go()", "}"],
            blocks: [(["if a {", "  go()", "}"], []), (["if a {", "  go()", "}"], ["if b {", "  stop()", "}"])],
            expected: .applied(["if b {", "  stop()", "}"])
        ),
        RepeatedSearchCase(
            name: "a single block that matches twice is still ambiguous",
            file: ["log()", "log()"],
            blocks: [(["log()"], ["log(1)"])],
            expected: .failed([1: .ambiguous(lines: [1, 2], reindented: false)])
        ),
        RepeatedSearchCase(
            name: "two blocks, three occurrences: refused, saying how many of each",
            file: ["log()", "a", "log()", "b", "log()"],
            blocks: [(["log()"], ["log(1)"]), (["log()"], ["log(2)"])],
            expected: .failed([1: .repeatedSearch(blocks: [1, 2], needed: 2, lines: [1, 3, 5], reindented: false, from: nil)])
        ),
        RepeatedSearchCase(
            name: "three blocks, two occurrences: refused once, the rest of the group is not tried",
            file: ["log()", "a", "log()"],
            blocks: [(["log()"], ["log(1)"]), (["a"], ["A"]), (["log()"], ["log(2)"]), (["log()"], ["log(3)"])],
            expected: .failed([1: .repeatedSearch(blocks: [1, 3, 4], needed: 3, lines: [1, 3], reindented: false, from: nil)])
        ),
        RepeatedSearchCase(
            name: "occurrences are counted without overlap",
            file: ["a", "a", "a"],
            blocks: [(["a", "a"], ["b"]), (["a", "a"], ["c"])],
            expected: .failed([1: .repeatedSearch(blocks: [1, 2], needed: 2, lines: [1], reindented: false, from: nil)])
        ),
        RepeatedSearchCase(
            name: "two blocks, four overlapping matches, two without overlap",
            file: ["a", "a", "a", "a"],
            blocks: [(["a", "a"], ["b"]), (["a", "a"], ["c"])],
            expected: .applied(["b", "c"])
        ),
        RepeatedSearchCase(
            name: "a block in between that edits lines above where the group goes on moves it along",
            file: ["top", "f()", "mid", "f()"],
            blocks: [(["f()"], ["f()", "g(1)"]), (["top"], ["top 1", "top 2", "top 3"]), (["f()"], ["f()", "g(2)"])],
            expected: .applied(["top 1", "top 2", "top 3", "f()", "g(1)", "mid", "f()", "g(2)"])
        ),
        RepeatedSearchCase(
            name: "a block in between that removes lines above where the group goes on",
            file: ["x", "y", "f()", "f()"],
            blocks: [(["f()"], ["f()", "g(1)"]), (["x", "y"], []), (["f()"], ["f()", "g(2)"])],
            expected: .applied(["f()", "g(1)", "f()", "g(2)"])
        ),
        RepeatedSearchCase(
            name: "a block in between that edits the next occurrence's surroundings",
            file: ["f()", "a", "f()", "b"],
            blocks: [(["f()"], ["f(1)"]), (["a", "f()", "b"], ["A", "f()", "B"]), (["f()"], ["f(2)"])],
            expected: .applied(["f(1)", "A", "f(2)", "B"])
        ),
        RepeatedSearchCase(
            name: "a block in between that adds an occurrence below: the rest no longer fits",
            file: ["f()", "a", "f()", "b"],
            blocks: [(["f()"], ["f(1)"]), (["b"], ["f()"]), (["f()"], ["f(2)"])],
            expected: .failed([3: .repeatedSearch(blocks: [1, 3], needed: 1, lines: [3, 4], reindented: false, from: 2)])
        ),
        RepeatedSearchCase(
            name: "a block in between that removes the next occurrence: nothing left for the rest",
            file: ["f()", "a", "f()"],
            blocks: [(["f()"], ["f(1)"]), (["a", "f()"], ["a"]), (["f()"], ["f(2)"])],
            expected: .failed([3: .repeatedSearch(blocks: [1, 3], needed: 1, lines: [], reindented: false, from: 2)])
        ),
        RepeatedSearchCase(
            name: "a whole-file block before the group: the group counts in the new content",
            file: ["old"],
            blocks: [(nil, ["f()", "f()"]), (["f()"], ["f(1)"]), (["f()"], ["f(2)"])],
            expected: .applied(["f(1)", "f(2)"])
        ),
        RepeatedSearchCase(
            name: "two groups on one file, interleaved",
            file: ["a()", "b()", "a()", "b()"],
            blocks: [(["a()"], ["a(1)"]), (["b()"], ["b(1)"]), (["b()"], ["b(2)"]), (["a()"], ["a(2)"])],
            expected: .applied(["a(1)", "b(1)", "a(2)", "b(2)"])
        ),
        RepeatedSearchCase(
            name: "occurrences that match only with an indentation offset, each shifted by its own",
            file: ["  f()", "    f()"],
            blocks: [(["f()"], ["g(1)"]), (["f()"], ["g(2)"])],
            expected: .applied(["  g(1)", "    g(2)"])
        ),
        RepeatedSearchCase(
            name: "exact occurrences are counted first, as for a single block",
            file: ["f()", "  f()"],
            blocks: [(["f()"], ["g(1)"]), (["f()"], ["g(2)"])],
            expected: .failed([1: .repeatedSearch(blocks: [1, 2], needed: 2, lines: [1], reindented: false, from: nil)])
        ),
        RepeatedSearchCase(
            name: "SEARCH lines found nowhere: every block of the group says so",
            file: ["a"],
            blocks: [(["f()"], ["g(1)"]), (["f()"], ["g(2)"])],
            expected: .failed([
                1: .notFound(closest: nil, replaceAlreadyPresent: false), 2: .notFound(closest: nil, replaceAlreadyPresent: false),
            ])
        ),
        RepeatedSearchCase(
            name: "the same SEARCH twice for one place is refused, where it used to apply twice in a row",
            file: ["f()"],
            blocks: [(["f()"], ["f()", "g()"]), (["f()"], ["f()", "h()"])],
            expected: .failed([1: .repeatedSearch(blocks: [1, 2], needed: 2, lines: [1], reindented: false, from: nil)])
        ),
    ]

    @Test("blocks with the same SEARCH lines take its occurrences in order, or are refused", arguments: cases)
    func repeated(_ example: RepeatedSearchCase) {
        let outcome = EditMatcher.apply(example.editBlocks, to: ["f.swift": example.lines(example.file)])
        switch example.expected {
        case .applied(let lines):
            #expect(outcome.failures.isEmpty, "\(outcome.failures)")
            #expect(outcome.files["f.swift"] == .some(example.lines(lines)))
        case .failed(let failures):
            let found = Dictionary(uniqueKeysWithValues: outcome.failures.map { ($0.origin.index, $0.failure) })
            #expect(found == failures)
        }
    }

    @Test("the same SEARCH text in two files makes no group")
    func separateFiles() {
        let blocks: [EditBlock] = [
            .searchReplace(path: "a.swift", search: "f()\n", replace: "g()\n", origin: BlockOrigin(index: 1, line: 1)),
            .searchReplace(path: "b.swift", search: "f()\n", replace: "h()\n", origin: BlockOrigin(index: 2, line: 9)),
        ]
        let outcome = EditMatcher.apply(blocks, to: ["a.swift": "f()\n", "b.swift": "x\nf()\n"])
        #expect(outcome.failures.isEmpty)
        #expect(outcome.files == ["a.swift": "g()\n", "b.swift": "x\nh()\n"])
    }

    @Test("a refused group refuses the whole answer and the feedback counts blocks and occurrences")
    func plannerFeedback() throws {
        let outcome = plan(answer([
            "src/a.swift", "```",
            "<<<<<<< SEARCH", "log()", "=======", "log(1)", ">>>>>>> REPLACE", "",
            "<<<<<<< SEARCH", "log()", "=======", "log(2)", ">>>>>>> REPLACE", "",
            "<<<<<<< SEARCH", "log()", "=======", "log(3)", ">>>>>>> REPLACE",
            "```",
            "README.md", "```", "<<<<<<< SEARCH", "# Demo", "=======", "# Title", ">>>>>>> REPLACE", "```",
        ]), files: ["src/a.swift": text("log()", "x", "log()"), "README.md": text("# Demo")])
        let feedback = try #require(outcome.feedback)
        #expect(feedback.reasons == [.searchCountMismatch])
        let detail = feedback.problems[0].detail
        #expect(detail.contains("Blocks 1, 2, 3 have the same SEARCH lines"), "\(detail)")
        #expect(detail.contains("occur 2 times in src/a.swift starting at lines 1, 3, but there are 3 such blocks"), "\(detail)")
        #expect(feedback.text.contains("repeated SEARCH, different number of matches"))
    }

    @Test("a group that fits becomes a plan")
    func plannerAccepts() throws {
        let outcome = plan(answer([
            "src/a.swift", "```",
            "<<<<<<< SEARCH", "log()", "=======", "log(1)", ">>>>>>> REPLACE", "",
            "<<<<<<< SEARCH", "log()", "=======", "log(2)", ">>>>>>> REPLACE",
            "```",
        ]), files: ["src/a.swift": text("log()", "x", "log()")])
        let plan = try #require(outcome.plan, "\(outcome)")
        #expect(plan.changes.map(\.after) == [text("log(1)", "x", "log(2)")])
    }

    @Test("the feedback says where the rest of a group was counted from")
    func plannerFeedbackFrom() throws {
        let outcome = plan(answer([
            "f.txt", "```",
            "<<<<<<< SEARCH", "f()", "=======", "f(1)", ">>>>>>> REPLACE", "",
            "<<<<<<< SEARCH", "b", "=======", "f()", ">>>>>>> REPLACE", "",
            "<<<<<<< SEARCH", "f()", "=======", "f(2)", ">>>>>>> REPLACE",
            "```",
        ]), files: ["f.txt": text("f()", "a", "f()", "b")])
        let feedback = try #require(outcome.feedback)
        #expect(feedback.reasons == [.searchCountMismatch])
        #expect(feedback.problems[0].origin?.index == 3)
        let detail = feedback.problems[0].detail
        #expect(detail.contains("From line 2 of f.txt"), "\(detail)")
        #expect(detail.contains("they occur 2 times starting at lines 3, 4, but the 1 block still to apply needs exactly one"), "\(detail)")
    }
}
