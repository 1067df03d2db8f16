import ConductorTesting
import Foundation
import GitKit
import Testing

@Suite("GitKit status, HEAD and restoring paths")
struct StatusTests {
    /// `git status --porcelain` with the same choices as ``Repository/status()``.
    func porcelain(_ fixture: GitFixture) throws -> [String] {
        try fixture.git("status", "--porcelain", "--no-renames", "--ignore-submodules", "--untracked-files=all").stdout
            .split(separator: "\n").map(String.init)
    }

    func ours(_ repository: Repository) throws -> [String] {
        try repository.status().map { "\($0.porcelainCode) \($0.path)" }
    }

    @Test("status lists what git status --porcelain lists, in the same order, with the same codes")
    func matchesGit() throws {
        let fixture = try GitFixture()
        try fixture.commit("Files", files: [
            "keep.txt": "keep\n", "change.txt": "old\n", "gone.txt": "bye\n", "staged.txt": "s\n", "both.txt": "b\n",
            ".gitignore": "*.log\nbuild/\n", "dir/nested.txt": "n\n", "tool.sh": "#!/bin/sh\n",
        ])
        let repository = try fixture.open()
        #expect(try repository.status().isEmpty)

        try fixture.write("change.txt", "new\n")
        try FileManager.default.removeItem(atPath: fixture.path + "/gone.txt")
        try fixture.write("staged.txt", "staged change\n")
        try fixture.git("add", "staged.txt")
        try fixture.write("both.txt", "staged\n")
        try fixture.git("add", "both.txt")
        try fixture.write("both.txt", "then changed again\n")
        try fixture.write("new/deep/file.swift", "print(1)\n")
        try fixture.write("untracked.txt", "u\n")
        try fixture.write("added.txt", "a\n")
        try fixture.git("add", "added.txt")
        try fixture.write("debug.log", "ignored\n")
        try fixture.write("build/out.o", "ignored too\n")
        try FileManager.default.removeItem(atPath: fixture.path + "/dir/nested.txt")
        try FileManager.default.createSymbolicLink(atPath: fixture.path + "/dir/nested.txt", withDestinationPath: "../keep.txt")
        try FileManager.default.createSymbolicLink(atPath: fixture.path + "/escape", withDestinationPath: "/tmp")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fixture.path + "/tool.sh")

        let expected = try porcelain(fixture)
        #expect(expected.count == 10, "the scenario covers what it means to: \(expected)")
        #expect(try ours(repository) == expected)
        let untracked = try repository.status().filter(\.isUntracked).map(\.path)
        #expect(untracked == ["escape", "new/deep/file.swift", "untracked.txt"])
    }

    @Test("a nested repository is listed as one directory, as git does")
    func nestedRepository() throws {
        let fixture = try GitFixture()
        try fixture.write("sub/file.txt", "x\n")
        try fixture.git(["init", "-q"], in: "sub")
        #expect(try ours(fixture.open()) == porcelain(fixture))
        #expect(try fixture.open().status().map(\.path) == ["sub/"])
    }

    @Test("head names the branch and commit; setHead and resetKeepingWorkingTree undo a commit and a branch switch, keeping the files")
    func headAndReset() throws {
        let fixture = try GitFixture()
        let base = try #require(ObjectID(hex: fixture.revParse("HEAD")))
        let repository = try fixture.open()
        #expect(try repository.head().reference == "refs/heads/main")
        #expect(try repository.head().commit == base)

        try fixture.git("switch", "-q", "-c", "elsewhere")
        try fixture.commit("Agent commit", files: ["made.txt": "by the agent\n"])
        #expect(try repository.head().reference == "refs/heads/elsewhere")

        try repository.setHead(reference: "refs/heads/main", commit: nil)
        try repository.resetKeepingWorkingTree(to: base)
        #expect(try fixture.git("symbolic-ref", "HEAD").output == "refs/heads/main")
        #expect(try fixture.revParse("HEAD") == base.hex)
        #expect(try porcelain(fixture) == ["?? made.txt"], "the commit's change is back in the working tree, unstaged")

        // A commit on the branch itself.
        try fixture.git("add", "made.txt")
        try fixture.git("commit", "-q", "-m", "Agent commit on main")
        try repository.resetKeepingWorkingTree(to: base)
        #expect(try fixture.revParse("main") == base.hex)
        #expect(try porcelain(fixture) == ["?? made.txt"])

        try fixture.git("checkout", "-q", "--detach")
        #expect(try repository.head().reference == nil)
        try repository.setHead(reference: nil, commit: base)
        #expect(try repository.head().commit == base)
    }

    @Test("restoreFromHead puts back modified and deleted files exactly, and leaves other paths alone; a retyped path must be removed first")
    func restore() throws {
        let fixture = try GitFixture()
        try fixture.commit("Files", files: ["a.txt": "a\n", "b.txt": "b\n", "c.txt": "c\n", "d.txt": "d\n"])
        let repository = try fixture.open()
        try fixture.write("a.txt", "changed\n")
        try FileManager.default.removeItem(atPath: fixture.path + "/b.txt")
        try FileManager.default.removeItem(atPath: fixture.path + "/c.txt")
        try FileManager.default.createSymbolicLink(atPath: fixture.path + "/c.txt", withDestinationPath: "/etc/passwd")
        try fixture.write("d.txt", "kept change\n")
        try fixture.write("new.txt", "untracked\n")

        try repository.restoreFromHead(["a.txt", "b.txt", "c.txt", "not-in-head.txt"])
        #expect(try porcelain(fixture) == [" T c.txt", " M d.txt", "?? new.txt"], "libgit2 leaves a link where HEAD has a file")
        try FileManager.default.removeItem(atPath: fixture.path + "/c.txt")
        try repository.restoreFromHead(["c.txt"])
        #expect(try porcelain(fixture) == [" M d.txt", "?? new.txt"])
        #expect(try String(contentsOfFile: fixture.path + "/c.txt", encoding: .utf8) == "c\n")
        #expect(try FileManager.default.attributesOfItem(atPath: fixture.path + "/c.txt")[.type] as? FileAttributeType == .typeRegular)
    }

    @Test("tree entries tell symbolic links and executables apart")
    func modes() throws {
        let fixture = try GitFixture()
        try fixture.write("run.sh", "#!/bin/sh\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fixture.path + "/run.sh")
        try FileManager.default.createSymbolicLink(atPath: fixture.path + "/link", withDestinationPath: "run.sh")
        try fixture.git("add", "run.sh", "link")
        try fixture.git("commit", "-q", "-m", "modes")
        let repository = try fixture.open()
        let tree = try repository.tree(repository.commit(#require(repository.head().commit)).tree)
        #expect(tree.entry(named: "link")?.isSymbolicLink == true)
        #expect(tree.entry(named: "run.sh")?.mode == 0o100755)
        #expect(tree.entry(named: "README.md")?.mode == 0o100644)
        #expect(tree.entry(named: "README.md")?.isSymbolicLink == false)
    }
}
