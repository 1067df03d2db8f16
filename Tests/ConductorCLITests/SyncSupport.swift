import ConductorTesting
import Foundation
import Testing

/// Two clones of one bare remote, as the sync tests need them: A is the sandbox's repository
/// (with `main` pushed to R and R as `origin`), R a bare repository in the sandbox's scratch
/// area, and B a `git clone` of R. Every process gets the sandbox's isolated environment.
final class SyncWorld: @unchecked Sendable {
    let sandbox: Sandbox
    /// The bare remote R.
    let remote: String
    /// Clone B's work tree.
    let b: String
    /// Clone A's work tree.
    var a: String { sandbox.path }

    init(sourceLocation: SourceLocation = #_sourceLocation) throws {
        sandbox = try Sandbox(sourceLocation: sourceLocation)
        remote = sandbox.scratch.appending("R.git")
        b = sandbox.scratch.appending("B")
        try git(["init", "-q", "--bare", "-b", "main", remote], in: sandbox.scratch.path)
        try sandbox.fixture.commit("Second commit", files: ["src.txt": "one\n"])
        try git(["remote", "add", "origin", remote], in: a)
        try git(["push", "-q", "-u", "origin", "main"], in: a)
        try clone(to: b)
    }

    /// `git clone R <path>` (extra clone options first), with an identity configured.
    func clone(to path: String, options: [String] = []) throws {
        try git(["clone", "-q"] + options + [remote, path], in: sandbox.scratch.path)
        try configureIdentity(in: path)
    }

    func configureIdentity(in directory: String) throws {
        try git(["config", "user.name", "Clone \((directory as NSString).lastPathComponent)"], in: directory)
        try git(["config", "user.email", "clone@example.com"], in: directory)
        try git(["config", "commit.gpgsign", "false"], in: directory)
    }

    // MARK: Processes

    /// Runs the real `git` in `directory`; throws when it exits non-zero.
    @discardableResult
    func git(_ arguments: [String], in directory: String, stdin: String? = nil, environment extra: [String: String] = [:]) throws -> ProcessResult {
        let result = try gitResult(arguments, in: directory, stdin: stdin, environment: extra)
        guard result.succeeded else { throw ProcessError.failed(command: ["git"] + arguments, directory: directory, result: result) }
        return result
    }

    func gitResult(_ arguments: [String], in directory: String, stdin: String? = nil, environment extra: [String: String] = [:]) throws -> ProcessResult {
        try runProcess("git", arguments, in: directory, environment: sandbox.environment.merging(extra) { _, new in new }, stdin: stdin)
    }

    /// Runs `git-conductor` in `directory`.
    func conductor(_ arguments: [String], in directory: String, environment extra: [String: String] = [:]) throws -> ProcessResult {
        try sandbox.run(Tool.conductor, arguments, in: directory, environment: extra)
    }

    /// Runs `git-conductor` and fails the test unless it exits 0.
    @discardableResult
    func conductorOK(_ arguments: [String], in directory: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> ProcessResult {
        let result = try conductor(arguments, in: directory)
        try #require(result.status == 0, "git-conductor \(arguments.joined(separator: " ")) in \(directory) failed: \(result)", sourceLocation: sourceLocation)
        return result
    }

    @discardableResult
    func synth(_ arguments: [String], in directory: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> ProcessResult {
        let result = try sandbox.run(Tool.synth, arguments, in: directory)
        try #require(result.status == 0, "conductor-synth \(arguments.joined(separator: " ")) failed: \(result)", sourceLocation: sourceLocation)
        return result
    }

    // MARK: Reading with plain git

    /// The id `revision` names in the repository at `directory` (a work tree or R), or nil.
    func rev(_ revision: String, in directory: String) throws -> String? {
        let result = try gitResult(["rev-parse", "--verify", "--quiet", revision], in: directory)
        return result.succeeded ? result.output : nil
    }

    /// Run ids with a `run.json` on the state branch of `directory`, sorted.
    func runs(in directory: String) throws -> [String] {
        try git(["ls-tree", "-r", "--name-only", stateBranch], in: directory).lines.compactMap { path -> String? in
            let parts = path.split(separator: "/")
            return parts.count == 5 && parts[4] == "run.json" ? String(parts[3]) : nil
        }.sorted()
    }

    /// `git fsck --strict`, failing the test when it finds anything.
    func fsck(_ directory: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = try gitResult(["fsck", "--strict", "--no-progress"], in: directory)
        #expect(result.succeeded, "git fsck --strict in \(directory): \(result)", sourceLocation: sourceLocation)
    }

    /// `log --json` without the wall-clock `age`.
    func log(in directory: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        try normalizedLog(conductorOK(["log", "--json"], in: directory, sourceLocation: sourceLocation).stdout, sourceLocation: sourceLocation)
    }

    /// `show --json` of one run, without the wall-clock `age`.
    func show(_ run: String, in directory: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        var object = try jsonObject(conductorOK(["show", run, "--json"], in: directory, sourceLocation: sourceLocation).stdout)
        if var summary = object["summary"] as? [String: Any] {
            summary["age"] = nil
            object["summary"] = summary
        }
        return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    /// The note on `commit` in `refs/notes/conductor`, as plain git shows it.
    func note(_ commit: String, in directory: String) throws -> String {
        try git(["notes", "--ref=conductor", "show", commit], in: directory).stdout
    }

    /// A bare repository's path works with `git -C`; this names the state tip of each place.
    func stateTips() throws -> [String?] {
        try [a, b, remote].map { try rev(stateBranch, in: $0) }
    }
}

/// Polls `condition` every 100 ms for up to `seconds`; true once it holds.
func eventually(within seconds: Double = 30, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return true }
        usleep(100_000)
    }
    return try condition()
}
