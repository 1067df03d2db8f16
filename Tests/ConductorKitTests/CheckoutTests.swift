import ConductorDomain
import ConductorKit
import ConductorTesting
import Foundation
import GitKit
import Testing

@Suite("The user's checkout")
struct CheckoutTests {
    @Test("every kind of write leaves work tree, index, HEAD and branches byte-identical, and fsck clean")
    func untouched() throws {
        let fixture = try GitFixture()
        try fixture.makeCheckoutBusy()
        // git status may refresh the index's stat data, so it runs before the snapshot.
        let statusBefore = try fixture.git("status", "--porcelain=v1", "--untracked-files=all").stdout
        let before = try fixture.fingerprint()
        let branchesBefore = try fixture.git("for-each-ref", "--format=%(refname) %(objectname)", "refs/heads/").stdout
        var checks = 0
        func check(_ step: String) throws {
            try fixture.fsck()
            let now = try fixture.fingerprint()
            #expect(now == before, "after \(step): \(now.describeDifferences(from: before))")
            checks += 1
        }

        let repository = try fixture.conductor()
        let store = try repository.stateStore()
        try store.initialize()
        try check("initialize")
        let record = store.freshRecord()
        _ = try store.createRun(record, events: [transition(nil, .precheck)])
        try check("createRun")
        try store.createRuns([(store.freshRecord(), []), (store.freshRecord(), [transition(nil, .precheck)])])
        try check("createRuns")
        _ = try store.append([transition(.precheck, .building), .iterationStarted(number: 1)], to: record.id)
        try check("append")
        try store.writeArtifact("iterations/1/diff.patch", contents: Array("--- a\n+++ b\n".utf8), of: record.id)
        try check("writeArtifact")
        let head = try #require(ObjectID(hex: fixture.revParse("HEAD")))
        try repository.notes().write([head: ConductorNote(runID: record.id, iteration: 1, state: .building)])
        try check("notes")
        _ = try store.history(of: record.id)
        _ = try store.requireSnapshot().runDirectories()
        try check("reads")

        #expect(checks == 7)
        #expect(try fixture.git("status", "--porcelain=v1", "--untracked-files=all").stdout == statusBefore)
        let branchesAfter = try fixture.git("for-each-ref", "--format=%(refname) %(objectname)", "refs/heads/").stdout
        let stateLine = "refs/heads/orchestrator-state \(try fixture.revParse(stateBranch))\n"
        #expect(Set(branchesAfter.split(separator: "\n")) == Set((branchesBefore + stateLine).split(separator: "\n")))
        #expect(try fixture.git("symbolic-ref", "HEAD").output == "refs/heads/main")
    }
}

/// The fixtures themselves: a check that cannot fail proves nothing, so these show that the
/// fingerprint and the process runner notice what they are meant to notice.
@Suite("Test fixtures")
struct FixtureTests {
    @Test("the fixture is a real repository with one commit on main")
    func fixture() throws {
        let fixture = try GitFixture()
        #expect(try fixture.git("rev-parse", "--abbrev-ref", "HEAD").output == "main")
        #expect(try fixture.git("rev-list", "--count", "HEAD").output == "1")
        #expect(try fixture.git("log", "-1", "--format=%an <%ae>").output == "\(GitFixture.userName) <\(GitFixture.userEmail)>")
        #expect(try fixture.git("ls-files").output == "README.md")
        #expect(try fixture.fsck().isEmpty)
        let nested = try fixture.subdirectory("a/b/c")
        #expect(try runProcess("git", ["rev-parse", "--show-toplevel"], in: nested, environment: fixture.environment).output == fixture.path)
        #expect(try fixture.revParseIfPresent("refs/heads/nope") == nil)
    }

    @Test("git failures throw with the command and its stderr")
    func gitFailure() throws {
        let fixture = try GitFixture()
        let error = #expect(throws: ProcessError.self) { try fixture.git("rev-parse", "--verify", "no-such-branch") }
        #expect(error?.description.contains("rev-parse --verify no-such-branch") == true)
        #expect(error?.description.contains("fatal") == true)
        #expect(try fixture.gitResult("rev-parse", "--verify", "no-such-branch").status == 128)
    }

    @Test("fsck throws on a broken repository")
    func fsckFails() throws {
        let fixture = try GitFixture()
        let blob = try fixture.revParse("HEAD:README.md")
        let object = fixture.gitDirectory + "/objects/\(blob.prefix(2))/\(blob.dropFirst(2))"
        try FileManager.default.removeItem(atPath: object)
        #expect(throws: ProcessError.self) { try fixture.fsck() }
    }

    @Test("the temporary directory disappears when released or removed")
    func temporaryDirectory() throws {
        var directory: TemporaryDirectory? = try TemporaryDirectory()
        let path = directory!.path
        try Data("x".utf8).write(to: URL(fileURLWithPath: directory!.appending("file")))
        #expect(FileManager.default.fileExists(atPath: path + "/file"))
        directory = nil
        #expect(!FileManager.default.fileExists(atPath: path))

        let explicit = try TemporaryDirectory()
        explicit.remove()
        #expect(!FileManager.default.fileExists(atPath: explicit.path))
        explicit.remove()
    }

    @Test("the fingerprint notices each kind of change to the checkout")
    func fingerprintNotices() throws {
        let fixture = try GitFixture()
        try fixture.makeCheckoutBusy()
        var baseline = try fixture.fingerprint()
        #expect(baseline == (try fixture.fingerprint()))
        #expect(baseline.entries[".git/index"] != nil)
        #expect(baseline.entries[".git/HEAD"] != nil)
        #expect(baseline.entries[".git/refs/heads/main"] != nil)
        #expect(baseline.entries[".git/refs/heads/feature"] != nil)
        #expect(baseline.entries["link"] == .symlink(target: "README.md"))
        #expect(baseline.entries.keys.allSatisfy { !$0.hasPrefix(".git/objects") && !$0.hasPrefix(".git/config") })

        let changes: [(String, () throws -> Void, String)] = [
            ("edit a file", { try fixture.write("README.md", "changed\n") }, "README.md"),
            ("stage a file", { try fixture.git("add", "untracked/notes.txt") }, ".git/index"),
            ("new untracked file", { try fixture.write("new.txt", "") }, "new.txt"),
            ("empty directory", { try fixture.subdirectory("empty") }, "empty"),
            ("chmod", { try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: fixture.path + "/script.sh") }, "script.sh"),
            ("move a branch", { try fixture.git("update-ref", "refs/heads/feature", "HEAD~1") }, ".git/refs/heads/feature"),
            ("new branch", { try fixture.git("branch", "another") }, ".git/refs/heads/another"),
            ("switch HEAD", { try fixture.git("symbolic-ref", "HEAD", "refs/heads/feature") }, ".git/HEAD"),
        ]
        for (name, change, path) in changes {
            try change()
            let after = try fixture.fingerprint()
            #expect(after != baseline, "\(name) went unnoticed")
            let differences = after.differences(from: baseline)
            #expect(differences.count == 1 && differences.first?.hasPrefix(path + ":") == true, "\(name): \(differences)")
            baseline = after
        }
        #expect(baseline.describeDifferences(from: baseline) == "no differences")
    }

    @Test("the fingerprint ignores what the conductor may touch: its branch, objects, notes, private files")
    func fingerprintIgnores() throws {
        let fixture = try GitFixture()
        let before = try fixture.fingerprint()
        try fixture.git("update-ref", "refs/heads/orchestrator-state", "HEAD")
        try fixture.git("notes", "--ref=conductor", "add", "-m", "x", "HEAD")
        try fixture.git(["hash-object", "-w", "--stdin"], stdin: "loose object\n")
        try FileManager.default.createDirectory(atPath: fixture.gitDirectory + "/conductor", withIntermediateDirectories: true)
        #expect(try fixture.fingerprint() == before)
    }

    @Test("runProcess drains megabytes on both streams, passes stdin and the environment")
    func runProcessStreams() throws {
        let directory = try TemporaryDirectory()
        let script = "head -c 3000000 /dev/zero | tr '\\0' a; head -c 2000000 /dev/zero | tr '\\0' b >&2; echo \"$MARKER\" >&2; exit 3"
        let result = try runProcess("sh", ["-c", script], in: directory.path, environment: ["PATH": "/usr/bin:/bin", "MARKER": "env-ok"])
        #expect(result.status == 3)
        #expect(!result.succeeded)
        #expect(result.stdout.utf8.count == 3_000_000)
        #expect(result.stderr.utf8.count == 2_000_000 + "env-ok\n".utf8.count)
        #expect(result.stderr.hasSuffix("env-ok\n"))

        let big = String(repeating: "line of input\n", count: 100_000)
        let echoed = try runProcess("cat", [], in: directory.path, stdin: big)
        #expect(echoed.succeeded)
        #expect(echoed.stdout == big)

        let here = try runProcess("pwd", ["-P"], in: directory.path)
        #expect(here.output == directory.path)
        #expect(try runProcess("true", [], in: directory.path).stdout.isEmpty)
    }

    @Test("runProcess reports a missing executable and a child killed by a signal")
    func runProcessFailures() throws {
        let directory = try TemporaryDirectory()
        #expect(throws: ProcessError.self) { try runProcess("no-such-executable-anywhere", [], in: directory.path) }
        let killed = try runProcess("sh", ["-c", "kill -9 $$"], in: directory.path)
        #expect(killed.terminatedBySignal)
        #expect(killed.status == 9)
        #expect(!killed.succeeded)
    }

    @Test("children started together run at the same time")
    func childrenOverlap() throws {
        let directory = try TemporaryDirectory()
        let start = Date()
        let children = try (0..<4).map { _ in try ChildProcess("sleep", ["1"], in: directory.path) }
        for child in children { #expect(try child.wait().succeeded) }
        #expect(Date().timeIntervalSince(start) < 3.5, "four one-second sleeps overlapped")
    }
}
