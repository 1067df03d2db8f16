import ConductorTesting
import Foundation
import Testing

/// `git conductor hooks install|uninstall`, the pre-push hook it installs, and notes that
/// follow a rebase.
@Suite("git conductor hooks and notes across rewrites")
struct SyncHookTests {
    /// The hook's log of background state pushes.
    static func hookLog(_ world: SyncWorld) -> String {
        (try? String(contentsOfFile: world.a + "/.git/conductor/pre-push.log", encoding: .utf8)) ?? ""
    }

    /// The environment of a user whose PATH has git-conductor on it.
    static func userPath() -> [String: String] {
        ["PATH": BuiltProducts.directory + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")]
    }

    @Test("after the user's git push, the pre-push hook pushes the state to the same remote, once")
    func hookPushesState() throws {
        let world = try SyncWorld()
        try world.conductorOK(["init"], in: world.a)
        try world.synth(["populate", "2"], in: world.a)
        let install = try world.conductorOK(["hooks", "install"], in: world.a)
        #expect(install.stdout.contains("Installed the pre-push hook at \(world.a)/.git/hooks/pre-push"), "\(install)")
        _ = try world.sandbox.fixture.commit("Work", files: ["work.txt": "1\n"])
        let push = try world.gitResult(["push", "-q", "origin", "main"], in: world.a, environment: Self.userPath())
        #expect(push.succeeded, "\(push)")
        let pushed = try eventually { try world.rev(stateBranch, in: world.remote) == world.rev(stateBranch, in: world.a) }
        #expect(pushed, "the state did not reach R; hook log:\n\(Self.hookLog(world))")
        #expect(eventually { Self.hookLog(world).contains("state pushed to origin") }, "\(Self.hookLog(world))")
        // Its own push of the state ran the hook again, which did nothing.
        #expect(Self.hookLog(world).components(separatedBy: "pushing the state").count == 2, "\(Self.hookLog(world))")
        // A push of the state itself does not start another one.
        try world.synth(["populate", "1"], in: world.a)
        try world.git(["push", "-q", "origin", "\(stateBranch):\(stateBranch)"], in: world.a, environment: Self.userPath())
        usleep(500_000)
        #expect(Self.hookLog(world).components(separatedBy: "pushing the state").count == 2, "\(Self.hookLog(world))")
        let doctor = try world.conductorOK(["doctor"], in: world.a).stdout
        #expect(doctor.contains("installed at \(world.a)/.git/hooks/pre-push"), "\(doctor)")
    }

    @Test("when the state push fails, the user's push still succeeds at once and the failure is only logged")
    func hookNeverBlocks() throws {
        let world = try SyncWorld()
        let hook = world.remote + "/hooks/pre-receive"
        try """
            #!/bin/sh
            while read old new ref; do
                case $ref in refs/heads/orchestrator-state|refs/notes/*) echo "no state here" >&2; exit 1 ;; esac
            done
            exit 0

            """.write(toFile: hook, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: hook)
        try world.conductorOK(["init"], in: world.a)
        try world.synth(["populate", "1"], in: world.a)
        // Without git-conductor on PATH: the hook uses the path hooks install recorded.
        try world.conductorOK(["hooks", "install"], in: world.a)
        let head = try world.sandbox.fixture.commit("Work", files: ["work.txt": "1\n"])
        let started = Date()
        let push = try world.gitResult(["push", "origin", "main"], in: world.a)
        #expect(push.succeeded, "\(push)")
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(try world.rev("main", in: world.remote) == head)
        #expect(eventually { Self.hookLog(world).contains("state push to origin failed") }, "\(Self.hookLog(world))")
        #expect(Self.hookLog(world).contains("no state here"), "git's reason is logged: \(Self.hookLog(world))")
        #expect(try world.rev(stateBranch, in: world.remote) == nil)
    }

    @Test("install honours core.hooksPath and chains the hook already there; uninstall puts it back")
    func chainsAndRestores() throws {
        let world = try SyncWorld()
        try world.git(["config", "core.hooksPath", ".githooks"], in: world.a)
        let directory = world.a + "/.githooks"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let marker = world.sandbox.scratch.appending("chained-ran")
        let original = "#!/bin/sh\necho \"$1 $2\" >> '\(marker)'\ncat >> '\(marker)'\nexit ${CHAINED_STATUS:-0}\n"
        try original.write(toFile: directory + "/pre-push", atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory + "/pre-push")

        let install = try jsonObject(world.conductorOK(["hooks", "install", "--json"], in: world.a).stdout)
        #expect(install["path"] as? String == directory + "/pre-push" && install["action"] as? String == "installed", "\(install)")
        #expect(install["chained"] as? String == directory + "/pre-push.before-conductor")
        #expect(try String(contentsOfFile: directory + "/pre-push.before-conductor", encoding: .utf8) == original)
        #expect(!FileManager.default.fileExists(atPath: world.a + "/.git/hooks/pre-push"))
        let again = try jsonObject(world.conductorOK(["hooks", "install", "--json"], in: world.a).stdout)
        #expect(again["action"] as? String == "updated", "installing again only updates ours")

        let head = try world.sandbox.fixture.commit("Work", files: ["work.txt": "1\n"])
        try world.git(["push", "-q", "origin", "main"], in: world.a)
        let ran = try String(contentsOfFile: marker, encoding: .utf8)
        #expect(ran.contains("origin \(world.remote)") && ran.contains("refs/heads/main \(head) refs/heads/main"), "the chained hook saw the same arguments and input: \(ran)")
        // The chained hook's verdict is the push's verdict.
        _ = try world.sandbox.fixture.commit("More", files: ["work.txt": "2\n"])
        let blocked = try world.gitResult(["push", "-q", "origin", "main"], in: world.a, environment: ["CHAINED_STATUS": "1"])
        #expect(!blocked.succeeded)
        #expect(try world.rev("main", in: world.remote) == head)

        let uninstall = try world.conductorOK(["hooks", "uninstall"], in: world.a)
        #expect(uninstall.stdout.contains("Your earlier hook is back"), "\(uninstall)")
        #expect(try String(contentsOfFile: directory + "/pre-push", encoding: .utf8) == original)
        #expect(!FileManager.default.fileExists(atPath: directory + "/pre-push.before-conductor"))
        let second = try world.conductorOK(["hooks", "uninstall"], in: world.a)
        #expect(second.stdout.contains("is not git-conductor's hook; left it alone"), "\(second)")
    }

    @Test("git rebase and git commit --amend keep the conductor notes, through the notes.rewriteRef init sets")
    func rebaseKeepsNotes() throws {
        let world = try SyncWorld()
        try world.conductorOK(["init"], in: world.a)
        try world.git(["checkout", "-q", "-b", "conductor/task-abc123"], in: world.a)
        let first = try world.sandbox.fixture.commit("Iteration 1", files: ["a.txt": "1\n"])
        let second = try world.sandbox.fixture.commit("Iteration 2", files: ["b.txt": "2\n"])
        try world.git(["notes", "--ref=conductor", "add", "-m", "Conductor-Run: 01abc\nIteration: 1", first], in: world.a)
        try world.git(["notes", "--ref=conductor", "add", "-m", "Conductor-Run: 01abc\nIteration: 2", second], in: world.a)
        try world.git(["checkout", "-q", "main"], in: world.a)
        _ = try world.sandbox.fixture.commit("Meanwhile on main", files: ["main.txt": "m\n"])
        try world.git(["rebase", "-q", "main", "conductor/task-abc123"], in: world.a)
        let rebased = try #require(try world.rev("HEAD", in: world.a))
        #expect(rebased != second)
        #expect(try world.note("HEAD", in: world.a) == "Conductor-Run: 01abc\nIteration: 2\n")
        #expect(try world.note("HEAD~1", in: world.a) == "Conductor-Run: 01abc\nIteration: 1\n")
        try world.git(["commit", "-q", "--amend", "-m", "Iteration 2, reworded"], in: world.a)
        #expect(try world.note("HEAD", in: world.a) == "Conductor-Run: 01abc\nIteration: 2\n")
        // The rewritten notes travel like any others.
        try world.git(["push", "-q", "origin", "conductor/task-abc123"], in: world.a)
        try world.conductorOK(["push"], in: world.a)
        try world.conductorOK(["pull"], in: world.b)
        try world.git(["fetch", "-q", "origin", "conductor/task-abc123"], in: world.b)
        #expect(try world.note("FETCH_HEAD", in: world.b) == "Conductor-Run: 01abc\nIteration: 2\n")
    }

    @Test("doctor: per remote, ahead, behind, diverged and unpushed runs; refspecs; the hook")
    func doctorReportsSync() throws {
        let world = try SyncWorld()
        try world.conductorOK(["init"], in: world.a)
        try world.synth(["populate", "2"], in: world.a)
        func check(_ directory: String) throws -> [String: Any] {
            let checks = try jsonArray(world.conductor(["doctor", "--json"], in: directory).stdout)
            return try #require(checks.first { $0["name"] as? String == "state on origin" }, "\(checks)")
        }
        var origin = try check(world.a)
        #expect(origin["level"] as? String == "warning" && (origin["message"] as? String)?.contains("never pulled from or pushed to origin; 2 runs") == true, "\(origin)")
        try world.conductorOK(["push"], in: world.a)
        origin = try check(world.a)
        #expect(origin["level"] as? String == "ok" && (origin["message"] as? String)?.hasPrefix("state up to date") == true, "\(origin)")
        try world.synth(["populate", "1"], in: world.a)
        origin = try check(world.a)
        #expect((origin["message"] as? String)?.contains("state 1 commit ahead; 1 run (") == true, "\(origin)")
        #expect(origin["fix"] as? String == "git conductor sync origin")
        try world.conductorOK(["pull"], in: world.b)
        try world.synth(["populate", "1"], in: world.b)
        try world.conductorOK(["push"], in: world.b)
        try world.git(["fetch", "-q", "origin"], in: world.a)
        origin = try check(world.a)
        #expect((origin["message"] as? String)?.contains("diverged (1 ahead, 1 behind)") == true, "\(origin)")
        try world.conductorOK(["sync"], in: world.a)
        try world.conductorOK(["pull"], in: world.b)
        origin = try check(world.b)
        #expect(origin["level"] as? String == "ok", "\(origin)")
        let checks = try jsonArray(world.conductor(["doctor", "--json"], in: world.b).stdout)
        #expect(checks.contains { $0["name"] as? String == "pre-push hook" })
        #expect(checks.contains { $0["name"] as? String == "git configuration" && $0["level"] as? String == "warning" }, "B never ran init: refspecs missing")
    }
}
