import ConductorTesting
import Foundation
import GitKit
import Testing

extension GitFixture {
    /// `.git/conductor/worktrees/<name>`, with its parent created (libgit2 wants the parent).
    func worktreePath(_ name: String) throws -> String {
        let parent = gitDirectory + "/conductor/worktrees"
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        return parent + "/" + name
    }

    /// `git worktree list --porcelain`, one dictionary per worktree (`worktree`, `HEAD`,
    /// `branch`, and `prunable`/`locked` when git says so).
    func worktreeList() throws -> [[String: String]] {
        let text = try git("worktree", "list", "--porcelain").stdout
        return text.components(separatedBy: "\n\n").compactMap { block in
            var fields: [String: String] = [:]
            for line in block.split(separator: "\n") {
                let parts = line.split(separator: " ", maxSplits: 1)
                fields[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
            }
            return fields.isEmpty ? nil : fields
        }
    }
}

@Suite("GitKit branches without checkout")
struct WorktreeBranchTests {
    @Test("a branch is created at a commit without touching HEAD, index or work tree")
    func createBranch() throws {
        let fixture = try GitFixture()
        try fixture.write("README.md", "dirty\n")
        let before = try fixture.fingerprint()
        let repository = try fixture.open()
        let base = try oid(fixture.revParse("HEAD"))
        #expect(try !repository.branchExists("conductor/x-aaaaaa"))
        try repository.createBranch("conductor/x-aaaaaa", at: base, logMessage: "test: create")
        #expect(try repository.branchExists("conductor/x-aaaaaa"))
        #expect(try fixture.revParse("refs/heads/conductor/x-aaaaaa") == base.hex)
        #expect(try fixture.git("symbolic-ref", "HEAD").output == "refs/heads/main")
        let after = try fixture.fingerprint()
        // The fingerprint leaves the conductor's own branches out; nothing of the user's changed.
        #expect(after == before, "\(after.describeDifferences(from: before))")
        #expect(try fixture.git("reflog", "show", "--format=%gs", "conductor/x-aaaaaa").output == "test: create")
        try fixture.fsck()
    }

    @Test("creating an existing branch fails with 'exists' and leaves it alone")
    func existing() throws {
        let fixture = try GitFixture()
        let first = try fixture.revParse("HEAD")
        let second = try fixture.commit("Second")
        try fixture.git("branch", "conductor/taken", first)
        let repository = try fixture.open()
        let error = expectGitError { try repository.createBranch("conductor/taken", at: oid(second), logMessage: "x") }
        #expect(error?.alreadyExists == true)
        #expect(error?.isConcurrentUpdate == true)
        #expect(try fixture.revParse("refs/heads/conductor/taken") == first)
        // main exists too, and is HEAD: still refused, still unmoved.
        #expect(expectGitError { try repository.createBranch("main", at: oid(first), logMessage: "x") }?.alreadyExists == true)
        #expect(try fixture.revParse("main") == second)
    }

    @Test("a branch must point at an existing commit")
    func onlyCommits() throws {
        let fixture = try GitFixture()
        let repository = try fixture.open()
        let tree = try oid(fixture.revParse("HEAD^{tree}"))
        expectGitError { try repository.createBranch("conductor/tree", at: tree, logMessage: "x") }
        let missing = try oid(String(repeating: "ab", count: 20))
        #expect(expectGitError { try repository.createBranch("conductor/missing", at: missing, logMessage: "x") }?.isNotFound == true)
        #expect(try !repository.branchExists("conductor/tree"))
        #expect(try !repository.branchExists("conductor/missing"))
    }

    @Test("names git rejects are rejected with libgit2's message")
    func invalidNames() throws {
        let fixture = try GitFixture()
        let repository = try fixture.open()
        let head = try oid(fixture.revParse("HEAD"))
        for name in ["a..b", "x.lock", "with space", "trailing/", "@{x}"] {
            expectGitError("\(name)") { try repository.createBranch(name, at: head, logMessage: "x") }
        }
    }

    @Test("deleting a reference is a compare-and-swap")
    func deleteReference() throws {
        let fixture = try GitFixture()
        let first = try oid(fixture.revParse("HEAD"))
        let second = try oid(fixture.commit("Second"))
        try fixture.git("branch", "conductor/d", first.hex)
        let repository = try fixture.open()
        #expect(expectGitError { try repository.deleteReference("refs/heads/conductor/d", expected: second) }?.isConcurrentUpdate == true)
        #expect(try repository.branchExists("conductor/d"))
        try repository.deleteReference("refs/heads/conductor/d", expected: first)
        #expect(try !repository.branchExists("conductor/d"))
        #expect(expectGitError { try repository.deleteReference("refs/heads/conductor/d", expected: first) }?.isNotFound == true)
    }

    @Test("HEAD's symbolic target, nil when detached or missing")
    func symbolicTarget() throws {
        let fixture = try GitFixture()
        let repository = try fixture.open()
        #expect(try repository.symbolicTarget(of: "HEAD") == "refs/heads/main")
        #expect(try repository.symbolicTarget(of: "refs/heads/main") == nil)
        #expect(try repository.symbolicTarget(of: "refs/heads/none") == nil)
        try fixture.git("checkout", "-q", "--detach")
        #expect(try fixture.open().symbolicTarget(of: "HEAD") == nil)
    }
}

@Suite("GitKit worktrees")
struct WorktreeTests {
    @Test("a worktree is added on a branch under .git/conductor/worktrees, and git agrees")
    func add() throws {
        let fixture = try GitFixture()
        try fixture.write("README.md", "user's dirty edit\n")
        try fixture.write("staged.txt", "staged\n")
        try fixture.git("add", "staged.txt")
        let before = try fixture.fingerprint()
        let repository = try fixture.open()
        let head = try oid(fixture.revParse("HEAD"))
        try repository.createBranch("conductor/task-aaaaaa", at: head, logMessage: "x")
        #expect(try repository.worktreeNames().isEmpty)
        #expect(try repository.worktree(named: "run1") == nil)

        let path = try fixture.worktreePath("run1")
        let worktree = try repository.addWorktree(named: "run1", at: path, checkingOut: "conductor/task-aaaaaa")
        #expect(worktree.name == "run1")
        #expect(worktree.path == path)
        #expect(worktree.isValid)
        try worktree.validate()
        #expect(try worktree.lockReason() == nil)
        #expect(try repository.worktreeNames() == ["run1"])
        #expect(try repository.worktree(named: "run1")?.path == path)
        #expect(try repository.worktrees().map(\.name) == ["run1"])
        #expect(try repository.isBranchCheckedOut("conductor/task-aaaaaa"))
        #expect(try repository.isBranchCheckedOut("main"))
        #expect(try !repository.isBranchCheckedOut("nope"))
        #expect(!repository.isLinkedWorktree)

        let listed = try fixture.worktreeList()
        #expect(listed.count == 2)
        #expect(listed.last?["worktree"] == path)
        #expect(listed.last?["branch"] == "refs/heads/conductor/task-aaaaaa")
        #expect(listed.last?["HEAD"] == head.hex)
        // The committed README, not the user's dirty one; nothing staged, nothing untracked.
        #expect(try String(contentsOfFile: path + "/README.md", encoding: .utf8) == "# Fixture\n\nA repository made for a test.\n")
        #expect(!FileManager.default.fileExists(atPath: path + "/staged.txt"))
        #expect(try runProcess("git", ["status", "--porcelain=v1", "--untracked-files=all"], in: path, environment: fixture.environment).output.isEmpty)

        let opened = try Repository.open(at: path)
        #expect(opened.isLinkedWorktree)
        #expect(try opened.symbolicTarget(of: "HEAD") == "refs/heads/conductor/task-aaaaaa")
        #expect(opened.commonDirectory == fixture.gitDirectory + "/")
        #expect(opened.gitDirectory == fixture.gitDirectory + "/worktrees/run1/")

        let after = try fixture.fingerprint()
        #expect(after.entries.filter { !$0.key.hasPrefix(".git/refs/heads/conductor") } == before.entries)
        #expect(try fixture.git("status", "--porcelain=v1").stdout == " M README.md\nA  staged.txt\n")
        try fixture.fsck()
    }

    @Test("a branch is checked out in one worktree only")
    func branchOnce() throws {
        let fixture = try GitFixture()
        let repository = try fixture.open()
        try repository.createBranch("conductor/once", at: oid(fixture.revParse("HEAD")), logMessage: "x")
        try repository.addWorktree(named: "a", at: fixture.worktreePath("a"), checkingOut: "conductor/once")
        let error = expectGitError { try repository.addWorktree(named: "b", at: fixture.worktreePath("b"), checkingOut: "conductor/once") }
        #expect(error?.message.contains("already checked out") == true)
        // The user's own branch, checked out in the main work tree, is refused the same way.
        expectGitError { try repository.addWorktree(named: "c", at: fixture.worktreePath("c"), checkingOut: "main") }
        expectGitError { try repository.addWorktree(named: "d", at: fixture.worktreePath("d"), checkingOut: "no-such-branch") }
    }

    @Test("names that would escape .git/worktrees are refused", arguments: ["", "a/b", "../x", ".hidden"])
    func badNames(name: String) throws {
        let fixture = try GitFixture()
        let repository = try fixture.open()
        let error = expectGitError { try repository.addWorktree(named: name, at: fixture.worktreePath("w"), checkingOut: "main") }
        #expect(error?.errorClass == "worktree")
        #expect(!FileManager.default.fileExists(atPath: fixture.gitDirectory + "/worktrees"))
    }

    @Test("prune refuses a valid or locked worktree unless told, and can delete its directory")
    func prune() throws {
        let fixture = try GitFixture()
        let repository = try fixture.open()
        try repository.createBranch("conductor/p", at: oid(fixture.revParse("HEAD")), logMessage: "x")
        let path = try fixture.worktreePath("p")
        let worktree = try repository.addWorktree(named: "p", at: path, checkingOut: "conductor/p")
        #expect(!worktree.isPrunable())
        #expect(worktree.isPrunable([.valid]))
        #expect(expectGitError { try worktree.prune() }?.message.contains("valid") == true)

        try worktree.lock(reason: "inspecting")
        #expect(try worktree.lockReason() == "inspecting")
        #expect(try fixture.worktreeList().last?["locked"] == "inspecting")
        #expect(expectGitError { try worktree.prune([.valid, .workingTree]) }?.message.contains("locked") == true)
        try worktree.unlock()
        #expect(try worktree.lockReason() == nil)
        try worktree.lock(reason: nil)
        #expect(try worktree.lockReason() == "")
        try worktree.unlock()

        try worktree.prune([.valid, .workingTree])
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(!FileManager.default.fileExists(atPath: fixture.gitDirectory + "/worktrees/p"))
        #expect(try repository.worktreeNames().isEmpty)
        #expect(try fixture.worktreeList().count == 1)
        // The branch stays.
        #expect(try repository.branchExists("conductor/p"))
        try fixture.fsck()
    }

    @Test("a worktree whose directory was deleted is invalid, prunable, and can be added again")
    func stale() throws {
        let fixture = try GitFixture()
        let repository = try fixture.open()
        try repository.createBranch("conductor/s", at: oid(fixture.revParse("HEAD")), logMessage: "x")
        let path = try fixture.worktreePath("s")
        try repository.addWorktree(named: "s", at: path, checkingOut: "conductor/s")
        try FileManager.default.removeItem(atPath: path)

        let worktree = try #require(try repository.worktree(named: "s"))
        #expect(!worktree.isValid)
        let error = expectGitError { try worktree.validate() }
        #expect(error?.message.contains("does not exist") == true)
        #expect(try fixture.worktreeList().last?["prunable"] != nil)
        #expect(worktree.isPrunable())
        try worktree.prune()
        #expect(try repository.worktreeNames().isEmpty)
        #expect(try fixture.worktreeList().count == 1)

        try repository.addWorktree(named: "s", at: path, checkingOut: "conductor/s")
        #expect(try fixture.worktreeList().last?["branch"] == "refs/heads/conductor/s")
        try fixture.fsck()
    }

    @Test("plain git sees libgit2's worktree as its own: status, commit, remove")
    func gitInterop() throws {
        let fixture = try GitFixture()
        let repository = try fixture.open()
        try repository.createBranch("conductor/g", at: oid(fixture.revParse("HEAD")), logMessage: "x")
        let path = try fixture.worktreePath("g")
        try repository.addWorktree(named: "g", at: path, checkingOut: "conductor/g")
        try Data("from git\n".utf8).write(to: URL(fileURLWithPath: path + "/git.txt"))
        try runProcess("git", ["add", "git.txt"], in: path, environment: fixture.environment)
        let commit = try runProcess("git", ["commit", "-q", "-m", "via git"], in: path, environment: fixture.environment)
        #expect(commit.succeeded, "\(commit)")
        #expect(try fixture.git("log", "-1", "--format=%s", "conductor/g").output == "via git")
        try fixture.git("worktree", "remove", path)
        #expect(try repository.worktreeNames().isEmpty)
        try fixture.fsck()
    }
}
