import ConductorDomain
import Testing

@Suite("Edit feedback")
struct EditFeedbackTests {
    static let source = text(
        "import Foundation",
        "",
        "func greet(name: String) -> String {",
        "    let greeting = \"Hello, \\(name)\"",
        "    return greeting",
        "}"
    )

    static let twice = text("x", "x")

    /// The feedback for `text` against app.swift and twice.txt.
    func feedback(_ text: String, policy: PathPolicy = PathPolicy()) throws -> EditFeedback {
        try #require(plan(text, files: ["app.swift": Self.source, "twice.txt": EditFeedbackTests.twice], policy: policy).feedback)
    }

    @Test("a SEARCH that was not found: block, line, path, reason, the closest lines, and what to do")
    func searchNotFound() throws {
        let text = try feedback(answer(
            "Let me fix the greeting.",
            "",
            "app.swift",
            "```swift",
            "<<<<<<< SEARCH",
            "    let greeting = \"Hi, \\(name)\"",
            "    return greeting",
            "=======",
            "    return \"Hello, \\(name)!\"",
            ">>>>>>> REPLACE",
            "```"
        )).text
        #expect(text.hasPrefix("# Your edits were not applied (1 problem, 1 block)\n"))
        #expect(text.contains("no file was changed. Send all of your edits again"))
        #expect(text.contains("## Block 1 (line 5), app.swift: SEARCH not found\n"))
        #expect(text.contains("The SEARCH lines are not in app.swift, not even with whitespace at line ends ignored or their indentation shifted uniformly."))
        #expect(text.contains("""
        The closest lines in app.swift are lines 1-6:
        ```
        import Foundation

        func greet(name: String) -> String {
            let greeting = "Hello, \\(name)"
            return greeting
        }
        ```
        """))
    }

    @Test("the report of an exact text: one problem of each kind, rendered in full")
    func fullText() throws {
        let text = try feedback(answer(
            "app.swift",
            "```",
            "<<<<<<< SEARCH",
            "    return greeting",
            "    return greeting",
            "=======",
            "    return nil",
            ">>>>>>> REPLACE",
            "```",
            "/etc/passwd",
            "```",
            "root::0:0::/:/bin/sh",
            "```"
        )).text
        #expect(text == """
        # Your edits were not applied (2 problems, 2 blocks)
        The edits of one answer are applied all together or not at all, so no file was changed. \
        Send all of your edits again, with these problems fixed.

        ## Block 1 (line 3), app.swift: SEARCH not found
        The SEARCH lines are not in app.swift, not even with whitespace at line ends ignored or their indentation shifted uniformly. \
        The SEARCH part must copy the file's lines exactly, whitespace and comments included.
        The closest lines in app.swift are lines 1-6:
        ```
        import Foundation

        func greet(name: String) -> String {
            let greeting = "Hello, \\(name)"
            return greeting
        }
        ```

        ## Block 2 (line 10), /etc/passwd: outside the repository
        The path is absolute; write paths relative to the repository root.

        """)
    }

    @Test("ambiguous, protected, malformed and empty answers each say which and why", arguments: [
        (answer("twice.txt", "```", "<<<<<<< SEARCH", "x", "=======", "y", ">>>>>>> REPLACE", "```"),
         ["## Block 1 (line 3), twice.txt: SEARCH matches more than once", "occur 2 times in twice.txt starting at lines 1, 2."]),
        (answer("Cargo.lock", "```", "x", "```"),
         ["## Block 1 (line 1), Cargo.lock: protected path", "protected by the pattern '*.lock'"]),
        (answer("app.swift", "```", "<<<<<<< SEARCH", "x", "```"),
         ["## Block 1 (line 3), app.swift: malformed block", "before this block's ======= and >>>>>>> REPLACE lines", "Edit format: the file's path alone on a line"]),
        (answer("Sure, here it is:", "```", "code", "```"),
         ["# Your answer changed no file", "## The whole answer: no edits", "fenced blocks (at line 2)", "Edit format:"]),
        (answer("a.txt", "```", "stray", "<<<<<<< SEARCH", "=======", "x", ">>>>>>> REPLACE", "```"),
         ["## Line 3, a.txt: malformed block", "Text on line 3 is outside a SEARCH/REPLACE block"]),
    ])
    func phrases(text: String, phrases: [String]) throws {
        let rendered = try feedback(text, policy: PathPolicy(protected: ["*.lock"])).text
        for phrase in phrases {
            #expect(rendered.contains(phrase), "missing '\(phrase)' in:\n\(rendered)")
        }
    }

    @Test("problems of the whole answer come after those of blocks")
    func order() {
        let feedback = EditFeedback(problems: [
            EditProblem(.tooManyFiles, detail: "x"),
            EditProblem(.searchNotFound, origin: BlockOrigin(index: 2, line: 20), detail: "x"),
            EditProblem(.malformedBlock, line: 5, detail: "x"),
            EditProblem(.invalidPath, origin: BlockOrigin(index: 1, line: 3), detail: "x"),
        ], blockCount: 2)
        #expect(feedback.reasons == [.invalidPath, .malformedBlock, .searchNotFound, .tooManyFiles])
    }

    @Test("quoted lines that hold a fence are quoted in a longer one")
    func longerQuoteFence() {
        func quote(_ lines: [String]) -> String {
            let problem = EditProblem(.searchNotFound, origin: BlockOrigin(index: 1, line: 1), path: "README.md", detail: "x",
                                      closestLines: ClosestLines(firstLine: 4, lines: lines))
            return EditFeedback(problems: [problem], blockCount: 1).text
        }
        #expect(quote(["plain"]).hasSuffix("are line 4:\n```\nplain\n```\n"))
        #expect(quote(["```sh", "make", "```"]).hasSuffix("are lines 4-6:\n````\n```sh\nmake\n```\n````\n"))
        #expect(quote(["````", "~~~"]).contains("\n`````\n````\n~~~\n`````"))
    }
}
