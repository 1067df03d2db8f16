import ConductorDomain
import Testing

/// Plans `text` against `files` with a default policy.
func plan(
    _ text: String, files: [String: String?] = [:], policy: PathPolicy = PathPolicy(),
    limits: DiffLimits = DiffLimits(), pathViolations: [String: PathViolation] = [:]
) -> EditOutcome {
    EditPlanner.plan(EditParser.parse(text), files: files, policy: policy, limits: limits, pathViolations: pathViolations)
}

@Suite("Edit planner")
struct EditPlannerTests {
    static let files: [String: String?] = [
        "src/a.swift": text("let a = 1", "let b = 2", "print(a + b)"),
        "README.md": text("# Demo"),
    ]

    @Test("an answer whose blocks all apply becomes a plan with each file's new content and size")
    func accepted() throws {
        let outcome = plan(answer(
            "src/a.swift", "```swift", "<<<<<<< SEARCH", "let b = 2", "=======", "let b = 3", ">>>>>>> REPLACE", "```",
            "src/new.swift", "```swift", "let c = 3", "```"
        ), files: Self.files)
        let plan = try #require(outcome.plan, "\(outcome)")
        #expect(plan.changes == [
            FileChange(path: "src/a.swift", before: text("let a = 1", "let b = 2", "print(a + b)"),
                       after: text("let a = 1", "let b = 3", "print(a + b)"), lines: LineChangeCount(added: 1, removed: 1)),
            FileChange(path: "src/new.swift", before: nil, after: text("let c = 3"), lines: LineChangeCount(added: 1, removed: 0)),
        ])
        #expect(plan.changedLines == 3)
    }

    @Test("one failing block refuses the whole answer, and only the failure is reported")
    func allOrNothing() throws {
        let outcome = plan(answer(
            "src/a.swift", "```", "<<<<<<< SEARCH", "let b = 2", "=======", "let b = 3", ">>>>>>> REPLACE", "```",
            "README.md", "```", "<<<<<<< SEARCH", "# Missing", "=======", "# Title", ">>>>>>> REPLACE", "```"
        ), files: Self.files)
        let feedback = try #require(outcome.feedback)
        #expect(outcome.plan == nil)
        #expect(feedback.reasons == [.searchNotFound])
        #expect(feedback.problems[0].origin == BlockOrigin(index: 2, line: 11))
        #expect(feedback.problems[0].path == "README.md")
        #expect(feedback.blockCount == 2)
    }

    @Test("every problem is reported at once, in answer order")
    func everyProblem() throws {
        let outcome = plan(answer(
            "../outside.txt", "```", "x", "```",
            "src/a.swift", "```", "<<<<<<< SEARCH", "nope", "=======", "x", ">>>>>>> REPLACE", "```",
            ".git/config", "```", "x", "```",
            "Cargo.lock", "```", "x", "```",
            "b.txt", "```", "<<<<<<< SEARCH", "x", "```"
        ), files: Self.files, policy: PathPolicy(protected: ["*.lock"]))
        let feedback = try #require(outcome.feedback)
        #expect(feedback.reasons == [.outsideRepository, .searchNotFound, .gitDirectory, .protectedPath, .malformedBlock])
        #expect(feedback.problems.map(\.origin?.index) == [1, 2, 3, 4, 5])
    }

    @Test("a refused path is reported once, naming its other blocks, and its blocks are not matched")
    func refusedPathOnce() throws {
        let outcome = plan(answer(
            "/etc/hosts", "```", "<<<<<<< SEARCH", "a", "=======", "b", ">>>>>>> REPLACE", "", "<<<<<<< SEARCH", "c", "=======", "d", ">>>>>>> REPLACE", "```"
        ))
        let feedback = try #require(outcome.feedback)
        #expect(feedback.reasons == [.outsideRepository])
        #expect(feedback.problems[0].detail.contains("This applies to block 2 as well."))
    }

    @Test("what the file system found about a path takes precedence")
    func pathViolations() throws {
        let outcome = plan(
            answer("link/x.txt", "```", "x", "```"),
            pathViolations: ["link/x.txt": .symlinkEscape("link is a symbolic link that leads outside the repository")]
        )
        let feedback = try #require(outcome.feedback)
        #expect(feedback.reasons == [.symlinkEscape])
        #expect(feedback.problems[0].detail == "link is a symbolic link that leads outside the repository.")
    }

    @Test("a path that is also another path's directory conflicts")
    func directoryConflict() throws {
        let outcome = plan(answer("a", "```", "x", "```", "a/b.txt", "```", "y", "```"))
        let feedback = try #require(outcome.feedback)
        #expect(feedback.reasons == [.pathConflict])
        #expect(feedback.problems[0].path == "a/b.txt")
        #expect(feedback.problems[0].detail.contains("a is written as a file by block 1"))
    }

    @Test("blocks for one file apply in order: create it, then edit it")
    func createThenEdit() throws {
        let outcome = plan(answer(
            "new.txt", "```", "<<<<<<< SEARCH", "=======", "one", ">>>>>>> REPLACE", "",
            "<<<<<<< SEARCH", "one", "=======", "two", ">>>>>>> REPLACE", "```"
        ))
        #expect(outcome.plan?.changes.map(\.after) == [text("two")])
    }

    @Test("an answer with no edit, or whose edits change nothing, is fed back", arguments: [
        ("", "The answer has no edit blocks."),
        (answer("I would change the greeting.", "```swift", "let x = 1", "```", "```", "y", "```"), "fenced blocks (at lines 2, 5)"),
        (answer("README.md", "```", "# Demo", "```"), "Every block leaves its file exactly as it is."),
        (answer("src/a.swift", "```", "<<<<<<< SEARCH", "let a = 1", "=======", "let a = 1", ">>>>>>> REPLACE", "```"), "exactly as it is"),
    ])
    func noEdits(text: String, phrase: String) throws {
        let feedback = try #require(plan(text, files: Self.files).feedback)
        #expect(feedback.reasons == [.noEdits])
        #expect(feedback.problems[0].detail.contains(phrase), "\(feedback.problems[0].detail)")
    }

    @Test("the diff guard refuses an answer over its limits")
    func guardLimits() throws {
        let big = answer(["big.txt", "```"] + (1...30).map { "line \($0)" } + ["```", "b.txt", "```", "b", "```"])
        let feedback = try #require(plan(big, limits: DiffLimits(maxFiles: 1, maxChangedLines: 20)).feedback)
        #expect(feedback.reasons == [.tooManyFiles, .tooManyChangedLines])
        #expect(plan(big, limits: DiffLimits(maxFiles: 2, maxChangedLines: 31)).plan != nil)
    }

    @Test("a file creation with an empty SEARCH on an existing file, and an edit of a missing file, are explained")
    func existence() throws {
        let feedback = try #require(plan(answer(
            "README.md", "```", "<<<<<<< SEARCH", "=======", "x", ">>>>>>> REPLACE", "```",
            "missing.txt", "```", "<<<<<<< SEARCH", "a", "=======", "b", ">>>>>>> REPLACE", "```"
        ), files: Self.files).feedback)
        #expect(feedback.reasons == [.fileExists, .fileNotFound])
    }
}

/// `answer(_:)` for an array of lines.
func answer(_ lines: [String]) -> String {
    lines.joined(separator: "\n") + "\n"
}
