import ConductorTesting
import Foundation
import Testing

/// Finding the repository the way git does: outside one, from subdirectories, through
/// `GIT_DIR`/`GIT_WORK_TREE`, linked worktrees and bare clones.
@Suite("repository discovery")
struct RepositoryDiscoveryTests {
    @Test("outside any repository: log, show and init exit 2; doctor exits 1 with the repository error")
    func notARepository() throws {
        let sandbox = try Sandbox()
        let outside = try TemporaryDirectory(prefix: "conductor-cli-outside")
        let ceiling = ["GIT_CEILING_DIRECTORIES": (outside.path as NSString).deletingLastPathComponent]
        // Plain git agrees that this is not a repository.
        let git = try sandbox.run("git", ["rev-parse", "--git-dir"], in: outside.path, environment: ceiling)
        #expect(git.status == 128, "\(git)")

        for arguments in [["log"], ["log", "--json"], ["show", "x"], ["init"]] {
            let result = try sandbox.run(Tool.conductor, arguments, in: outside.path, environment: ceiling)
            #expect(result.status == 2, "\(arguments): \(result)")
            #expect(result.stderr.contains("not a git repository"), "\(arguments): \(result)")
            #expect(result.stdout.isEmpty, "\(arguments): \(result)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path).isEmpty, "nothing may be created outside a repository")

        let doctor = try sandbox.run(Tool.conductor, ["doctor"], in: outside.path, environment: ceiling)
        #expect(doctor.status == 1, "\(doctor)")
        #expect(doctor.stdout.contains("[error]") && doctor.stdout.contains("not a git repository"), "\(doctor)")
        let json = try sandbox.run(Tool.conductor, ["doctor", "--json"], in: outside.path, environment: ceiling)
        #expect(json.status == 1, "\(json)")
        let checks = try jsonArray(json.stdout)
        let repository = try #require(checks.first { $0["name"] as? String == "repository" }, "\(checks)")
        #expect(repository["level"] as? String == "error")
        #expect((repository["message"] as? String)?.contains("not a git repository") == true)
    }

    @Test("GIT_CEILING_DIRECTORIES stops the search before an enclosing repository, as for git")
    func ceilingInsideRepository() throws {
        let sandbox = try Sandbox()
        try sandbox.populate(1)
        let inner = try sandbox.fixture.subdirectory("outer/inner")
        let ceiling = ["GIT_CEILING_DIRECTORIES": sandbox.path + "/outer"]
        let git = try sandbox.run("git", ["rev-parse", "--git-dir"], in: inner, environment: ceiling)
        #expect(git.status == 128, "\(git)")
        let result = try sandbox.run(Tool.conductor, ["log"], in: inner, environment: ceiling)
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.contains("not a git repository"), "\(result)")
    }

    @Test("GIT_DIR naming a directory that is not a repository exits 2")
    func gitDirNotARepository() throws {
        let sandbox = try Sandbox()
        let bogus = sandbox.scratch.appending("not-a-git-dir")
        try FileManager.default.createDirectory(atPath: bogus, withIntermediateDirectories: true)
        for arguments in [["log"], ["init"]] {
            let result = try sandbox.run(Tool.conductor, arguments, in: sandbox.path, environment: ["GIT_DIR": bogus])
            #expect(result.status == 2, "\(arguments): \(result)")
            #expect(result.stderr.contains("not a git repository"), "\(arguments): \(result)")
        }
        #expect(try sandbox.stateTip() == nil, "the enclosing repository must not be used when GIT_DIR is set")
    }

    @Test("init and log from a nested subdirectory find the repository and create nothing there")
    func fromSubdirectory() throws {
        let sandbox = try Sandbox()
        let nested = try sandbox.fixture.subdirectory("src/deeply/nested")
        let created = try sandbox.conductorOK("init", in: nested)
        #expect(created.stdout.contains("Created orchestrator-state"), "\(created)")
        #expect(try sandbox.stateTip() != nil)
        #expect(try sandbox.git("config", "--get", "notes.rewriteRef").output == "refs/notes/conductor")

        try sandbox.synth("populate", "3", in: nested)
        let ids = try sandbox.runIDsOnBranch()
        let log = try sandbox.conductorOK("log", "--oneline", in: nested)
        #expect(lines(log.stdout).map { String($0.prefix(26)) } == ids)
        try sandbox.conductorOK("show", ids[0], in: nested)
        try sandbox.conductorOK("doctor", in: nested)

        #expect(try FileManager.default.contentsOfDirectory(atPath: nested).isEmpty, "files appeared in \(nested)")
        #expect(!FileManager.default.fileExists(atPath: sandbox.path + "/src/.git"))
        #expect(FileManager.default.fileExists(atPath: sandbox.gitDirectory + "/conductor"))
    }

    @Test("GIT_DIR set, current directory outside the repository: log, show and init work")
    func gitDirFromElsewhere() throws {
        let sandbox = try Sandbox()
        let elsewhere = try TemporaryDirectory(prefix: "conductor-cli-elsewhere")
        let gitDir = ["GIT_DIR": sandbox.gitDirectory]

        let created = try sandbox.conductorOK("init", "--no-config-file", in: elsewhere.path, environment: gitDir)
        #expect(created.stdout.contains("Created orchestrator-state"), "\(created)")
        try sandbox.synth("populate", "4")
        let ids = try sandbox.runIDsOnBranch()
        let expected = try sandbox.conductorOK("log", "--oneline").stdout

        let log = try sandbox.conductorOK("log", "--oneline", in: elsewhere.path, environment: gitDir)
        #expect(log.stdout == expected)
        #expect(lines(log.stdout).map { String($0.prefix(26)) } == ids)
        let show = try sandbox.conductorOK("show", ids[2], in: elsewhere.path, environment: gitDir)
        #expect(lines(show.stdout).first == "run \(ids[2])")
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere.path).isEmpty, "files appeared in the current directory")
    }

    @Test("GIT_DIR and GIT_WORK_TREE both set: log, init and doctor work")
    func gitDirAndWorkTree() throws {
        let sandbox = try Sandbox()
        let elsewhere = try TemporaryDirectory(prefix: "conductor-cli-elsewhere")
        let variables = ["GIT_DIR": sandbox.gitDirectory, "GIT_WORK_TREE": sandbox.path]

        try sandbox.conductorOK("init", in: elsewhere.path, environment: variables)
        #expect(try sandbox.stateTip() != nil)
        try sandbox.synth("populate", "3")
        let expected = try sandbox.conductorOK("log", "--oneline").stdout
        let log = try sandbox.conductorOK("log", "--oneline", in: elsewhere.path, environment: variables)
        #expect(log.stdout == expected)
        #expect(lines(log.stdout).count == 3)
        let doctor = try sandbox.conductorOK("doctor", "--json", in: elsewhere.path, environment: variables)
        let levels = try jsonArray(doctor.stdout).compactMap { $0["level"] as? String }
        #expect(levels.allSatisfy { $0 == "ok" }, "\(doctor.stdout)")
        // Relative GIT_DIR, from the work tree, as git itself accepts.
        let relative = try sandbox.conductorOK("log", "--oneline", environment: ["GIT_DIR": ".git"])
        #expect(relative.stdout == expected)
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere.path).isEmpty)
    }

    @Test("a linked worktree shares the state branch and the private directory")
    func linkedWorktree() throws {
        let sandbox = try Sandbox()
        try sandbox.populate(3)
        let worktree = sandbox.scratch.appending("linked")
        try sandbox.git("worktree", "add", "-q", "-b", "feature", worktree)
        let expected = try sandbox.conductorOK("log", "--oneline").stdout
        #expect(try sandbox.conductorOK("log", "--oneline", in: worktree).stdout == expected)

        let fromWorktree = try sandbox.synth("create-run", "Made in the worktree", in: worktree).output
        let main = try sandbox.conductorOK("log", "--oneline").stdout
        #expect(main.contains(fromWorktree), "\(main)")
        #expect(try sandbox.conductorOK("log", "--oneline", in: worktree).stdout == main)
        #expect(!FileManager.default.fileExists(atPath: sandbox.gitDirectory + "/worktrees/linked/conductor"),
                "caches belong in the common directory")
        #expect(FileManager.default.fileExists(atPath: sandbox.cacheDirectory))
        #expect(try sandbox.run("git", ["symbolic-ref", "HEAD"], in: worktree).output == "refs/heads/feature")
    }

    @Test("a bare clone carries the state branch and log reads it")
    func bareClone() throws {
        let sandbox = try Sandbox()
        try sandbox.populate(4)
        let expected = try sandbox.conductorOK("log", "--oneline").stdout
        let bare = sandbox.scratch.appending("clone.git")
        try sandbox.git("clone", "-q", "--bare", sandbox.path, bare)
        let log = try sandbox.run(Tool.conductor, ["log", "--oneline"], in: bare)
        #expect(log.status == 0, "\(log)")
        #expect(log.stdout == expected)
    }

    @Test("git runs git-conductor as `git conductor`")
    func throughGit() throws {
        let sandbox = try Sandbox()
        let ids = try sandbox.populate(2)
        let path = BuiltProducts.directory + ":" + (sandbox.environment["PATH"] ?? "/usr/bin:/bin")
        let result = try sandbox.run("git", ["conductor", "log", "--oneline"], environment: ["PATH": path])
        #expect(result.status == 0, "\(result)")
        #expect(lines(result.stdout).map { String($0.prefix(26)) } == ids)
        let version = try sandbox.run("git", ["conductor", "--version"], environment: ["PATH": path])
        #expect(version.status == 0, "\(version)")
        #expect(version.output == (try sandbox.conductorOK("--version").output))
    }
}
