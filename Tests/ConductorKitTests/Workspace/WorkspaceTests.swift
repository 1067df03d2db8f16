import ConductorDomain
import ConductorKit
import ConductorTesting
import Foundation
import GitKit
import Testing

@Suite("Run workspace")
struct WorkspaceTests {
    @Test("create makes the task branch at the base and a worktree on it under .git/conductor/worktrees")
    func create() throws {
        let fixture = try GitFixture()
        let (repository, store) = try fixture.initializedStore()
        let record = try fixture.workspaceRun(store)
        let manager = WorktreeManager(repository: repository)

        let workspace = try manager.create(for: record)
        #expect(workspace.run == record.id)
        #expect(workspace.origin == .created)
        #expect(workspace.branch.rawValue == record.taskBranch)
        #expect(workspace.branch.rawValue == "conductor/fix-the-login-timeout-\(record.id.shortTag)")
        #expect(workspace.path == fixture.runWorktreePath(record.id))
        #expect(manager.path(for: record.id) == workspace.path)
        #expect(manager.worktreesDirectory == fixture.gitDirectory + "/conductor/worktrees")

        #expect(try fixture.revParse("refs/heads/\(record.taskBranch)") == record.baseCommit)
        let all = try fixture.porcelainWorktrees()
        let listed = try #require(all.first { $0["worktree"] == workspace.path }, "git worktree list: \(all)")
        #expect(listed["branch"] == "refs/heads/\(record.taskBranch)")
        #expect(listed["HEAD"] == record.baseCommit)
        #expect(try fixture.gitIn(workspace.path, "status", "--porcelain=v1", "--untracked-files=all").output.isEmpty)
        #expect(try fixture.gitIn(workspace.path, "rev-parse", "--abbrev-ref", "HEAD").output == record.taskBranch)
        #expect(FileManager.default.fileExists(atPath: workspace.path + "/README.md"))
        // The user's HEAD is where it was.
        #expect(try fixture.git("symbolic-ref", "HEAD").output == "refs/heads/main")
        try fixture.fsck()
    }

    @Test("commitAll commits every change on the task branch with the base as parent")
    func commitAll() throws {
        let fixture = try GitFixture()
        try fixture.commit("Sources", files: ["Sources/app.swift": "print(1)\n", "obsolete.txt": "old\n", ".gitignore": "build/\n"])
        let (repository, store) = try fixture.initializedStore()
        let record = try fixture.workspaceRun(store, prompt: "Add a greeting")
        let manager = WorktreeManager(repository: repository)
        let workspace = try manager.create(for: record)

        try writeFile(workspace.path, "Sources/app.swift", "print(\"hello\")\n")
        try writeFile(workspace.path, "Sources/Greeting.swift", "let greeting = \"hi\"\n")
        try writeFile(workspace.path, "build/output.o", "ignored\n")
        try FileManager.default.removeItem(atPath: workspace.path + "/obsolete.txt")
        let message = "Add a greeting\n\nConductor-Run: \(record.id)\n"
        let commit = try #require(try manager.commitAll(in: workspace, message: message))

        #expect(try fixture.revParse("refs/heads/\(record.taskBranch)") == commit.hex)
        let history = try fixture.git("log", "--format=%H %P", record.taskBranch).lines
        let baseHistory = try fixture.git("log", "--format=%H %P", record.baseCommit).lines
        #expect(history == ["\(commit.hex) \(record.baseCommit)"] + baseHistory)
        #expect(try fixture.git("log", "-1", "--format=%B", record.taskBranch).stdout.hasPrefix(message))
        #expect(try fixture.git("log", "-1", "--format=%an <%ae>", record.taskBranch).output == "\(GitFixture.userName) <\(GitFixture.userEmail)>")
        #expect(try fixture.git("diff", "--name-status", record.baseCommit, record.taskBranch).lines == [
            "A\tSources/Greeting.swift", "M\tSources/app.swift", "D\tobsolete.txt",
        ])
        #expect(try fixture.gitIn(workspace.path, "status", "--porcelain=v1").output.isEmpty)

        // Nothing changed: nothing to commit, unless asked for an empty commit.
        #expect(try manager.commitAll(in: workspace, message: "Nothing") == nil)
        let empty = try #require(try manager.commitAll(in: workspace, message: "Empty\n", expectedParent: commit, allowEmpty: true))
        #expect(try repository.git.commit(empty).parents == [commit])
        #expect(try repository.git.commit(empty).tree == repository.git.commit(commit).tree)
        try fixture.fsck()
    }

    @Test("the user's checkout, dirty and with staged changes, stays byte-identical through it all")
    func userCheckoutUntouched() throws {
        let fixture = try GitFixture()
        try fixture.makeCheckoutBusy()
        let before = try fixture.fingerprint()
        // GIT_OPTIONAL_LOCKS=0: the checks' own `git status` must not refresh (rewrite) the
        // index it is checking, which git otherwise does when file times are racy.
        let readOnly = ["GIT_OPTIONAL_LOCKS": "0"]
        let view = try fixture.git(["status", "--porcelain=v1", "--untracked-files=all"], environment: readOnly).stdout
        let staged = try fixture.git("diff", "--cached").stdout
        let branches = try fixture.git("for-each-ref", "--format=%(refname) %(objectname)", "refs/heads/").lines
        func check(_ step: String) throws {
            let now = try fixture.fingerprint()
            #expect(now == before, "after \(step): \(now.describeDifferences(from: before))")
            #expect(try fixture.git(["status", "--porcelain=v1", "--untracked-files=all"], environment: readOnly).stdout == view, "after \(step)")
            #expect(try fixture.git("diff", "--cached").stdout == staged, "after \(step)")
            try fixture.fsck()
        }

        let (repository, store) = try fixture.initializedStore()
        let manager = WorktreeManager(repository: repository)
        let record = try fixture.workspaceRun(store)
        let workspace = try manager.create(for: record)
        try check("create")
        try writeFile(workspace.path, "Sources/app/main.swift", "print(42)\n")
        try writeFile(workspace.path, "untracked/notes.txt", "the run's, not the user's\n")
        let commit = try #require(try manager.commitAll(in: workspace, message: "Work"))
        try check("commitAll")
        #expect(try fixture.git("show", "\(commit.hex):Sources/app/main.swift").stdout == "print(42)\n")
        try FileManager.default.removeItem(atPath: workspace.path)
        _ = try manager.open(for: record)
        try check("open (recreate)")
        try manager.remove(for: record.id)
        try check("remove")
        _ = try manager.gc(stateOf: repository.stateSnapshot())
        try check("gc")

        let after = try fixture.git("for-each-ref", "--format=%(refname) %(objectname)", "refs/heads/").lines
        let added = Set(after).subtracting(branches)
        #expect(added.map { String($0.split(separator: " ")[0]) }.sorted() == ["refs/heads/\(record.taskBranch)", stateBranch])
        #expect(Set(branches).isSubset(of: Set(after)))
    }

    @Test("two runs work in their own worktrees at once, created concurrently")
    func concurrentRuns() throws {
        let fixture = try GitFixture()
        let (_, store) = try fixture.initializedStore()
        let records = try (0..<4).map { try fixture.workspaceRun(store, prompt: "Task number \($0)") }
        let outcomes = WorkspaceOutcomes()
        DispatchQueue.concurrentPerform(iterations: records.count) { index in
            do {
                // Each thread opens its own repository, as each process would.
                let manager = WorktreeManager(repository: try fixture.conductor())
                let workspace = try manager.create(for: records[index])
                try writeFile(workspace.path, "task-\(index).txt", "run \(index)\n")
                guard let commit = try manager.commitAll(in: workspace, message: "Task \(index)") else {
                    throw ConductorError.worktreeConflict(path: workspace.path, detail: "nothing to commit")
                }
                outcomes.add(index, .success((workspace, commit)))
            } catch {
                outcomes.add(index, .failure(error))
            }
        }
        let listed = try fixture.porcelainWorktrees()
        #expect(listed.count == records.count + 1)
        for (index, record) in records.enumerated() {
            let (workspace, commit) = try #require(try outcomes.result(index)?.get())
            #expect(try fixture.revParse("refs/heads/\(record.taskBranch)") == commit.hex)
            #expect(try fixture.git("ls-tree", "--name-only", record.taskBranch).lines == ["README.md", "task-\(index).txt"])
            #expect(try fixture.listedWorktree(at: workspace.path)?["branch"] == "refs/heads/\(record.taskBranch)")
            #expect(try fixture.gitIn(workspace.path, "status", "--porcelain=v1").output.isEmpty)
        }
        try fixture.fsck()
    }

    @Test("remove deletes the directory and the record, keeps the branch, and leaves fsck clean")
    func remove() throws {
        let fixture = try GitFixture()
        let (repository, store) = try fixture.initializedStore()
        let manager = WorktreeManager(repository: repository)
        let record = try fixture.workspaceRun(store)
        let workspace = try manager.create(for: record)
        try writeFile(workspace.path, "work.txt", "done\n")
        let commit = try #require(try manager.commitAll(in: workspace, message: "Work"))
        try writeFile(workspace.path, "scratch.txt", "uncommitted\n")

        #expect(try manager.remove(for: record.id))
        #expect(!FileManager.default.fileExists(atPath: workspace.path))
        #expect(!FileManager.default.fileExists(atPath: fixture.gitDirectory + "/worktrees/\(record.id)"))
        #expect(try fixture.porcelainWorktrees().count == 1)
        #expect(try fixture.listedWorktree(at: workspace.path) == nil)
        #expect(try fixture.revParse("refs/heads/\(record.taskBranch)") == commit.hex)
        try fixture.fsck()
        #expect(try fixture.git("worktree", "prune", "--dry-run", "-v").output.isEmpty)
        // Nothing left to remove.
        #expect(try !manager.remove(for: record.id))
    }

    @Test("a worktree whose directory was deleted is recreated from the task branch")
    func recreate() throws {
        let fixture = try GitFixture()
        let (repository, store) = try fixture.initializedStore()
        let manager = WorktreeManager(repository: repository)
        let record = try fixture.workspaceRun(store)
        let workspace = try manager.create(for: record)
        try writeFile(workspace.path, "committed.txt", "kept on the branch\n")
        let commit = try #require(try manager.commitAll(in: workspace, message: "Work"))

        let existing = try manager.open(for: record)
        #expect(existing.origin == .existing)
        #expect(existing.path == workspace.path && existing.branch == workspace.branch && existing.run == workspace.run)
        try FileManager.default.removeItem(atPath: workspace.path)  // rm -rf
        let reopened = try manager.open(for: record)
        #expect(reopened.origin == .recreated)
        #expect(reopened.path == workspace.path)
        #expect(try String(contentsOfFile: reopened.path + "/committed.txt", encoding: .utf8) == "kept on the branch\n")
        #expect(try fixture.gitIn(reopened.path, "status", "--porcelain=v1", "--untracked-files=all").output.isEmpty)
        #expect(try fixture.listedWorktree(at: reopened.path)?["HEAD"] == commit.hex)
        #expect(try fixture.porcelainWorktrees().count == 2)
        // And the run carries on from there.
        try writeFile(reopened.path, "more.txt", "more\n")
        let next = try #require(try manager.commitAll(in: reopened, message: "More", expectedParent: commit))
        #expect(try repository.git.commit(next).parents == [commit])
        try fixture.fsck()
    }

    @Test("the worktree is recreated in another clone from the fetched task branch")
    func recreateElsewhere() throws {
        let fixture = try GitFixture()
        let (repository, store) = try fixture.initializedStore()
        let record = try fixture.workspaceRun(store)
        let manager = WorktreeManager(repository: repository)
        let workspace = try manager.create(for: record)
        try writeFile(workspace.path, "a.txt", "a\n")
        let commit = try #require(try manager.commitAll(in: workspace, message: "Work"))

        let other = try TemporaryDirectory(prefix: "conductor-clone")
        let clone = other.appending("clone")
        let cloned = try runProcess("git", ["clone", "-q", "--no-local", fixture.path, clone], in: other.path, environment: fixture.environment)
        try #require(cloned.succeeded, "\(cloned)")
        let fetched = try runProcess("git", ["fetch", "-q", "origin", "\(record.taskBranch):\(record.taskBranch)"], in: clone, environment: fixture.environment)
        try #require(fetched.succeeded, "\(fetched)")
        let cloneManager = WorktreeManager(repository: try ConductorRepository.open(at: clone, environment: fixture.environment))
        let recreated = try cloneManager.open(for: record)
        #expect(recreated.origin == .recreated)
        #expect(recreated.path == clone + "/.git/conductor/worktrees/\(record.id)")
        #expect(try runProcess("git", ["rev-parse", "HEAD"], in: recreated.path, environment: fixture.environment).output == commit.hex)
    }

    @Test("precheck: an existing task branch is a clear error, and nothing is created")
    func branchExists() throws {
        let fixture = try GitFixture()
        let (repository, store) = try fixture.initializedStore()
        let manager = WorktreeManager(repository: repository)
        let record = try fixture.workspaceRun(store)
        let branch = try WorktreeManager.taskBranch(of: record)
        #expect(try manager.isTaskBranchFree(branch))
        try manager.requireTaskBranchFree(branch)

        try fixture.git("branch", record.taskBranch, "HEAD")
        #expect(try !manager.isTaskBranchFree(branch))
        expectConductorError(.taskBranchExists(record.taskBranch)) { try manager.requireTaskBranchFree(branch) }
        expectConductorError(.taskBranchExists(record.taskBranch)) { _ = try manager.create(for: record) }
        #expect(!FileManager.default.fileExists(atPath: fixture.runWorktreePath(record.id)))
        #expect(try fixture.porcelainWorktrees().count == 1)
        let error = ConductorError.taskBranchExists(record.taskBranch)
        #expect(error.description == "task branch \(record.taskBranch) already exists")
        #expect(error.hint?.contains("git branch -D \(record.taskBranch)") == true)
    }

    @Test("creating twice for one run fails without harming the first worktree")
    func createTwice() throws {
        let fixture = try GitFixture()
        let (repository, store) = try fixture.initializedStore()
        let manager = WorktreeManager(repository: repository)
        let record = try fixture.workspaceRun(store)
        let workspace = try manager.create(for: record)
        try writeFile(workspace.path, "mine.txt", "in progress\n")
        expectConductorError(.taskBranchExists(record.taskBranch)) { _ = try manager.create(for: record) }
        #expect(FileManager.default.fileExists(atPath: workspace.path + "/mine.txt"))
        #expect(try fixture.revParse("refs/heads/\(record.taskBranch)") == record.baseCommit)
    }

    @Test("invalid branch names and missing base commits are refused before anything is made")
    func refusals() throws {
        let fixture = try GitFixture()
        let (repository, store) = try fixture.initializedStore()
        let manager = WorktreeManager(repository: repository)
        let good = try fixture.workspaceRecord(store)
        for hostile in ["--force", "../../etc", "conductor/x..y", "conductor/a.lock", "main branch", ""] {
            let record = good.replacingWorkspaceFields(taskBranch: hostile)
            let reason = try #require(TaskBranchName.problem(with: hostile)).description
            expectConductorError(.invalidBranchName(hostile, reason: reason)) { _ = try manager.create(for: record) }
            expectConductorError(.invalidBranchName(hostile, reason: reason)) { _ = try manager.open(for: record) }
        }
        let escape = good.replacingWorkspaceFields(taskBranch: "conductor/\u{1b}[2Jx")
        expectConductorError(.invalidBranchName("\"conductor/\\u{1B}[2Jx\"", reason: "it contains U+1B; only letters, digits, '.', '_', '/' and '-' are allowed")) {
            _ = try manager.create(for: escape)
        }
        let missing = good.replacingWorkspaceFields(baseCommit: String(repeating: "ab", count: 20))
        expectConductorError(.baseCommitMissing(missing.baseCommit)) { _ = try manager.create(for: missing) }
        let garbage = good.replacingWorkspaceFields(baseCommit: "HEAD")
        expectConductorError(.baseCommitMissing("HEAD")) { _ = try manager.create(for: garbage) }
        #expect(try fixture.git("for-each-ref", "refs/heads/conductor").output.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: fixture.gitDirectory + "/worktrees"))
    }

    @Test("opening a run whose branch is gone says so")
    func branchMissing() throws {
        let fixture = try GitFixture()
        let (repository, store) = try fixture.initializedStore()
        let manager = WorktreeManager(repository: repository)
        let record = try fixture.workspaceRun(store)
        expectConductorError(.taskBranchMissing(record.taskBranch)) { _ = try manager.open(for: record) }
    }

    @Test("a directory in the way is a conflict, not something to delete")
    func directoryInTheWay() throws {
        let fixture = try GitFixture()
        let (repository, store) = try fixture.initializedStore()
        let manager = WorktreeManager(repository: repository)
        let record = try fixture.workspaceRun(store)
        try writeFile(fixture.runWorktreePath(record.id), "precious.txt", "someone's\n")
        let error = #expect(throws: ConductorError.self) { _ = try manager.create(for: record) }
        guard case .worktreeConflict(let path, _)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(path == fixture.runWorktreePath(record.id))
        #expect(try fixture.git("branch", "--list", record.taskBranch).output.isEmpty, "no branch is created")
        #expect(FileManager.default.fileExists(atPath: fixture.runWorktreePath(record.id) + "/precious.txt"))
        #expect(throws: ConductorError.self) { _ = try manager.open(for: record) }
        #expect(FileManager.default.fileExists(atPath: fixture.runWorktreePath(record.id) + "/precious.txt"))
    }

    @Test("commitAll refuses a worktree on the wrong branch, and a branch moved by someone else")
    func commitGuards() throws {
        let fixture = try GitFixture()
        let (repository, store) = try fixture.initializedStore()
        let manager = WorktreeManager(repository: repository)
        let record = try fixture.workspaceRun(store)
        let workspace = try manager.create(for: record)
        try writeFile(workspace.path, "a.txt", "a\n")

        // Someone moves the task branch: with the run's last commit given, nothing is committed.
        let base = try #require(ObjectID(hex: record.baseCommit))
        let foreign = try fixture.commit("Someone else's commit")
        try fixture.git("update-ref", "refs/heads/\(record.taskBranch)", foreign)
        let moved = #expect(throws: ConductorError.self) { _ = try manager.commitAll(in: workspace, message: "x", expectedParent: base) }
        #expect(moved?.description.contains("nothing was committed") == true)
        #expect(try fixture.revParse("refs/heads/\(record.taskBranch)") == foreign)
        try fixture.git("update-ref", "refs/heads/\(record.taskBranch)", record.baseCommit)

        // Someone checks out another branch in the run's worktree.
        try fixture.gitIn(workspace.path, "checkout", "-q", "-b", "elsewhere")
        let wrong = #expect(throws: ConductorError.self) { _ = try manager.commitAll(in: workspace, message: "x") }
        #expect(wrong?.description.contains("HEAD is on refs/heads/elsewhere") == true)
        expectConductorError(.worktreeConflict(path: workspace.path, detail: "HEAD is on refs/heads/elsewhere, not on the task branch \(record.taskBranch)")) {
            _ = try manager.open(for: record)
        }
        #expect(try fixture.revParse("refs/heads/\(record.taskBranch)") == record.baseCommit)
    }

    @Test("finish removes or keeps the worktree as the retention policy says")
    func finish() throws {
        let fixture = try GitFixture()
        let (repository, store) = try fixture.initializedStore()
        let manager = WorktreeManager(repository: repository)
        let cases: [(RunState, WorktreeRetention, Bool)] = [
            (.complete, .keepOnFailure, true), (.failed, .keepOnFailure, false), (.cancelled, .keepOnFailure, false),
            (.complete, .always, false), (.failed, .never, true), (.paused, .never, false),
        ]
        for (state, retention, removed) in cases {
            let workspace = try manager.create(for: try fixture.workspaceRun(store, prompt: "\(state) \(retention)"))
            #expect(try manager.finish(workspace, state: state, retention: retention) == removed, "\(state) \(retention)")
            #expect(FileManager.default.fileExists(atPath: workspace.path) == !removed, "\(state) \(retention)")
        }
        try fixture.fsck()
    }

    @Test("the workspace errors explain themselves")
    func errors() {
        let cases: [ConductorError] = [
            .invalidBranchName("--x", reason: "its component '--x' starts with '-'"),
            .taskBranchExists("conductor/a"), .taskBranchMissing("conductor/a"),
            .baseCommitMissing("abc"), .worktreeConflict(path: "/x", detail: "locked"),
        ]
        for error in cases {
            #expect(!error.description.isEmpty)
        }
        #expect(ConductorError.invalidBranchName("--x", reason: "r").description == "'--x' is not a valid task branch name: r")
        #expect(ConductorError.worktreeConflict(path: "/x", detail: "locked").hint?.contains("git conductor gc") == true)
    }
}

/// Results of concurrent work, collected under a lock.
final class WorkspaceOutcomes: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Int: Result<(RunWorkspace, ObjectID), any Error>] = [:]

    func add(_ index: Int, _ result: Result<(RunWorkspace, ObjectID), any Error>) {
        lock.lock()
        defer { lock.unlock() }
        results[index] = result
    }

    func result(_ index: Int) -> Result<(RunWorkspace, ObjectID), any Error>? {
        lock.lock()
        defer { lock.unlock() }
        return results[index]
    }
}

extension RunRecord {
    func replacingWorkspaceFields(taskBranch: String? = nil, baseCommit: String? = nil) -> RunRecord {
        RunRecord(
            id: id, prompt: prompt, mode: mode, baseCommit: baseCommit ?? self.baseCommit,
            taskBranch: taskBranch ?? self.taskBranch, provider: provider, model: model,
            createdAt: createdAt, machine: machine
        )
    }
}
