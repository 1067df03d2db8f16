import ConductorDomain
import Testing

/// Text from lines, each ending with a newline: how files and block parts look.
func text(_ lines: String...) -> String {
    lines.map { $0 + "\n" }.joined()
}

/// A SEARCH/REPLACE block with a dummy origin.
func searchReplace(_ search: String, _ replace: String, path: String = "f.swift", index: Int = 1) -> EditBlock {
    .searchReplace(path: path, search: search, replace: replace, origin: BlockOrigin(index: index, line: index * 10))
}

@Suite("Edit matcher")
struct EditMatcherTests {
    static let source = text(
        "struct Greeter {",
        "    func greet(name: String) -> String {",
        "        let greeting = \"Hello, \\(name)\"",
        "",
        "        return greeting",
        "    }",
        "}"
    )

    func apply(_ search: String, _ replace: String, to content: String? = source) -> Result<String, MatchFailure> {
        EditMatcher.apply(searchReplace(search, replace), to: content)
    }

    @Test("an exact match of whole lines is replaced")
    func exact() {
        let result = apply(text("        return greeting"), text("        return greeting + \"!\""))
        #expect(result == .success(Self.source.replacingOnce("return greeting\n", with: "return greeting + \"!\"\n")))
    }

    @Test("a match is of whole lines: part of a line does not match")
    func wholeLines() {
        guard case .failure(.notFound) = apply(text("        let greeting ="), text("        let x =")) else {
            Issue.record("a partial line matched")
            return
        }
    }

    @Test("replacing with nothing deletes the lines")
    func deletion() {
        #expect(apply(text("", "        return greeting"), "") == .success(text(
            "struct Greeter {",
            "    func greet(name: String) -> String {",
            "        let greeting = \"Hello, \\(name)\"",
            "    }",
            "}"
        )))
    }

    @Test("SEARCH lines with too little indentation match with the file's indentation added to SEARCH and REPLACE alike")
    func indentationAdded() {
        let result = apply(
            text("let greeting = \"Hello, \\(name)\"", "", "return greeting"),
            text("let greeting = \"Hi, \\(name)\"", "", "return greeting", "    // done")
        )
        #expect(result == .success(text(
            "struct Greeter {",
            "    func greet(name: String) -> String {",
            "        let greeting = \"Hi, \\(name)\"",
            "",
            "        return greeting",
            "            // done",
            "    }",
            "}"
        )))
    }

    @Test("SEARCH lines with too much indentation match with the extra indentation removed from SEARCH and REPLACE alike")
    func indentationRemoved() {
        let result = apply(
            text("      func greet(name: String) -> String {", "          let greeting = \"Hello, \\(name)\""),
            text("      func greet(name: String = \"you\") -> String {", "          let greeting = \"Hello, \\(name)\"")
        )
        #expect(result == .success(Self.source.replacingOnce("greet(name: String)", with: "greet(name: String = \"you\")")))
    }

    @Test("blank lines in an indentation-shifted match may hold any whitespace")
    func blankLinesInShiftedMatch() {
        let file = text("    a", "  ", "    b")
        #expect(apply(text("a", "", "b"), text("a", "", "c"), to: file) == .success(text("    a", "", "    c")))
    }

    @Test("tabs are indentation like spaces, and the offset keeps them")
    func tabs() {
        let file = text("func f() {", "\tif x {", "\t\ty()", "\t}", "}")
        #expect(apply(text("if x {", "\ty()", "}"), text("if x {", "\tz()", "}"), to: file)
            == .success(text("func f() {", "\tif x {", "\t\tz()", "\t}", "}")))
        #expect(apply(text("\t\t\ty()"), text("\t\t\tz()"), to: file) == .success(text("func f() {", "\tif x {", "\t\tz()", "\t}", "}")))
    }

    @Test("spaces for tabs, or an offset that differs between lines, is not forgiven", arguments: [
        text("    if x {", "        y()"),
        text("if x {", "        y()"),
        text("\tif x {", "\t    y()"),
    ])
    func notUniform(search: String) {
        let file = text("func f() {", "\tif x {", "\t\ty()", "\t}", "}")
        guard case .failure(.notFound) = apply(search, text("z()"), to: file) else {
            Issue.record("a non-uniform offset matched")
            return
        }
    }

    @Test("an exact match wins over shifted ones")
    func exactFirst() {
        let file = text("a", "    a")
        #expect(apply(text("a"), text("b"), to: file) == .success(text("b", "    a")))
    }

    @Test("a SEARCH that occurs more than once is ambiguous, with the lines where it starts")
    func ambiguous() {
        let file = text("x = 1", "y = 2", "x = 1", "z", "x = 1")
        #expect(apply(text("x = 1"), text("x = 3"), to: file) == .failure(.ambiguous(lines: [1, 3, 5], reindented: false)))
        let shifted = text("  x = 1", "y", "    x = 1")
        #expect(apply(text("x = 1"), text("x = 3"), to: shifted) == .failure(.ambiguous(lines: [1, 3], reindented: true)))
    }

    @Test("a shifted match whose REPLACE lines cannot lose the extra indentation fails instead of guessing")
    func unevenReplacement() {
        let file = text("a()", "b()")
        #expect(apply(text("    a()", "    b()"), text("    a()", "  c()"), to: file)
            == .failure(.unevenReplacement(matchLine: 1, removed: "4 spaces", replaceLine: 2)))
    }

    @Test("a SEARCH not found quotes the window with the most equal lines, with context")
    func closestLines() throws {
        let file = (1...30).map { "line \($0)" }.joined(separator: "\n") + "\n"
        let result = apply(text("line 14", "line 15 (changed)", "line 16"), text("x"), to: file)
        guard case .failure(.notFound(let closest, let already)) = result else {
            Issue.record("expected notFound, got \(result)")
            return
        }
        let quoted = try #require(closest)
        #expect(quoted.firstLine == 11)
        #expect(quoted.lines == (11...19).map { "line \($0)" })
        #expect(!already)
    }

    @Test("the closest lines are found despite different indentation and a line missing from SEARCH")
    func closestDespiteIndentation() throws {
        let result = apply(text("func greet(name: String) -> String {", "return greeting", "}"), text("x"))
        guard case .failure(.notFound(let closest, _)) = result else {
            Issue.record("expected notFound, got \(result)")
            return
        }
        let quoted = try #require(closest)
        #expect(quoted.lines.contains("    func greet(name: String) -> String {"))
        #expect(quoted.lines.contains("        return greeting"))
    }

    @Test("a one-line SEARCH with a typo quotes the similar line")
    func closestBySimilarity() throws {
        let file = text("import Foundation", "", "let total = compute(values, scale: 2)", "print(total)")
        let result = apply(text("let total = compute(vals, scale: 2)"), text("x"), to: file)
        guard case .failure(.notFound(let closest, _)) = result else {
            Issue.record("expected notFound, got \(result)")
            return
        }
        let quoted = try #require(closest)
        #expect(quoted.firstLine == 1)
        #expect(quoted.lines.contains("let total = compute(values, scale: 2)"))
    }

    @Test("nothing is quoted when nothing in the file resembles the SEARCH")
    func nothingClose() {
        #expect(apply(text("completely unrelated text"), text("x"), to: text("a", "b"))
            == .failure(.notFound(closest: nil, replaceAlreadyPresent: false)))
    }

    @Test("a not-found SEARCH whose REPLACE is already in the file says so")
    func alreadyApplied() {
        let result = apply(text("        return greeting!"), text("        return greeting"))
        guard case .failure(.notFound(_, let already)) = result else {
            Issue.record("expected notFound, got \(result)")
            return
        }
        #expect(already)
    }

    @Test("an empty SEARCH creates a missing file, and only a missing or empty one")
    func creation() {
        #expect(apply("", text("new"), to: nil) == .success(text("new")))
        #expect(apply("", text("new"), to: "") == .success(text("new")))
        #expect(apply("", text("new"), to: text("old")) == .failure(.fileExists))
        #expect(apply(text("old"), text("new"), to: nil) == .failure(.fileNotFound))
    }

    @Test("a whole-file block creates or replaces, and keeps a CRLF file CRLF")
    func wholeFile() {
        let block = EditBlock.wholeFile(path: "f.txt", content: text("one", "two"), origin: BlockOrigin(index: 1, line: 1))
        #expect(EditMatcher.apply(block, to: nil) == .success("one\ntwo\n"))
        #expect(EditMatcher.apply(block, to: "old\n") == .success("one\ntwo\n"))
        #expect(EditMatcher.apply(block, to: "old\r\nfile\r\n") == .success("one\r\ntwo\r\n"))
    }

    @Test("a CRLF file is matched line by line and its replaced lines get CRLF")
    func crlfFile() {
        #expect(apply(text("b"), text("B", "C"), to: "a\r\nb\r\nc\r\n") == .success("a\r\nB\r\nC\r\nc\r\n"))
    }

    @Test("a file without a final newline keeps it that way")
    func noFinalNewline() {
        #expect(apply(text("b"), text("B"), to: "a\nb") == .success("a\nB"))
        #expect(apply(text("a"), text("A"), to: "a\nb") == .success("A\nb"))
    }

    @Test("blocks apply in order, each to the result of the ones before; a failure skips only its block")
    func sequence() {
        let blocks = [
            searchReplace("", text("one"), path: "new.txt", index: 1),
            searchReplace(text("one"), text("two"), path: "new.txt", index: 2),
            searchReplace(text("missing"), text("x"), path: "old.txt", index: 3),
            searchReplace(text("keep"), text("kept"), path: "old.txt", index: 4),
        ]
        let outcome = EditMatcher.apply(blocks, to: ["old.txt": text("keep")])
        #expect(outcome.files == ["new.txt": text("two"), "old.txt": text("kept")])
        #expect(outcome.failures.map(\.origin.index) == [3])
        #expect(outcome.failures.first?.path == "old.txt")
    }
}

extension String {
    /// The string with the first occurrence of `target` replaced; a test bug if there is none.
    func replacingOnce(_ target: String, with replacement: String) -> String {
        guard let range = firstRange(of: target) else { fatalError("test bug: '\(target)' not in the text") }
        var copy = self
        copy.replaceSubrange(range, with: replacement)
        return copy
    }
}
