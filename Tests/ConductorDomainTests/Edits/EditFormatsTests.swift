@testable import ConductorDomain
import Testing

/// The edit formats added for issue 14 beyond the corpus: where paths may stand, SEARCH/REPLACE
/// without a fence, the matching tolerances, unified diffs, and the no-edits example.
@Suite("Edit formats as models write them")
struct EditFormatsTests {
    static func plan(_ text: String, _ files: [String: String?]) -> EditOutcome {
        EditPlanner.plan(EditParser.parse(text), files: files, policy: PathPolicy(), limits: DiffLimits())
    }

    // MARK: Paths

    @Test("a path comment on the fence's first line is not content; with a path line above, the comment stays")
    func firstLineComment() {
        let inside = EditParser.parse(answer("```swift", "// Sources/a.swift", "let a = 1", "```"))
        #expect(inside.blocks == [.wholeFile(path: "Sources/a.swift", content: "let a = 1\n", origin: BlockOrigin(index: 1, line: 2))])
        let above = EditParser.parse(answer("Sources/a.swift", "```swift", "// Sources/a.swift", "let a = 1", "```"))
        #expect(above.blocks == [.wholeFile(path: "Sources/a.swift", content: "// Sources/a.swift\nlet a = 1\n", origin: BlockOrigin(index: 1, line: 1))])
    }

    @Test("the info string: a path after the language, alone, after a colon, or as title=", arguments: [
        "```python src/x.py", "```src/x.py", "```python:src/x.py", "```python title=\"src/x.py\"",
    ])
    func infoString(opening: String) {
        let parsed = EditParser.parse(answer(opening, "x = 1", "```"))
        #expect(parsed.blocks.map(\.path) == ["src/x.py"])
    }

    @Test("only a path that looks like a relative file path is taken from decoration", arguments: [
        ("src/x.py", true), ("Makefile", true), (".gitignore", true), ("bin/run", true),
        ("Example", false), ("v1.2", false), ("/etc/x.py", false), ("../x.py", false), ("a/../x.py", false),
        ("e.g.", false), ("greet(name)", false), ("x.py,", false),
    ])
    func looksLikePath(word: String, expected: Bool) {
        #expect(PathDecoration.looksLikePath(word) == expected)
    }

    // MARK: SEARCH/REPLACE without a fence

    @Test("unfenced blocks: the path above the first; a block directly below another is for the same file")
    func unfenced() {
        let parsed = EditParser.parse(answer(
            "**a.txt**", "<<<<<<< SEARCH", "one", "=======", "1", ">>>>>>> REPLACE", "",
            "<<<<<<< SEARCH", "two", "=======", "2", ">>>>>>> REPLACE", "Then:", "b.txt", "<<<<<<< SEARCH", "=======", "new", ">>>>>>> REPLACE"
        ))
        #expect(parsed.problems.isEmpty, "\(parsed.problems)")
        #expect(parsed.blocks == [
            .searchReplace(path: "a.txt", search: "one\n", replace: "1\n", origin: BlockOrigin(index: 1, line: 2)),
            .searchReplace(path: "a.txt", search: "two\n", replace: "2\n", origin: BlockOrigin(index: 2, line: 8)),
            .searchReplace(path: "b.txt", search: "", replace: "new\n", origin: BlockOrigin(index: 3, line: 15)),
        ])
    }

    @Test("an unfenced block with no path, or cut off, is a problem, not dropped")
    func unfencedProblems() {
        let noPath = EditParser.parse(answer("Change it like this:", "<<<<<<< SEARCH", "a", "=======", "b", ">>>>>>> REPLACE"))
        #expect(noPath.blocks.isEmpty)
        #expect(noPath.problems.map(\.message).contains { $0.contains("has no file path") })
        let cut = EditParser.parse(answer("a.txt", "<<<<<<< SEARCH", "a", "=======", "b"))
        #expect(cut.blocks.isEmpty)
        #expect(cut.problems.map(\.message).contains { $0.contains("answer ends (it may have been cut off)") })
    }

    // MARK: Tolerances

    @Test("exact first: a trailing-whitespace match is not taken when an exact one exists")
    func exactFirst() throws {
        let file = "a  \na\n"
        let outcome = Self.plan(answer("f.txt", "```", "<<<<<<< SEARCH", "a", "=======", "b", ">>>>>>> REPLACE", "```"), ["f.txt": file])
        let plan = try #require(outcome.plan)
        #expect(plan.changes.first?.after == "a  \nb\n")
        #expect(plan.tolerated.isEmpty)
        #expect(plan.toleranceNote == nil)
    }

    @Test("trailing whitespace and a stray carriage return are ignored at the second tolerance, and said")
    func trailingWhitespace() throws {
        let file = "one\r\ntwo \nthree\n"
        let outcome = Self.plan(answer("f.txt", "```", "<<<<<<< SEARCH", "one", "two", "=======", "1", "2", ">>>>>>> REPLACE", "```"), ["f.txt": file])
        let plan = try #require(outcome.plan, "\(outcome)")
        #expect(plan.changes.first?.after == "1\n2\nthree\n")
        #expect(plan.tolerated == [ToleratedMatch(origin: BlockOrigin(index: 1, line: 3), path: "f.txt", tolerance: .trailingWhitespace)])
        #expect(plan.toleranceNote?.contains("Block 1 (line 3), f.txt: matched ignoring whitespace at the ends of lines") == true)
    }

    @Test("two trailing-whitespace matches are ambiguous; the indentation tier is not tried")
    func ambiguousTolerated() throws {
        let outcome = Self.plan(answer("f.txt", "```", "<<<<<<< SEARCH", "a ", "=======", "b", ">>>>>>> REPLACE", "```"), ["f.txt": "a\nx\na\t\n"])
        #expect(outcome.feedback?.reasons == [.searchAmbiguous])
    }

    @Test("an indentation shift is recorded with its amount")
    func indentation() throws {
        let outcome = Self.plan(answer("f.py", "```", "<<<<<<< SEARCH", "    x = 1", "=======", "    x = 2", ">>>>>>> REPLACE", "```"), ["f.py": "def f():\n  x = 1\n"])
        let plan = try #require(outcome.plan, "\(outcome)")
        #expect(plan.changes.first?.after == "def f():\n  x = 2\n")
        #expect(plan.tolerated.map(\.tolerance) == [.indentation(shift: "2 spaces removed")])
    }

    @Test("repeated SEARCH blocks count occurrences at the tolerance that finds them")
    func repeatedTolerated() throws {
        let outcome = Self.plan(answer(
            "f.txt", "```", "<<<<<<< SEARCH", "x ", "=======", "y", ">>>>>>> REPLACE", "<<<<<<< SEARCH", "x ", "=======", "z", ">>>>>>> REPLACE", "```"
        ), ["f.txt": "x\n-\nx\n"])
        let plan = try #require(outcome.plan, "\(outcome)")
        #expect(plan.changes.first?.after == "y\n-\nz\n")
    }

    // MARK: Unified diffs

    static let twelve: String = (1...12).map { "line \($0)" }.joined(separator: "\n") + "\n"

    @Test("several hunks and several files, in one bare diff; line numbers shift with earlier hunks")
    func severalHunks() throws {
        let diff = answer(
            "diff --git a/a.txt b/a.txt", "--- a/a.txt", "+++ b/a.txt",
            "@@ -1,2 +1,3 @@", " line 1", "+inserted", " line 2",
            "@@ -10,2 +11,1 @@", " line 10", "-line 11",
            "--- b.txt", "+++ b.txt", "@@ -1 +1 @@", "-old", "+new"
        )
        let parsed = EditParser.parse(diff)
        #expect(parsed.problems.isEmpty, "\(parsed.problems)")
        #expect(parsed.blocks.map(\.path) == ["a.txt", "a.txt", "b.txt"])
        if case .hunk(_, _, _, let line, _) = parsed.blocks[1] { #expect(line == 11) } else { Issue.record("\(parsed.blocks)") }
        let plan = try #require(Self.plan(diff, ["a.txt": Self.twelve, "b.txt": "old\n"]).plan)
        #expect(plan.changes.map(\.after) == [
            "line 1\ninserted\n" + (2...10).map { "line \($0)\n" }.joined() + "line 12\n", "new\n",
        ])
    }

    @Test("lines that occur twice: the header's line picks the nearer; too far from both, refused")
    func staleNumbers() throws {
        let file = "a\nx\nb\n" + String(repeating: "-\n", count: 60) + "a\nx\nb\n"
        let near = answer("--- f.txt", "+++ f.txt", "@@ -62,3 +62,3 @@", " a", "-x", "+y", " b")
        let plan = try #require(Self.plan(near, ["f.txt": file]).plan)
        #expect(plan.changes.first?.after == "a\nx\nb\n" + String(repeating: "-\n", count: 60) + "a\ny\nb\n")
        let far = answer("--- f.txt", "+++ f.txt", "@@ -33,3 +33,3 @@", " a", "-x", "+y", " b")
        #expect(Self.plan(far, ["f.txt": file]).feedback?.reasons == [.searchAmbiguous])
    }

    @Test("a diff is all or nothing: one hunk that does not match refuses every file")
    func allOrNothing() {
        let diff = answer("--- a.txt", "+++ a.txt", "@@ -1 +1 @@", "-old", "+new", "--- b.txt", "+++ b.txt", "@@ -1 +1 @@", "-missing", "+new")
        let outcome = Self.plan(diff, ["a.txt": "old\n", "b.txt": "other\n"])
        #expect(outcome.plan == nil)
        #expect(outcome.feedback?.reasons == [.searchNotFound])
        #expect(outcome.feedback?.text.contains("The lines this hunk keeps and removes") == true)
    }

    @Test("deleting a file, or a hunk with no path, is a problem")
    func diffProblems() {
        let deletion = EditParser.parse(answer("--- a/x.txt", "+++ /dev/null", "@@ -1 +0,0 @@", "-x"))
        #expect(deletion.problems.map(\.message).contains { $0.contains("cannot delete files") })
        let noPath = EditParser.parse(answer("```diff", "@@ -1 +1 @@", "-a", "+b", "```"))
        #expect(noPath.problems.map(\.message).contains { $0.contains("has no file path") })
    }

    @Test("a diff fence below a path line takes that path for hunks without headers")
    func headerlessHunks() throws {
        let plan = try #require(Self.plan(answer("`f.txt`", "```diff", "@@ -1,2 +1,2 @@", " a", "-b", "+c", "```"), ["f.txt": "a\nb\n"]).plan)
        #expect(plan.changes.first?.after == "a\nc\n")
    }

    @Test("a diff below the path of a .patch file is that file's whole content")
    func patchFileContent() {
        let parsed = EditParser.parse(answer("patches/fix.patch", "```diff", "--- a/x", "+++ b/x", "@@ -1 +1 @@", "-a", "+b", "```"))
        #expect(parsed.blocks == [.wholeFile(path: "patches/fix.patch", content: "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n", origin: BlockOrigin(index: 1, line: 1))])
    }

    @Test("a hunk that only adds lines goes where its header says")
    func insertion() throws {
        let plan = try #require(Self.plan(answer("--- f.txt", "+++ f.txt", "@@ -1,0 +2 @@", "+between"), ["f.txt": "a\nb\n"]).plan)
        #expect(plan.changes.first?.after == "a\nbetween\nb\n")
    }

    // MARK: No edits

    @Test("an answer with no edit gets the format with a two-line example")
    func noEditsExample() throws {
        let feedback = try #require(Self.plan("I would change the greeting.\n", [:]).feedback)
        #expect(feedback.reasons == [.noEdits])
        let text = feedback.text
        #expect(text.contains("src/greeting.py\n```python\n<<<<<<< SEARCH\n"))
        #expect(text.contains("=======\ndef greet(name):\n    return f\"Hello, {name}!\"\n>>>>>>> REPLACE\n```"))
        // The example itself is a correct answer: it parses as one edit.
        let example = EditFeedback.formatExample.split(separator: "\n").dropFirst().dropLast().joined(separator: "\n")
        #expect(EditParser.parse(example).blocks.map(\.path) == ["src/greeting.py"])
    }
}
