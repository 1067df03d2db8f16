import ConductorTesting
import Foundation
import Testing

/// `git conductor gc`, driven as a user would: runs made with conductor-synth, worktrees laid
/// out as the engine lays them out (`.git/conductor/worktrees/<run-id>` on a task branch), made
/// with plain `git worktree add` so the command is checked against git's own idea of them.
@Suite("git conductor gc")
struct GcCommandTests {
    /// Two finished runs, one active run and one stale record of an active run, each with a
    /// worktree; plus the user's own worktree elsewhere.
    final class Scene {
        let sandbox: Sandbox
        let finished: [String]
        let active: String
        let stale: String
        let userWorktree: String

        init() throws {
            sandbox = try Sandbox()
            finished = try sandbox.populate(2)
            active = try sandbox.createRun("Still running")
            stale = try sandbox.createRun("Directory deleted by hand")
            userWorktree = sandbox.scratch.appending("user-worktree")
            for id in finished + [active, stale] {
                try sandbox.git("worktree", "add", "-q", "-b", "conductor/synthetic-\(id.suffix(6))", worktree(id), "HEAD")
            }
            try FileManager.default.removeItem(atPath: worktree(stale))
            try sandbox.git("worktree", "add", "-q", "-b", "user-branch", userWorktree)
        }

        func worktree(_ id: String) -> String { sandbox.gitDirectory + "/conductor/worktrees/" + id }

        /// `git worktree list --porcelain` plus the conductor's worktree directories.
        func picture() throws -> String {
            let listed = try sandbox.git("worktree", "list", "--porcelain").stdout
            let directories = try FileManager.default.contentsOfDirectory(atPath: sandbox.gitDirectory + "/conductor/worktrees").sorted()
            return listed + "--\n" + directories.joined(separator: "\n")
        }

        func listedPaths() throws -> [String] {
            try sandbox.git("worktree", "list", "--porcelain").lines
                .filter { $0.hasPrefix("worktree ") }.map { String($0.dropFirst("worktree ".count)) }
        }
    }

    @Test("--dry-run says what it would do and changes nothing")
    func dryRun() throws {
        let scene = try Scene()
        let before = try scene.picture()
        let branches = try scene.sandbox.git("for-each-ref", "refs/heads/").stdout
        let result = try scene.sandbox.conductorOK("gc", "--dry-run")
        #expect(try scene.picture() == before)
        #expect(try scene.sandbox.git("for-each-ref", "refs/heads/").stdout == branches)
        let lines = result.lines
        for id in scene.finished {
            #expect(lines.contains { $0.hasPrefix("Would remove worktree \(scene.worktree(id)) (run ") }, "\(result)")
        }
        #expect(lines.contains("Would prune stale worktree record of run \(scene.stale) (its directory is gone)"), "\(result)")
        #expect(lines.contains("Kept worktree \(scene.worktree(scene.active)) (run is precheck)"), "\(result)")
        #expect(lines.suffix(2) == ["Would remove 2 worktrees, prune 1 stale record, kept 1.", "Dry run: nothing was changed."])
        #expect(!result.stdout.contains(scene.userWorktree))
        #expect(result.stderr.isEmpty)
    }

    @Test("gc removes finished runs' worktrees, prunes stale records, keeps the rest and every branch")
    func gc() throws {
        let scene = try Scene()
        let branches = try scene.sandbox.git("for-each-ref", "refs/heads/").stdout
        let before = try scene.sandbox.fixture.fingerprint()
        let result = try scene.sandbox.conductorOK("gc")
        for id in scene.finished {
            #expect(result.lines.contains { $0.hasPrefix("Removed worktree \(scene.worktree(id)) (run ") }, "\(result)")
            #expect(!FileManager.default.fileExists(atPath: scene.worktree(id)))
        }
        #expect(result.lines.contains("Pruned stale worktree record of run \(scene.stale) (its directory is gone)"))
        #expect(result.lines.last == "Removed 2 worktrees, pruned 1 stale record, kept 1.")
        let listed = try scene.listedPaths()
        #expect(listed.first == scene.sandbox.path)
        #expect(Set(listed) == [scene.sandbox.path, scene.worktree(scene.active), scene.userWorktree])
        #expect(FileManager.default.fileExists(atPath: scene.worktree(scene.active) + "/README.md"))
        #expect(try scene.sandbox.git("for-each-ref", "refs/heads/").stdout == branches)
        #expect(try scene.sandbox.fixture.fingerprint() == before)
        try scene.sandbox.fixture.fsck()
        // git agrees there is nothing stale left.
        #expect(try scene.sandbox.git("worktree", "prune", "--dry-run", "--verbose").stdout.isEmpty)

        let again = try scene.sandbox.conductorOK("gc")
        #expect(again.lines == ["Kept worktree \(scene.worktree(scene.active)) (run is precheck)", "Removed 0 worktrees, pruned 0 stale records, kept 1."])
    }

    @Test("--json lists removed, pruned and kept worktrees")
    func json() throws {
        let scene = try Scene()
        let dry = try jsonObject(scene.sandbox.conductorOK("gc", "--dry-run", "--json").stdout)
        #expect(dry["dry_run"] as? Bool == true)
        let object = try jsonObject(scene.sandbox.conductorOK("gc", "--json").stdout)
        #expect(Set(object.keys) == ["dry_run", "removed", "pruned", "kept"])
        #expect(object["dry_run"] as? Bool == false)
        let removed = try #require(object["removed"] as? [[String: Any]])
        #expect(Set(removed.compactMap { $0["run"] as? String }) == Set(scene.finished))
        #expect(Set(removed.compactMap { $0["status"] as? String }).isSubset(of: ["complete", "failed"]))
        #expect(removed.allSatisfy { $0["reason"] is NSNull })
        let pruned = try #require(object["pruned"] as? [[String: Any]])
        #expect(pruned.map { $0["run"] as? String } == [scene.stale])
        #expect(pruned.first?["path"] as? String == scene.worktree(scene.stale))
        #expect(pruned.first?["status"] as? String == "precheck")
        let kept = try #require(object["kept"] as? [[String: Any]])
        #expect(kept.count == 1)
        #expect(kept.first?["run"] as? String == scene.active)
        #expect(kept.first?["reason"] as? String == "run is precheck")
        #expect(Set(kept.first?.keys.map { $0 } ?? []) == ["run", "path", "status", "reason"])
    }

    @Test("with nothing to clean, gc says so")
    func nothing() throws {
        let sandbox = try Sandbox()
        #expect(try sandbox.conductorOK("gc").output == "No run worktrees to clean up.")
        try sandbox.conductorOK("init")
        #expect(try sandbox.conductorOK("gc", "--dry-run").output == "No run worktrees to clean up.")
        let object = try jsonObject(sandbox.conductorOK("gc", "--json").stdout)
        #expect((object["removed"] as? [Any])?.isEmpty == true)
        #expect(!FileManager.default.fileExists(atPath: sandbox.gitDirectory + "/conductor/worktrees"))
    }

    @Test("gc refuses a state branch in an unknown format and changes nothing")
    func unknownFormat() throws {
        let scene = try Scene()
        try scene.sandbox.replaceOnBranch("format.json", with: "{\"format\": 99, \"tool\": \"git-conductor\"}\n")
        let before = try scene.picture()
        let result = try scene.sandbox.conductor("gc")
        #expect(result.status == 6, "\(result)")
        #expect(result.stderr.hasPrefix("error: "))
        #expect(try scene.picture() == before)
    }

    @Test("outside a repository gc exits 2; bad options exit 64; --help explains it")
    func errors() throws {
        let sandbox = try Sandbox()
        let outside = try sandbox.run(Tool.conductor, ["gc"], in: sandbox.scratch.path, environment: ["GIT_CEILING_DIRECTORIES": sandbox.scratch.path])
        #expect(outside.status == 2, "\(outside)")
        #expect(outside.stderr.hasPrefix("error: not a git repository"))
        #expect(try sandbox.conductor("gc", "--bogus").status == 64)
        let help = try sandbox.conductorOK("gc", "--help").stdout
        let flowing = help.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for words in ["--dry-run", "--json", ".git/conductor/worktrees/<run-id>", "Task branches are always kept", "$ git conductor gc --dry-run"] {
            #expect(flowing.contains(words), "\(words) in:\n\(help)")
        }
        #expect(try sandbox.conductorOK("--help").stdout.contains("gc"))
    }
}
