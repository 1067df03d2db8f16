import ConductorTesting
import Foundation
import GitKit
import Testing

@Suite("Opening repositories")
struct RepositoryOpeningTests {
    @Test("discover finds the repository from a nested subdirectory")
    func discoverFromSubdirectory() throws {
        let fixture = try GitFixture()
        let nested = try fixture.subdirectory("src/deeply/nested")
        let repository = try Repository.discover(from: nested, environment: fixture.environment)
        #expect(repository.workingDirectory == fixture.path + "/")
        #expect(repository.gitDirectory == fixture.path + "/.git/")
        #expect(repository.commonDirectory == fixture.path + "/.git/")
        #expect(!repository.isBare)
        #expect(!repository.isShallow)
    }

    @Test("GIT_DIR in the environment wins over the starting directory")
    func discoverWithGitDir() throws {
        let fixture = try GitFixture()
        let elsewhere = try GitFixture()  // a different repository to start from
        try elsewhere.commit("Only in the other repository")
        let environment = fixture.environment(adding: ["GIT_DIR": fixture.gitDirectory])
        let repository = try Repository.discover(from: elsewhere.path, environment: environment)
        #expect(repository.gitDirectory == fixture.gitDirectory + "/")
        #expect(try repository.referenceTarget("HEAD")?.hex == fixture.revParse("HEAD"))
        #expect(try repository.referenceTarget("HEAD")?.hex != elsewhere.revParse("HEAD"))
    }

    @Test("GIT_WORK_TREE sets the working directory of a GIT_DIR repository")
    func discoverWithGitDirAndWorkTree() throws {
        let fixture = try GitFixture()
        let workTree = try TemporaryDirectory(prefix: "conductor-worktree")
        let environment = fixture.environment(adding: ["GIT_DIR": fixture.gitDirectory, "GIT_WORK_TREE": workTree.path])
        let repository = try Repository.discover(from: "/", environment: environment)
        #expect(repository.gitDirectory == fixture.gitDirectory + "/")
        #expect(repository.workingDirectory == workTree.path + "/")
        // git agrees on what that environment means.
        let gitsView = try fixture.git(["rev-parse", "--show-toplevel"], in: nil, environment: environment)
        #expect(gitsView.output == workTree.path)
    }

    @Test("GIT_DIR without GIT_WORK_TREE makes the starting directory the top of the work tree, as for git")
    func gitDirAloneUsesStartingDirectory() throws {
        let fixture = try GitFixture()
        let nested = try fixture.subdirectory("sub")
        let environment = fixture.environment(adding: ["GIT_DIR": fixture.gitDirectory])
        // git(1): "If GIT_DIR is set but GIT_WORK_TREE is not, the current working directory is
        // regarded as the top level of your working tree" (absent core.worktree).
        let gitsView = try fixture.git(["rev-parse", "--show-toplevel"], in: "sub", environment: environment).output
        #expect(gitsView == nested)
        let repository = try Repository.discover(from: nested, environment: environment)
        #expect(repository.workingDirectory == nested + "/")
    }

    @Test("a relative GIT_DIR is relative to the starting directory, as git's is to its cwd")
    func relativeGitDir() throws {
        let fixture = try GitFixture()
        let environment = fixture.environment(adding: ["GIT_DIR": ".git"])
        #expect(try fixture.git(["rev-parse", "--absolute-git-dir"], environment: environment).output == fixture.gitDirectory)
        // libgit2 resolves a relative path against the process's cwd, which is not `from`.
        let repository = try Repository.discover(from: fixture.path, environment: environment)
        #expect(repository.gitDirectory == fixture.gitDirectory + "/")
    }

    @Test("an empty GIT_DIR is ignored, as git ignores it")
    func emptyGitDir() throws {
        let fixture = try GitFixture()
        let repository = try Repository.discover(from: fixture.path, environment: fixture.environment(adding: ["GIT_DIR": ""]))
        #expect(repository.workingDirectory == fixture.path + "/")
    }

    @Test("GIT_DIR naming a missing directory is an error, not a search")
    func missingGitDir() throws {
        let fixture = try GitFixture()
        let environment = fixture.environment(adding: ["GIT_DIR": fixture.path + "/no-such-dir"])
        let error = expectGitError { _ = try Repository.discover(from: fixture.path, environment: environment) }
        #expect(error?.isNotFound == true)
    }

    @Test("outside any repository discover fails with a not-found GitError")
    func notARepository() throws {
        let directory = try TemporaryDirectory(prefix: "conductor-not-a-repo")
        let nested = directory.appending("a/b")
        try FileManager.default.createDirectory(atPath: nested, withIntermediateDirectories: true)
        // Stop the upward search at our own directory, whatever the temp dir sits in.
        let environment = GitFixture.isolatedEnvironment().merging(["GIT_CEILING_DIRECTORIES": directory.path]) { $1 }
        let error = expectGitError { _ = try Repository.discover(from: nested, environment: environment) }
        #expect(error?.isNotFound == true)
        #expect(error?.isConcurrentUpdate == false)
        // git itself agrees this is not a repository.
        let git = try runProcess("git", ["rev-parse", "--git-dir"], in: nested, environment: environment)
        #expect(git.status != 0)
    }

    @Test("GIT_CEILING_DIRECTORIES stops the search before the repository, as it does for git")
    func ceiling() throws {
        let fixture = try GitFixture()
        let nested = try fixture.subdirectory("a/b")
        let environment = fixture.environment(adding: ["GIT_CEILING_DIRECTORIES": fixture.path + "/a"])
        let error = expectGitError { _ = try Repository.discover(from: nested, environment: environment) }
        #expect(error?.isNotFound == true)
        #expect(try fixture.gitResult(["rev-parse", "--git-dir"], in: "a/b", environment: environment).status != 0)
    }

    @Test("open(at:) opens exactly the given repository and does not search upward")
    func openExact() throws {
        let fixture = try GitFixture()
        let repository = try Repository.open(at: fixture.path)
        #expect(repository.workingDirectory == fixture.path + "/")
        let nested = try fixture.subdirectory("sub")
        let error = expectGitError { _ = try Repository.open(at: nested) }
        #expect(error?.isNotFound == true)
    }

    @Test("a linked worktree has its own git directory and shares the common one")
    func worktree() throws {
        let fixture = try GitFixture()
        let linked = try TemporaryDirectory(prefix: "conductor-linked")
        try fixture.git("worktree", "add", "-q", "-b", "side", linked.appending("tree"))
        let repository = try Repository.discover(from: linked.appending("tree"), environment: fixture.environment)
        #expect(repository.workingDirectory == linked.appending("tree") + "/")
        #expect(repository.commonDirectory == fixture.gitDirectory + "/")
        #expect(repository.gitDirectory == fixture.gitDirectory + "/worktrees/tree/")
    }

    @Test("create makes repositories git accepts, bare or not")
    func create() throws {
        let directory = try TemporaryDirectory()
        let bare = try Repository.create(at: directory.appending("bare.git"), bare: true)
        #expect(bare.isBare)
        #expect(bare.workingDirectory == nil)
        let isBare = try runProcess("git", ["rev-parse", "--is-bare-repository"], in: directory.appending("bare.git"), environment: GitFixture.isolatedEnvironment())
        #expect(isBare.output == "true")
        let plain = try Repository.create(at: directory.appending("plain"))
        #expect(!plain.isBare)
        #expect(plain.workingDirectory == directory.appending("plain") + "/")
        #expect(try plain.referenceTarget("HEAD") == nil, "an unborn HEAD resolves to nothing")
    }

    @Test("create in a place that cannot exist fails with a GitError")
    func createFails() throws {
        let directory = try TemporaryDirectory()
        try Data("a file".utf8).write(to: URL(fileURLWithPath: directory.appending("file")))
        expectGitError { _ = try Repository.create(at: directory.appending("file/repo")) }
    }

    @Test("remote names come from the configuration")
    func remotes() throws {
        let fixture = try GitFixture()
        #expect(try fixture.open().remoteNames() == [])
        try fixture.git("remote", "add", "origin", "https://example.com/a.git")
        try fixture.git("remote", "add", "backup", "/tmp/backup.git")
        #expect(try fixture.open().remoteNames().sorted() == ["backup", "origin"])
    }

    @Test("libgit2 reports a version")
    func version() {
        let parts = Libgit2.version.split(separator: ".")
        #expect(parts.count == 3)
        #expect(parts.allSatisfy { Int($0) != nil })
    }
}

@Suite("ObjectID")
struct ObjectIDTests {
    @Test("hex round trip, either case")
    func hex() throws {
        let id = try oid("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391")
        #expect(id.hex == "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391")
        #expect(id.short == "e69de29")
        #expect(id.bytes.count == 20)
        #expect(ObjectID(hex: "E69DE29BB2D1D6434B8B29AE775AD8C2E48C5391") == id)
    }

    @Test("anything but 40 hex digits is rejected", arguments: [
        "", "e69de29", "e69de29bb2d1d6434b8b29ae775ad8c2e48c539", "e69de29bb2d1d6434b8b29ae775ad8c2e48c53911",
        "g69de29bb2d1d6434b8b29ae775ad8c2e48c5391", "e69de29bb2d1d6434b8b29ae775ad8c2e48c539 ",
    ])
    func invalid(text: String) {
        #expect(ObjectID(hex: text) == nil)
    }

    @Test("ids order by their bytes")
    func ordering() throws {
        #expect(try oid(String(repeating: "0", count: 40)) < oid("0" + String(repeating: "f", count: 39)))
        #expect(try oid("1" + String(repeating: "0", count: 39)) > oid("0" + String(repeating: "f", count: 39)))
    }
}
