import ConductorDomain
import Testing

/// Builds an answer from lines, so that tests show line numbers plainly.
func answer(_ lines: String...) -> String {
    lines.joined(separator: "\n") + "\n"
}

@Suite("Edit parser")
struct EditParserTests {
    @Test("a whole-file block: the path line, then a fence whose content is the file")
    func wholeFile() {
        let parsed = EditParser.parse(answer(
            "Here is the new file.",
            "",
            "src/App.swift",
            "```swift",
            "let a = 1",
            "",
            "print(a)",
            "```",
            "Done."
        ))
        #expect(parsed.problems.isEmpty)
        #expect(parsed.blocks == [.wholeFile(path: "src/App.swift", content: "let a = 1\n\nprint(a)\n", origin: BlockOrigin(index: 1, line: 3))])
        #expect(parsed.blockCount == 1)
    }

    @Test("an empty whole-file fence is an empty file")
    func emptyFile() {
        let parsed = EditParser.parse(answer("pkg/__init__.py", "```", "```"))
        #expect(parsed.blocks == [.wholeFile(path: "pkg/__init__.py", content: "", origin: BlockOrigin(index: 1, line: 1))])
    }

    @Test("a SEARCH/REPLACE block starts at its SEARCH line")
    func searchReplace() {
        let parsed = EditParser.parse(answer(
            "Sources/a.swift",
            "```swift",
            "<<<<<<< SEARCH",
            "    let x = 1",
            "=======",
            "    let x = 2",
            "    let y = 3",
            ">>>>>>> REPLACE",
            "```"
        ))
        #expect(parsed.problems.isEmpty)
        #expect(parsed.blocks == [.searchReplace(
            path: "Sources/a.swift", search: "    let x = 1\n", replace: "    let x = 2\n    let y = 3\n",
            origin: BlockOrigin(index: 1, line: 3)
        )])
    }

    @Test("several SEARCH/REPLACE blocks may follow one path, and several paths one answer")
    func several() {
        let parsed = EditParser.parse(answer(
            "a.txt",
            "```",
            "<<<<<<< SEARCH",
            "one",
            "=======",
            "1",
            ">>>>>>> REPLACE",
            "",
            "<<<<<<< SEARCH",
            "two",
            "=======",
            ">>>>>>> REPLACE",
            "```",
            "And a new file:",
            "b.txt",
            "~~~",
            "bee",
            "~~~",
            "c.txt",
            "```text",
            "<<<<<<< SEARCH",
            "=======",
            "sea",
            ">>>>>>> REPLACE",
            "```"
        ))
        #expect(parsed.problems.isEmpty)
        #expect(parsed.blocks == [
            .searchReplace(path: "a.txt", search: "one\n", replace: "1\n", origin: BlockOrigin(index: 1, line: 3)),
            .searchReplace(path: "a.txt", search: "two\n", replace: "", origin: BlockOrigin(index: 2, line: 9)),
            .wholeFile(path: "b.txt", content: "bee\n", origin: BlockOrigin(index: 3, line: 15)),
            .searchReplace(path: "c.txt", search: "", replace: "sea\n", origin: BlockOrigin(index: 4, line: 21)),
        ])
        #expect(parsed.blockCount == 4)
    }

    @Test("fences: backticks or tildes, three or more, any language tag; only a long enough fence of the same kind closes")
    func fences() {
        let parsed = EditParser.parse(answer(
            "README.md",
            "````markdown",
            "# Title",
            "```sh",
            "make",
            "```",
            "~~~",
            "`````",
            "notes.txt",
            "~~~~ text with spaces",
            "```",
            "~~~",
            "~~~~~"
        ))
        #expect(parsed.problems.isEmpty)
        #expect(parsed.blocks == [
            .wholeFile(path: "README.md", content: "# Title\n```sh\nmake\n```\n~~~\n", origin: BlockOrigin(index: 1, line: 1)),
            .wholeFile(path: "notes.txt", content: "```\n~~~\n", origin: BlockOrigin(index: 2, line: 9)),
        ])
    }

    @Test("a path in backticks is a path; trailing spaces after markers and fences are forgiven")
    func forgivenDecoration() {
        let parsed = EditParser.parse(answer(
            "`src/a.swift`",
            "```  ",
            "<<<<<<< SEARCH  ",
            "a",
            "=======\t",
            "b",
            ">>>>>>> REPLACE ",
            "```   "
        ))
        #expect(parsed.problems.isEmpty)
        #expect(parsed.blocks == [.searchReplace(path: "src/a.swift", search: "a\n", replace: "b\n", origin: BlockOrigin(index: 1, line: 3))])
    }

    @Test("a CRLF answer parses like the same answer with LF")
    func crlf() {
        let lf = answer(
            "a.txt", "```", "<<<<<<< SEARCH", "x", "=======", "y", ">>>>>>> REPLACE", "```",
            "b.txt", "```", "whole", "```"
        )
        let crlf = lf.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\r\n")
        #expect(crlf.utf8.count > lf.utf8.count)
        #expect(EditParser.parse(crlf) == EditParser.parse(lf))
        #expect(EditParser.parse(lf).blocks.count == 2)
    }

    @Test("a fence without a path line above it is an example, not an edit", arguments: [
        answer("Run the tests:", "```sh", "swift test", "```"),
        answer("Here is the whole file src/a.swift", "```swift", "let a = 1", "```"),
        answer("```swift", "let a = 1", "```"),
        answer("Example:", "```", "x", "```"),
        answer("", "```", "x", "```"),
        answer("### Summary", "```", "x", "```"),
        answer("**Note:**", "```", "x", "```"),
    ])
    func unlabeled(text: String) {
        let parsed = EditParser.parse(text)
        #expect(parsed.blocks.isEmpty)
        #expect(parsed.problems.isEmpty)
        #expect(parsed.unlabeledFences.count == 1)
        #expect(parsed.blockCount == 0)
    }

    @Test("the closing fence of one block is not the path of the next")
    func closingFenceIsNoPath() {
        let parsed = EditParser.parse(answer("a.txt", "```", "x", "```", "```", "y", "```"))
        #expect(parsed.blocks == [.wholeFile(path: "a.txt", content: "x\n", origin: BlockOrigin(index: 1, line: 1))])
        #expect(parsed.unlabeledFences == [5])
    }

    @Test("text with no fence at all has no blocks and no problems")
    func prose() {
        let parsed = EditParser.parse("I think the code is fine as it is.\n<<<<<<< SEARCH is how you edit.\n")
        #expect(parsed == EditParseResult())
    }

    struct Malformed: Sendable, CustomTestStringConvertible {
        let name: String
        let text: String
        /// Expected: problem lines and a phrase each message contains.
        let problems: [(line: Int, block: Int?, phrase: String)]
        let blocks: Int

        var testDescription: String { name }
    }

    static let malformed: [Malformed] = [
        Malformed(name: "whole file, fence never closed", text: answer("a.txt", "```", "cut off"),
                  problems: [(2, 1, "never closed")], blocks: 0),
        Malformed(name: "SEARCH/REPLACE without a path", text: answer("Change this:", "```", "<<<<<<< SEARCH", "a", "=======", "b", ">>>>>>> REPLACE", "```"),
                  problems: [(2, 1, "no file path")], blocks: 0),
        Malformed(name: "REPLACE marker before the divider", text: answer("a.txt", "```", "<<<<<<< SEARCH", "a", ">>>>>>> REPLACE", "```"),
                  problems: [(5, 1, "comes before")], blocks: 0),
        Malformed(name: "fence closes before REPLACE marker", text: answer("a.txt", "```", "<<<<<<< SEARCH", "a", "=======", "b", "```"),
                  problems: [(3, 1, "fence closes on line 7 before this block's >>>>>>> REPLACE")], blocks: 0),
        Malformed(name: "fence closes before divider", text: answer("a.txt", "```", "<<<<<<< SEARCH", "a", "```"),
                  problems: [(3, 1, "before this block's =======")], blocks: 0),
        Malformed(name: "answer cut off inside a block", text: answer("a.txt", "```", "<<<<<<< SEARCH", "a", "=======", "b"),
                  problems: [(3, 1, "answer ends (it may have been cut off)")], blocks: 0),
        Malformed(name: "answer cut off after a block", text: answer("a.txt", "```", "<<<<<<< SEARCH", "a", "=======", "b", ">>>>>>> REPLACE"),
                  problems: [(2, 1, "never closed")], blocks: 0),
        Malformed(name: "new SEARCH before the divider", text: answer("a.txt", "```", "<<<<<<< SEARCH", "a", "<<<<<<< SEARCH", "a", "=======", "b", ">>>>>>> REPLACE", "```"),
                  problems: [(5, 1, "starts a new block")], blocks: 1),
        Malformed(name: "missing REPLACE marker before the next block", text: answer("a.txt", "```", "<<<<<<< SEARCH", "a", "=======", "b", "<<<<<<< SEARCH", "c", "=======", "d", ">>>>>>> REPLACE", "```"),
                  problems: [(7, 1, "no >>>>>>> REPLACE line")], blocks: 1),
        Malformed(name: "text between blocks", text: answer("a.txt", "```", "Now the first change:", "also this", "<<<<<<< SEARCH", "a", "=======", "b", ">>>>>>> REPLACE", "```"),
                  problems: [(3, nil, "outside a SEARCH/REPLACE block")], blocks: 1),
        Malformed(name: "a stray divider", text: answer("a.txt", "```", "=======", "<<<<<<< SEARCH", "a", "=======", "b", ">>>>>>> REPLACE", "```"),
                  problems: [(3, nil, "'=======' (line 3) is outside")], blocks: 1),
        Malformed(name: "an indented marker", text: answer("a.txt", "```", "  <<<<<<< SEARCH", "a", "=======", "b", ">>>>>>> REPLACE", "```"),
                  problems: [(3, 1, "is indented")], blocks: 0),
        Malformed(name: "all markers indented", text: answer("a.txt", "```", "  <<<<<<< SEARCH", "a", "  =======", "b", "  >>>>>>> REPLACE", "```"),
                  problems: [(3, 1, "is indented"), (3, 1, "fence closes on line 8 before this block's =======")], blocks: 0),
        Malformed(name: "a fence inside SEARCH text closes the outer fence", text: answer(
            "README.md", "```", "<<<<<<< SEARCH", "```sh", "make", "```", "=======", "```sh", "make all", "```", ">>>>>>> REPLACE", "```"
        ), problems: [(3, 1, "wrap the block in a longer fence")], blocks: 0),
    ]

    @Test("malformed blocks are problems, never silently dropped", arguments: malformed)
    func malformedBlocks(example: Malformed) {
        let parsed = EditParser.parse(example.text)
        #expect(parsed.blocks.count == example.blocks)
        #expect(parsed.problems.count == example.problems.count, "\(parsed.problems)")
        for (problem, expected) in zip(parsed.problems, example.problems) {
            #expect(problem.line == expected.line, "\(problem)")
            #expect(problem.origin?.index == expected.block, "\(problem)")
            #expect(problem.message.contains(expected.phrase), "\(problem.message)")
        }
    }

    @Test("block numbers count malformed blocks, so they match what the model wrote")
    func numbering() {
        let parsed = EditParser.parse(answer(
            "a.txt", "```", "<<<<<<< SEARCH", "a", ">>>>>>> REPLACE", "```",
            "b.txt", "```", "<<<<<<< SEARCH", "b", "=======", "c", ">>>>>>> REPLACE", "```"
        ))
        #expect(parsed.blockCount == 2)
        #expect(parsed.problems.map(\.origin) == [BlockOrigin(index: 1, line: 3)])
        #expect(parsed.blocks.map(\.origin) == [BlockOrigin(index: 2, line: 9)])
        #expect(parsed.problems.first?.path == "a.txt")
    }

    @Test("a whole-file fence that contains a SEARCH marker is read as SEARCH/REPLACE, so conflict markers never land in a file")
    func markerInWholeFile() {
        let parsed = EditParser.parse(answer("a.txt", "```", "header", "<<<<<<< SEARCH", "a", "=======", "b", ">>>>>>> REPLACE", "```"))
        #expect(parsed.blocks.map(\.path) == ["a.txt"])
        guard case .searchReplace = parsed.blocks.first else {
            Issue.record("read as a whole file: \(parsed.blocks)")
            return
        }
        #expect(parsed.problems.map(\.line) == [3])
    }

    @Test("the path line: one word, optionally in backticks; decorated, it must look like a path", arguments: [
        ("src/a.swift", "src/a.swift"),
        ("  src/a.swift  ", "src/a.swift"),
        ("`Makefile`", "Makefile"),
        ("Makefile", "Makefile"),
        ("../etc/passwd", "../etc/passwd"),
        ("a b.txt", nil),
        ("Example:", nil),
        ("src/a.swift:", "src/a.swift"),
        ("**src/a.swift**", "src/a.swift"),
        ("### src/a.swift", "src/a.swift"),
        ("./src/a.swift", "src/a.swift"),
        ("File: src/a.swift", "src/a.swift"),
        ("**Filename:** `src/a.swift`", "src/a.swift"),
        ("PATH: src/a.swift", "src/a.swift"),
        ("**../etc/passwd**", nil),
        ("### /etc/passwd", nil),
        ("**Makefile**", "Makefile"),
        ("**Summary**", nil),
        ("### Step 1: fix it", nil),
        ("`a`b`", nil),
        ("~~", nil),
        ("``", nil),
        ("=======", nil),
        (">>>>>>> REPLACE", nil),
    ] as [(String, String?)])
    func pathLine(line: String, expected: String?) {
        let parsed = EditParser.parse(answer("Intro.", line, "```", "content", "```"))
        #expect(parsed.blocks.map(\.path) == (expected.map { [$0] } ?? []))
        #expect(parsed.unlabeledFences.count == (expected == nil ? 1 : 0))
    }
}
