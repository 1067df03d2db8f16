import ConductorTesting
import Foundation
import GitKit
import Testing

@Suite("GitKit index in a worktree")
struct WorktreeIndexTests {
    /// A fixture with a few committed files and a worktree on `conductor/i` at HEAD.
    private func worktree() throws -> (GitFixture, path: String, base: ObjectID) {
        let fixture = try GitFixture()
        try fixture.commit("Files", files: ["keep.txt": "keep\n", "change.txt": "old\n", "gone.txt": "bye\n", ".gitignore": "*.log\n"])
        let repository = try fixture.open()
        let base = try oid(fixture.revParse("HEAD"))
        try repository.createBranch("conductor/i", at: base, logMessage: "x")
        let path = try fixture.worktreePath("i")
        try repository.addWorktree(named: "i", at: path, checkingOut: "conductor/i")
        return (fixture, path, base)
    }

    private func write(_ path: String, _ contents: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
    }

    @Test("staging all and committing on the branch, as the engine does, in the worktree only")
    func stageAndCommit() throws {
        let (fixture, path, base) = try worktree()
        try fixture.write("change.txt", "the user's own edit\n")
        try fixture.git("add", "change.txt")
        let before = try fixture.fingerprint()

        try write(path + "/change.txt", "new\n")
        try FileManager.default.removeItem(atPath: path + "/gone.txt")
        try write(path + "/src/new.swift", "print(1)\n")
        try write(path + "/debug.log", "ignored\n")

        let checkout = try Repository.open(at: path)
        let index = try checkout.index()
        #expect(index.paths == [".gitignore", "README.md", "change.txt", "gone.txt", "keep.txt"])
        try index.stageAll()
        #expect(index.paths == [".gitignore", "README.md", "change.txt", "keep.txt", "src/new.swift"])
        try index.write()
        let tree = try index.writeTree()
        let commit = try checkout.createCommit(tree: tree, parents: [base], message: "Work\n", author: testSignature, committer: testSignature)
        try checkout.updateReference("refs/heads/conductor/i", to: commit, expected: base, logMessage: "test: commit")

        #expect(try fixture.git("log", "--format=%H %P", "-1", "conductor/i").output == "\(commit.hex) \(base.hex)")
        #expect(try fixture.git("diff", "--name-status", base.hex, "conductor/i").output == "M\tchange.txt\nD\tgone.txt\nA\tsrc/new.swift")
        let status = try runProcess("git", ["status", "--porcelain=v1", "--untracked-files=all"], in: path, environment: fixture.environment)
        #expect(status.output.isEmpty, "worktree status: \(status.stdout)")
        // The user's checkout: same index (their staged edit), same HEAD, same files.
        // (The task branch itself moved, of course: it lives under refs/heads/conductor/.)
        let after = try fixture.fingerprint()
        let user = { (fingerprint: CheckoutFingerprint) in fingerprint.entries.filter { !$0.key.hasPrefix(".git/refs/heads/conductor") } }
        #expect(user(after) == user(before), "\(after.describeDifferences(from: before))")
        #expect(try fixture.git("diff", "--cached", "--name-only").output == "change.txt")
        try fixture.fsck()
    }

    @Test("the index of an unchanged worktree writes the base tree")
    func unchanged() throws {
        let (fixture, path, base) = try worktree()
        let checkout = try Repository.open(at: path)
        let index = try checkout.index()
        try index.stageAll()
        #expect(try index.writeTree() == checkout.commit(base).tree)
        #expect(try fixture.git("rev-parse", "HEAD^{tree}").output == checkout.commit(base).tree.hex)
    }

    @Test("unsaved changes are dropped by reload")
    func reload() throws {
        // Keep the fixture alive: releasing it deletes the repository.
        let (fixture, path, _) = try worktree()
        defer { withExtendedLifetime(fixture) {} }
        try write(path + "/extra.txt", "x\n")
        let index = try Repository.open(at: path).index()
        let count = index.count
        try index.stageAll()
        #expect(index.count == count + 1)
        try index.reload()
        #expect(index.count == count)
    }
}
