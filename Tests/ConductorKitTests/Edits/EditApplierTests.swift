import ConductorDomain
@testable import ConductorKit
import ConductorTesting
import Foundation
import Testing

/// Text from lines, each ending with a newline.
private func fileText(_ lines: String...) -> String {
    lines.map { $0 + "\n" }.joined()
}

/// An answer from lines.
private func modelAnswer(_ lines: String...) -> String {
    lines.joined(separator: "\n") + "\n"
}

/// A worktree in a temporary directory, and a byte-exact picture of it for before/after checks.
struct EditWorktree {
    let directory: TemporaryDirectory
    var path: String { directory.path }

    init(_ files: [String: String] = [:]) throws {
        directory = try TemporaryDirectory(prefix: "conductor-edits")
        for (relative, contents) in files { try write(relative, Array(contents.utf8)) }
    }

    func write(_ relative: String, _ bytes: [UInt8], mode: mode_t? = nil) throws {
        let absolute = directory.appending(relative)
        try FileManager.default.createDirectory(atPath: (absolute as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: absolute, contents: Data(bytes)) else {
            throw ConductorError.fileSystem(path: absolute, detail: "test setup: cannot create")
        }
        if let mode { chmod(absolute, mode) }
    }

    func link(_ relative: String, to destination: String) throws {
        try FileManager.default.createSymbolicLink(atPath: directory.appending(relative), withDestinationPath: destination)
    }

    func read(_ relative: String) -> String? {
        FileManager.default.contents(atPath: directory.appending(relative)).map { String(decoding: $0, as: UTF8.self) }
    }

    func info(_ relative: String) -> stat {
        var info = stat()
        lstat(directory.appending(relative), &info)
        return info
    }

    func applier(protected: [String] = [], limits: DiffLimits = DiffLimits()) -> EditApplier {
        EditApplier(worktree: path, policy: PathPolicy(protected: protected), limits: limits)
    }

    /// What is where, byte for byte, with full modes and link targets.
    enum Entry: Equatable, CustomStringConvertible {
        case file([UInt8], mode: mode_t)
        case link(String)
        case directory(mode: mode_t)

        var description: String {
            switch self {
            case let .file(bytes, mode): "file \(String(decoding: bytes, as: UTF8.self).debugDescription) mode \(String(mode, radix: 8))"
            case .link(let target): "link to \(target)"
            case .directory(let mode): "directory mode \(String(mode, radix: 8))"
            }
        }
    }

    static func snapshot(_ root: String) throws -> [String: Entry] {
        var entries: [String: Entry] = [:]
        var pending = [""]
        while let relative = pending.popLast() {
            let absolute = relative.isEmpty ? root : root + "/" + relative
            for name in try FileManager.default.contentsOfDirectory(atPath: absolute) {
                let child = relative.isEmpty ? name : relative + "/" + name
                let path = root + "/" + child
                var info = stat()
                lstat(path, &info)
                switch info.st_mode & S_IFMT {
                case S_IFDIR:
                    entries[child] = .directory(mode: info.st_mode & 0o7777)
                    pending.append(child)
                case S_IFLNK:
                    entries[child] = .link(try FileManager.default.destinationOfSymbolicLink(atPath: path))
                default:
                    entries[child] = .file(Array(FileManager.default.contents(atPath: path) ?? Data()), mode: info.st_mode & 0o7777)
                }
            }
        }
        return entries
    }

    func snapshot() throws -> [String: Entry] { try Self.snapshot(path) }
}

/// Expects `body` to throw a file-system error naming a path that contains `pathPart`; returns its detail.
@discardableResult
func expectFileSystemError(
    pathContaining pathPart: String, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> Void
) -> String? {
    do {
        try body()
        Issue.record("expected a file-system error", sourceLocation: sourceLocation)
    } catch ConductorError.fileSystem(let path, let detail) {
        #expect(path.contains(pathPart), "\(path): \(detail)", sourceLocation: sourceLocation)
        return detail
    } catch {
        Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

@Suite("Edit applier")
struct EditApplierTests {
    static let swiftFile = fileText("let a = 1", "let b = 2")

    static let editA = modelAnswer("src/a.swift", "```", "<<<<<<< SEARCH", "let b = 2", "=======", "let b = 3", ">>>>>>> REPLACE", "```")

    @Test("an accepted answer is written: edits, new files, new directories, and nothing left over")
    func applies() throws {
        let worktree = try EditWorktree(["src/a.swift": Self.swiftFile])
        let outcome = try worktree.applier().apply(answer: Self.editA + modelAnswer("src/new/deep/b.swift", "```", "let c = 3", "```"))
        let plan = try #require(outcome.plan, "\(outcome)")
        #expect(plan.changes.map(\.path) == ["src/a.swift", "src/new/deep/b.swift"])
        #expect(worktree.read("src/a.swift") == fileText("let a = 1", "let b = 3"))
        #expect(worktree.read("src/new/deep/b.swift") == fileText("let c = 3"))
        #expect(try worktree.snapshot().keys.sorted() == ["src", "src/a.swift", "src/new", "src/new/deep", "src/new/deep/b.swift"])
    }

    @Test("a replaced file keeps its mode", arguments: [0o755, 0o600, 0o640] as [mode_t])
    func modePreserved(mode: mode_t) throws {
        let worktree = try EditWorktree()
        try worktree.write("run.sh", Array(fileText("#!/bin/sh", "echo one").utf8), mode: mode)
        let outcome = try worktree.applier().apply(answer: modelAnswer("run.sh", "```", "<<<<<<< SEARCH", "echo one", "=======", "echo two", ">>>>>>> REPLACE", "```"))
        #expect(outcome.plan != nil)
        #expect(worktree.read("run.sh") == fileText("#!/bin/sh", "echo two"))
        #expect(worktree.info("run.sh").st_mode & 0o7777 == mode)
    }

    @Test("blocks with the same SEARCH lines are written to their occurrences in order; one block too few writes nothing")
    func repeatedSearch() throws {
        let source = "import Foundation\r\n\r\nfunc load() {\r\n    print(\"debug\")\r\n    read()\r\n}\r\n\r\n"
            + "func save() {\r\n    print(\"debug\")\r\n    write()\r\n}\r\n"
        /// An answer for Sources/Store.swift with one block per replacement of the debug line.
        func answer(_ replacements: String...) -> String {
            let blocks = replacements.map { ["<<<<<<< SEARCH", "    print(\"debug\")", "=======", $0, ">>>>>>> REPLACE"].joined(separator: "\n") }
            return "Sources/Store.swift\n```swift\n" + blocks.joined(separator: "\n\n") + "\n```\n"
        }
        let worktree = try EditWorktree(["Sources/Store.swift": source])
        let before = try worktree.snapshot()

        let tooFew = try worktree.applier().apply(answer: answer("    log(\"loading\")"))
        #expect(tooFew.feedback?.reasons == [.searchAmbiguous])
        let tooMany = try worktree.applier().apply(answer: answer("    log(1)", "    log(2)", "    log(3)"))
        #expect(tooMany.feedback?.reasons == [.searchCountMismatch])
        #expect(tooMany.feedback?.text.contains("They occur 2 times in Sources/Store.swift starting at lines 4, 9, but there are 3 such blocks.") == true)
        #expect(try worktree.snapshot() == before)

        let outcome = try worktree.applier().apply(answer: answer("    log(\"loading\")", "    log(\"saving\")"))
        #expect(outcome.plan != nil, "\(outcome)")
        let expected = "import Foundation\r\n\r\nfunc load() {\r\n    log(\"loading\")\r\n    read()\r\n}\r\n\r\n"
            + "func save() {\r\n    log(\"saving\")\r\n    write()\r\n}\r\n"
        #expect(worktree.read("Sources/Store.swift") == expected)

        let after = try worktree.snapshot()
        let again = try worktree.applier().apply(answer: answer("    log(1)", "    log(2)"))
        #expect(again.feedback?.reasons == [.searchNotFound, .searchNotFound])
        #expect(try worktree.snapshot() == after)
    }

    @Test("a git diff for two files, one of them CRLF and one new, is written; a stale hunk is placed by its context")
    func unifiedDiff() throws {
        let worktree = try EditWorktree(["src/a.txt": "one\r\ntwo\r\nthree\r\n"])
        let outcome = try worktree.applier().apply(answer: modelAnswer(
            "```diff",
            "diff --git a/src/a.txt b/src/a.txt", "--- a/src/a.txt", "+++ b/src/a.txt",
            "@@ -20,2 +20,2 @@", " two", "-three", "+3",
            "diff --git a/docs/new.md b/docs/new.md", "new file mode 100644", "--- /dev/null", "+++ b/docs/new.md",
            "@@ -0,0 +1,2 @@", "+# New", "+text",
            "```"
        ))
        let plan = try #require(outcome.plan, "\(outcome)")
        #expect(plan.changes.map(\.path) == ["src/a.txt", "docs/new.md"])
        #expect(worktree.read("src/a.txt") == "one\r\ntwo\r\n3\r\n")
        #expect(worktree.read("docs/new.md") == fileText("# New", "text"))
    }

    @Test("a decorated path is written to the plain path, never to a file named with the decoration")
    func decoratedPath() throws {
        let worktree = try EditWorktree(["src/a.swift": Self.swiftFile])
        let outcome = try worktree.applier().apply(answer: modelAnswer(
            "**File:** `./src/a.swift`", "", "```swift", "<<<<<<< SEARCH", "let b = 2 ", "=======", "let b = 3", ">>>>>>> REPLACE", "```"
        ))
        let plan = try #require(outcome.plan, "\(outcome)")
        #expect(plan.tolerated.map(\.tolerance) == [.trailingWhitespace])
        #expect(worktree.read("src/a.swift") == fileText("let a = 1", "let b = 3"))
        #expect(try worktree.snapshot().keys.sorted() == ["src", "src/a.swift"])
    }

    @Test("a new file gets the default mode: readable and writable, not executable")
    func newFileMode() throws {
        let worktree = try EditWorktree()
        _ = try worktree.applier().apply(answer: modelAnswer("new.txt", "```", "x", "```"))
        let mode = worktree.info("new.txt").st_mode
        #expect(mode & S_IFMT == S_IFREG)
        #expect(mode & 0o600 == 0o600)
        #expect(mode & 0o111 == 0)
    }

    @Test("a refused answer writes nothing and returns the feedback")
    func refusedWritesNothing() throws {
        let worktree = try EditWorktree(["src/a.swift": Self.swiftFile, "README.md": fileText("# Demo")])
        let before = try worktree.snapshot()
        let outcome = try worktree.applier().apply(answer: Self.editA + modelAnswer(
            "README.md", "```", "<<<<<<< SEARCH", "# Demoo", "=======", "# Title", ">>>>>>> REPLACE", "```"
        ))
        let feedback = try #require(outcome.feedback)
        #expect(feedback.reasons == [.searchNotFound])
        #expect(feedback.text.contains("## Block 2 (line 11), README.md: SEARCH not found"))
        #expect(feedback.text.contains("```\n# Demo\n```"))
        #expect(try worktree.snapshot() == before)
    }

    @Test("when the second write fails, the first file is left byte for byte as it was, and no directory or temporary file remains")
    func failedWriteChangesNothing() throws {
        let worktree = try EditWorktree(["src/a.swift": Self.swiftFile, "plain.txt": fileText("I am a file")])
        let before = try worktree.snapshot()
        let applier = worktree.applier()
        let detail = expectFileSystemError(pathContaining: "plain.txt") {
            _ = try applier.apply(answer: Self.editA + modelAnswer(
                "fresh/dir/new.txt", "```", "new", "```",
                "plain.txt/inner.txt", "```", "cannot be: its parent is a file", "```"
            ))
        }
        #expect(detail?.contains("no file was changed") == true)
        #expect(try worktree.snapshot() == before)
    }

    @Test("when a rename fails, the files already renamed are restored byte for byte, same inode and mode, and created files removed")
    func failedRenameRestores() throws {
        let worktree = try EditWorktree(["src/a.swift": Self.swiftFile, "z.txt": fileText("last")])
        try worktree.write("src/a.swift", Array(Self.swiftFile.utf8), mode: 0o640)
        let before = try worktree.snapshot()
        let inode = worktree.info("src/a.swift").st_ino
        var applier = worktree.applier()
        applier.failingRename = "z.txt"
        let detail = expectFileSystemError(pathContaining: "z.txt") {
            _ = try applier.apply(answer: Self.editA + modelAnswer(
                "made/up/dir/new.txt", "```", "new", "```",
                "z.txt", "```", "<<<<<<< SEARCH", "last", "=======", "changed", ">>>>>>> REPLACE", "```"
            ))
        }
        #expect(detail?.contains("no file was changed") == true)
        #expect(try worktree.snapshot() == before)
        #expect(worktree.info("src/a.swift").st_ino == inode)

        applier.failingRename = nil
        #expect(try applier.apply(answer: Self.editA).plan != nil)
        #expect(worktree.read("src/a.swift") == fileText("let a = 1", "let b = 3"))
    }

    @Test("a symbolic link to a directory outside the worktree is refused, and nothing is written on either side")
    func linkedDirectoryOutside() throws {
        let outside = try TemporaryDirectory(prefix: "conductor-outside")
        let worktree = try EditWorktree(["src/a.swift": Self.swiftFile])
        try worktree.link("out", to: outside.path)
        let before = try worktree.snapshot()
        let outcome = try worktree.applier().apply(answer: Self.editA + modelAnswer("out/evil.txt", "```", "pwned", "```"))
        let feedback = try #require(outcome.feedback)
        #expect(feedback.reasons == [.symlinkEscape])
        #expect(feedback.problems[0].path == "out/evil.txt")
        #expect(feedback.text.contains("out is a symbolic link that leads outside the repository"))
        #expect(try worktree.snapshot() == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path).isEmpty)
    }

    @Test("a symbolic link to a file outside the worktree is refused, and that file is untouched")
    func linkedFileOutside() throws {
        let outside = try TemporaryDirectory(prefix: "conductor-outside")
        try Data("secret\n".utf8).write(to: URL(fileURLWithPath: outside.appending("target.txt")))
        let worktree = try EditWorktree()
        try worktree.link("notes.txt", to: outside.appending("target.txt"))
        try worktree.link("relative.txt", to: "../" + (outside.path as NSString).lastPathComponent + "/target.txt")
        for path in ["notes.txt", "relative.txt"] {
            let outcome = try worktree.applier().apply(answer: modelAnswer(path, "```", "pwned", "```"))
            #expect(outcome.feedback?.reasons == [.symlinkEscape], "\(path)")
        }
        #expect(FileManager.default.contents(atPath: outside.appending("target.txt")) == Data("secret\n".utf8))
    }

    @Test("writes into .git are refused, directly or through a link")
    func gitDirectory() throws {
        let worktree = try EditWorktree([".git/config": fileText("[core]"), "src/a.swift": Self.swiftFile])
        try worktree.link("g", to: ".git")
        try worktree.link("hooks", to: ".git/hooks-not-yet")
        let before = try worktree.snapshot()
        let direct = try worktree.applier().apply(answer: Self.editA + modelAnswer(".git/config", "```", "[core]", "\thooksPath = /tmp/evil", "```"))
        #expect(direct.feedback?.reasons == [.gitDirectory])
        let linked = try worktree.applier().apply(answer: Self.editA + modelAnswer("g/config", "```", "x", "```"))
        #expect(linked.feedback?.reasons == [.symlinkEscape])
        #expect(linked.feedback?.text.contains("g is a symbolic link into .git") == true)
        let dangling = try worktree.applier().apply(answer: modelAnswer("hooks/pre-commit", "```", "x", "```"))
        #expect(dangling.feedback?.reasons == [.symlinkEscape])
        #expect(try worktree.snapshot() == before)
    }

    @Test("a symbolic link inside the worktree is followed: the file it leads to is edited and the link stays")
    func linkInside() throws {
        let worktree = try EditWorktree(["real/a.txt": fileText("one"), "real/b.txt": fileText("bee")])
        try worktree.link("alias", to: "real")
        try worktree.link("current.txt", to: "real/b.txt")
        let outcome = try worktree.applier().apply(answer: modelAnswer(
            "alias/a.txt", "```", "<<<<<<< SEARCH", "one", "=======", "two", ">>>>>>> REPLACE", "```",
            "current.txt", "```", "<<<<<<< SEARCH", "bee", "=======", "wasp", ">>>>>>> REPLACE", "```",
            "alias/c.txt", "```", "sea", "```"
        ))
        #expect(outcome.plan != nil, "\(outcome)")
        #expect(worktree.read("real/a.txt") == fileText("two"))
        #expect(worktree.read("real/b.txt") == fileText("wasp"))
        #expect(worktree.read("real/c.txt") == fileText("sea"))
        #expect(try worktree.snapshot()["alias"] == .link("real"))
        #expect(try worktree.snapshot()["current.txt"] == .link("real/b.txt"))
    }

    @Test("two paths that are one file through a link conflict")
    func aliasConflict() throws {
        let worktree = try EditWorktree(["real/a.txt": fileText("one")])
        try worktree.link("alias", to: "real")
        let outcome = try worktree.applier().apply(answer: modelAnswer("real/a.txt", "```", "x", "```", "alias/a.txt", "```", "y", "```"))
        #expect(outcome.feedback?.reasons == [.pathConflict])
        #expect(worktree.read("real/a.txt") == fileText("one"))
    }

    @Test("a protected path cannot be reached through a link")
    func protectedThroughLink() throws {
        let worktree = try EditWorktree(["secrets/key.pem": fileText("KEY")])
        try worktree.link("s", to: "secrets")
        let applier = worktree.applier(protected: ["secrets/**"])
        let direct = try applier.apply(answer: modelAnswer("secrets/key.pem", "```", "x", "```"))
        #expect(direct.feedback?.reasons == [.protectedPath])
        let linked = try applier.apply(answer: modelAnswer("s/key.pem", "```", "x", "```"))
        #expect(linked.feedback?.reasons == [.symlinkEscape])
        #expect(linked.feedback?.text.contains("secrets/key.pem") == true)
        #expect(worktree.read("secrets/key.pem") == fileText("KEY"))
    }

    @Test("a directory, or a file that is not UTF-8, cannot be edited")
    func unsupportedFiles() throws {
        let worktree = try EditWorktree(["dir/inside.txt": fileText("x")])
        try worktree.write("latin1.txt", [0x63, 0x61, 0x66, 0xE9, 0x0A])
        let before = try worktree.snapshot()
        let outcome = try worktree.applier().apply(answer: modelAnswer("dir", "```", "x", "```", "latin1.txt", "```", "cafe", "```"))
        #expect(outcome.feedback?.reasons == [.unsupportedFile, .unsupportedFile])
        #expect(outcome.feedback?.text.contains("dir is a directory") == true)
        #expect(outcome.feedback?.text.contains("latin1.txt is not UTF-8 text") == true)
        #expect(try worktree.snapshot() == before)
    }

    @Test("a CRLF file stays CRLF, and a file without a final newline keeps it so")
    func lineEndings() throws {
        let worktree = try EditWorktree(["win.txt": "one\r\ntwo\r\n", "bare.txt": "a\nb"])
        let outcome = try worktree.applier().apply(answer: modelAnswer(
            "win.txt", "```", "<<<<<<< SEARCH", "two", "=======", "2", ">>>>>>> REPLACE", "```",
            "bare.txt", "```", "<<<<<<< SEARCH", "b", "=======", "B", ">>>>>>> REPLACE", "```"
        ))
        #expect(outcome.plan?.changes.map(\.lines) == [LineChangeCount(added: 1, removed: 1), LineChangeCount(added: 1, removed: 1)])
        #expect(worktree.read("win.txt") == "one\r\n2\r\n")
        #expect(worktree.read("bare.txt") == "a\nB")
    }

    @Test("the diff guard applies to what would be written")
    func diffGuard() throws {
        let worktree = try EditWorktree()
        let outcome = try worktree.applier(limits: DiffLimits(maxFiles: 1, maxChangedLines: nil))
            .apply(answer: modelAnswer("a.txt", "```", "a", "```", "b.txt", "```", "b", "```"))
        #expect(outcome.feedback?.reasons == [.tooManyFiles])
        #expect(try worktree.snapshot().isEmpty)
    }

    @Test("a worktree that does not exist is an error naming it")
    func missingWorktree() {
        let applier = EditApplier(worktree: "/nonexistent/conductor-worktree")
        expectFileSystemError(pathContaining: "/nonexistent/conductor-worktree") {
            _ = try applier.apply(answer: modelAnswer("a.txt", "```", "a", "```"))
        }
    }
}
