import Foundation

/// A real git repository in a temporary directory, made with the real `git` binary:
/// branch `main`, a local `user.name`/`user.email`, and one commit that adds `README.md`.
///
/// Every `git` command the fixture runs gets ``environment``: this process's environment
/// without any `GIT_*` variable that could point git elsewhere, and with system and global
/// configuration switched off, so the machine's own git setup cannot change a test's outcome.
/// The directory is deleted when the fixture is released, so keep the fixture itself in a
/// local for as long as anything (such as an open `Repository`) uses the directory.
public final class GitFixture: @unchecked Sendable {
    public static let userName = "Fixture Author"
    public static let userEmail = "fixture@example.com"

    /// Owns the directory; keeps it alive as long as the fixture.
    public let directory: TemporaryDirectory
    /// The environment used for `git` child processes, and a good one to pass to
    /// ``Repository/discover(from:environment:)`` or `ConductorRepository.open`.
    public let environment: [String: String]

    /// The work tree's absolute path, without a trailing slash.
    public var path: String { directory.path }

    /// The `.git` directory's absolute path, without a trailing slash.
    public var gitDirectory: String { path + "/.git" }

    /// Creates the repository with one commit on `main`.
    public init(prefix: String = "conductor-repo") throws {
        directory = try TemporaryDirectory(prefix: prefix)
        environment = Self.isolatedEnvironment()
        try git("init", "-q", "-b", "main")
        try git("config", "user.name", Self.userName)
        try git("config", "user.email", Self.userEmail)
        try git("config", "commit.gpgsign", "false")
        try write("README.md", "# Fixture\n\nA repository made for a test.\n")
        try git("add", "README.md")
        try git("commit", "-q", "-m", "Initial commit")
    }

    /// This process's environment minus every variable that would redirect or reconfigure
    /// git, plus `GIT_CONFIG_NOSYSTEM=1` and `GIT_CONFIG_GLOBAL=/dev/null`.
    public static func isolatedEnvironment(
        from base: [String: String] = ProcessInfo.processInfo.environment
    ) -> [String: String] {
        var environment = base.filter { !$0.key.hasPrefix("GIT_") }
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        environment["GIT_CONFIG_GLOBAL"] = "/dev/null"
        environment["GIT_TERMINAL_PROMPT"] = "0"
        environment["LC_ALL"] = "C"
        return environment
    }

    /// ``environment`` with some variables added or replaced.
    public func environment(adding extra: [String: String]) -> [String: String] {
        environment.merging(extra) { _, new in new }
    }

    /// Runs `git` in the work tree and returns its result; throws a ``ProcessError/failed``
    /// that quotes the command and both output streams when git exits non-zero.
    @discardableResult
    public func git(_ arguments: String...) throws -> ProcessResult {
        try git(arguments)
    }

    /// Array form of ``git(_:)-(String...)``, with optional standard input and extra environment.
    @discardableResult
    public func git(_ arguments: [String], stdin: String? = nil, in subdirectory: String? = nil, environment extra: [String: String] = [:]) throws -> ProcessResult {
        let directory = subdirectory.map { path + "/" + $0 } ?? path
        let result = try gitResult(arguments, stdin: stdin, in: subdirectory, environment: extra)
        guard result.succeeded else {
            throw ProcessError.failed(command: ["git"] + arguments, directory: directory, result: result)
        }
        return result
    }

    /// Runs `git` in the work tree and returns its result whatever the exit status, for
    /// tests that expect a failure. Throws only when git cannot be started.
    public func gitResult(_ arguments: String...) throws -> ProcessResult {
        try gitResult(arguments)
    }

    /// Array form of ``gitResult(_:)-(String...)``.
    public func gitResult(_ arguments: [String], stdin: String? = nil, in subdirectory: String? = nil, environment extra: [String: String] = [:]) throws -> ProcessResult {
        let directory = subdirectory.map { path + "/" + $0 } ?? path
        return try runProcess("git", arguments, in: directory, environment: environment(adding: extra), stdin: stdin)
    }

    /// The full id that `revision` names, from `git rev-parse --verify`.
    public func revParse(_ revision: String) throws -> String {
        try git("rev-parse", "--verify", "--quiet", revision).output
    }

    /// The full id `revision` names, or nil when it names nothing.
    public func revParseIfPresent(_ revision: String) throws -> String? {
        let result = try gitResult("rev-parse", "--verify", "--quiet", revision)
        return result.succeeded ? result.output : nil
    }

    /// Runs `git fsck --strict` and returns what it printed (both streams); throws when
    /// fsck reports a problem by exiting non-zero.
    @discardableResult
    public func fsck() throws -> String {
        let result = try git("fsck", "--strict", "--no-progress")
        return result.stdout + result.stderr
    }

    /// Creates `relativePath` (and its parents) inside the work tree; returns its absolute path.
    @discardableResult
    public func subdirectory(_ relativePath: String) throws -> String {
        let absolute = path + "/" + relativePath
        try FileManager.default.createDirectory(atPath: absolute, withIntermediateDirectories: true)
        return absolute
    }

    /// Writes a file in the work tree, creating parent directories; nothing is staged.
    public func write(_ relativePath: String, _ contents: String) throws {
        let absolute = path + "/" + relativePath
        try FileManager.default.createDirectory(
            atPath: (absolute as NSString).deletingLastPathComponent, withIntermediateDirectories: true
        )
        try Data(contents.utf8).write(to: URL(fileURLWithPath: absolute))
    }

    /// Writes `files`, stages them and commits; returns the new commit's id.
    @discardableResult
    public func commit(_ message: String, files: [String: String] = [:]) throws -> String {
        for (file, contents) in files.sorted(by: { $0.key < $1.key }) {
            try write(file, contents)
            try git("add", "--", file)
        }
        try git("commit", "-q", "--allow-empty", "-m", message)
        return try revParse("HEAD")
    }

    /// A snapshot of the user's checkout, for asserting later that nothing changed.
    public func fingerprint() throws -> CheckoutFingerprint {
        try CheckoutFingerprint(workTree: path)
    }
}

/// The name the brief and older tests use for the same fixture.
public typealias TemporaryRepository = GitFixture
