import ConductorTesting
import Foundation
import Testing

/// The built executables these tests run as child processes.
enum Tool {
    static var conductor: String { BuiltProducts.path("git-conductor") }
    static var synth: String { BuiltProducts.path("conductor-synth") }
}

/// The state branch's full ref name, spelled out here rather than taken from the code under test.
let stateBranch = "refs/heads/orchestrator-state"

/// The columns `git conductor log` prints, in order.
let logColumns = ["RUN", "STATUS", "AGE", "MODE", "BRANCH", "ITER", "TOKENS", "COST"]

/// A throw-away git repository (``GitFixture``) in which the built `git-conductor` and
/// `conductor-synth` run as child processes, plus two more temporary directories: an empty
/// home and a scratch area outside the repository (temporary index files, bare remotes,
/// "somewhere else" working directories).
///
/// Every child gets ``environment``: the fixture's isolated environment (no `GIT_*` from the
/// host, no system or global git configuration for `git`) with `HOME` and `XDG_CONFIG_HOME`
/// pointed at the empty home, because libgit2 ignores `GIT_CONFIG_GLOBAL` and would otherwise
/// read the host's `~/.gitconfig`.
final class Sandbox: @unchecked Sendable {
    let fixture: GitFixture
    let home: TemporaryDirectory
    let scratch: TemporaryDirectory

    init(sourceLocation: SourceLocation = #_sourceLocation) throws {
        for tool in [Tool.conductor, Tool.synth] {
            try #require(
                FileManager.default.isExecutableFile(atPath: tool),
                "\(tool) is not built; run `swift build --build-tests` first",
                sourceLocation: sourceLocation
            )
        }
        fixture = try GitFixture(prefix: "conductor-cli")
        home = try TemporaryDirectory(prefix: "conductor-cli-home")
        scratch = try TemporaryDirectory(prefix: "conductor-cli-scratch")
    }

    /// The work tree.
    var path: String { fixture.path }
    var gitDirectory: String { fixture.gitDirectory }

    /// `HOME` and `XDG_CONFIG_HOME` pointing at the empty home directory.
    var homeVariables: [String: String] {
        ["HOME": home.path, "XDG_CONFIG_HOME": home.path + "/.config"]
    }

    /// The environment every child process of this sandbox gets.
    var environment: [String: String] {
        var environment = fixture.environment(adding: homeVariables)
        environment["EMAIL"] = nil
        return environment
    }

    // MARK: Running the tools

    /// Runs `executable` in `directory` (the work tree by default) with ``environment`` plus
    /// `extra`, minus `removing`; never fails on a non-zero exit.
    func run(
        _ executable: String, _ arguments: [String], in directory: String? = nil,
        environment extra: [String: String] = [:], removing: [String] = []
    ) throws -> ProcessResult {
        var environment = environment.merging(extra) { _, new in new }
        for key in removing { environment[key] = nil }
        return try runProcess(executable, arguments, in: directory ?? path, environment: environment)
    }

    /// Runs `git-conductor` and returns whatever it did.
    func conductor(
        _ arguments: String..., in directory: String? = nil, environment extra: [String: String] = [:]
    ) throws -> ProcessResult {
        try run(Tool.conductor, arguments, in: directory, environment: extra)
    }

    /// Runs `git-conductor` and fails the test unless it exits 0.
    @discardableResult
    func conductorOK(
        _ arguments: String..., in directory: String? = nil, environment extra: [String: String] = [:],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> ProcessResult {
        let result = try run(Tool.conductor, arguments, in: directory, environment: extra)
        try #require(result.status == 0, "git-conductor \(arguments.joined(separator: " ")) failed: \(result)", sourceLocation: sourceLocation)
        return result
    }

    /// Runs `conductor-synth` and fails the test unless it exits 0.
    @discardableResult
    func synth(
        _ arguments: String..., in directory: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> ProcessResult {
        let result = try run(Tool.synth, arguments, in: directory)
        try #require(result.status == 0, "conductor-synth \(arguments.joined(separator: " ")) failed: \(result)", sourceLocation: sourceLocation)
        return result
    }

    /// Runs the real `git` in the work tree; throws when it exits non-zero.
    @discardableResult
    func git(_ arguments: String..., stdin: String? = nil, environment extra: [String: String] = [:]) throws -> ProcessResult {
        try fixture.git(arguments, stdin: stdin, environment: homeVariables.merging(extra) { _, new in new })
    }

    /// Runs the real `git` in the work tree whatever its exit status.
    func gitResult(_ arguments: String..., environment extra: [String: String] = [:]) throws -> ProcessResult {
        try fixture.gitResult(arguments, environment: homeVariables.merging(extra) { _, new in new })
    }

    // MARK: Setting up state

    /// `git conductor init` then `conductor-synth populate <count>`; returns the run ids that
    /// plain git sees on the branch, newest first.
    @discardableResult
    func populate(_ count: Int, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String] {
        try conductorOK("init", "--no-config-file", sourceLocation: sourceLocation)
        try synth("populate", String(count), sourceLocation: sourceLocation)
        let ids = try runIDsOnBranch()
        try #require(ids.count == count, "expected \(count) runs on the branch, git sees \(ids)", sourceLocation: sourceLocation)
        return ids
    }

    /// Creates one run with `conductor-synth create-run`; returns its id.
    func createRun(_ prompt: String = "Synthetic task", sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let id = try synth("create-run", prompt, sourceLocation: sourceLocation).output
        try #require(id.count == 26, "create-run printed \(id)", sourceLocation: sourceLocation)
        return id
    }

    // MARK: Reading state with plain git

    /// The state branch's tip, or nil when it does not exist.
    func stateTip() throws -> String? {
        try fixture.revParseIfPresent(stateBranch)
    }

    /// `.git/config`, byte for byte.
    func configBytes() throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: gitDirectory + "/config"))
    }

    /// Every path on the state branch, from `git ls-tree -r`.
    func pathsOnBranch() throws -> [String] {
        try git("ls-tree", "-r", "--name-only", stateBranch).output
            .split(separator: "\n").map(String.init)
    }

    /// The ids of the run directories holding a `run.json`, newest first, from `git ls-tree`.
    func runIDsOnBranch() throws -> [String] {
        try pathsOnBranch().compactMap { path -> String? in
            let parts = path.split(separator: "/")
            guard parts.count == 5, parts[0] == "runs", parts[4] == "run.json" else { return nil }
            return String(parts[3])
        }.sorted(by: >)
    }

    /// The names of a run's event files, sorted, from `git ls-tree`.
    func eventFiles(of id: String) throws -> [String] {
        try git("ls-tree", "--name-only", "\(stateBranch):\(runDirectory(id))/events").output
            .split(separator: "\n").map(String.init).sorted()
    }

    /// A blob on the state branch, from `git cat-file -p`.
    func fileOnBranch(_ path: String) throws -> String {
        try git("cat-file", "-p", "\(stateBranch):\(path)").stdout
    }

    /// Every blob on the state branch whose path starts with `prefix`, read with one
    /// `git cat-file --batch`.
    func filesOnBranch(under prefix: String = "") throws -> [String: String] {
        let paths = try pathsOnBranch().filter { $0.hasPrefix(prefix) }
        guard !paths.isEmpty else { return [:] }
        let request = paths.map { "\(stateBranch):\($0)" }.joined(separator: "\n") + "\n"
        let bytes = Array(try git("cat-file", "--batch", stdin: request).stdout.utf8)
        var files: [String: String] = [:]
        var position = 0
        for path in paths {
            guard let newline = bytes[position...].firstIndex(of: UInt8(ascii: "\n")) else { break }
            let header = String(decoding: bytes[position..<newline], as: UTF8.self).split(separator: " ")
            guard header.count == 3, let size = Int(header[2]) else { break }
            let start = newline + 1
            files[path] = String(decoding: bytes[start..<start + size], as: UTF8.self)
            position = start + size + 1
        }
        return files
    }

    /// Rewrites the state branch with plain git plumbing: a temporary index (outside the
    /// repository) is loaded from the tip, `edit` changes it through git commands that get
    /// `GIT_INDEX_FILE`, and the resulting tree is committed on top of the tip with
    /// `git commit-tree` and `git update-ref`. Returns the new tip.
    @discardableResult
    func rewriteStateBranch(message: String, _ edit: (_ indexEnvironment: [String: String]) throws -> Void) throws -> String {
        let tip = try #require(try stateTip(), "the state branch must exist before it is rewritten")
        let index = ["GIT_INDEX_FILE": scratch.appending("index-\(UUID().uuidString)")]
        try git("read-tree", stateBranch, environment: index)
        try edit(index)
        let tree = try git("write-tree", environment: index).output
        let commit = try git("commit-tree", "-p", tip, "-m", message, tree).output
        try git("update-ref", stateBranch, commit, tip)
        return commit
    }

    /// Replaces (or adds) one file on the state branch; returns the new tip.
    @discardableResult
    func replaceOnBranch(_ path: String, with contents: String) throws -> String {
        let blob = try git("hash-object", "-w", "--stdin", stdin: contents).output
        return try rewriteStateBranch(message: "Test: replace \(path)") { index in
            try git("update-index", "--add", "--cacheinfo", "100644,\(blob),\(path)", environment: index)
        }
    }

    /// Removes one file from the state branch; returns the new tip.
    @discardableResult
    func removeFromBranch(_ path: String) throws -> String {
        try rewriteStateBranch(message: "Test: remove \(path)") { index in
            try git("update-index", "--force-remove", "--", path, environment: index)
        }
    }

    /// The user-visible state of the checkout that git itself reports.
    func gitView() throws -> GitView {
        GitView(
            head: try git("rev-parse", "HEAD").output,
            branch: try git("symbolic-ref", "HEAD").output,
            status: try git("--no-optional-locks", "status", "--porcelain=v1", "--untracked-files=all").stdout,
            staged: try git("--no-optional-locks", "diff", "--cached", "--name-status").stdout
        )
    }

    /// The log's summary cache, as documented in docs/state-format.md.
    var cacheDirectory: String { gitDirectory + "/conductor/cache" }

    func deleteCache() throws {
        if FileManager.default.fileExists(atPath: cacheDirectory) {
            try FileManager.default.removeItem(atPath: cacheDirectory)
        }
    }
}

/// HEAD, the current branch, `git status` and the staged changes, as git reports them.
struct GitView: Equatable {
    let head: String
    let branch: String
    let status: String
    let staged: String
}

/// A run's directory on the state branch: `runs/<last character>/<second-last character>/<id>`.
func runDirectory(_ id: String) -> String {
    let characters = Array(id)
    return "runs/\(characters[characters.count - 1])/\(characters[characters.count - 2])/\(id)"
}

/// The shortest prefix of `id` that no other id in `ids` starts with.
func shortestUniquePrefix(of id: String, among ids: [String]) -> String {
    for length in 1...id.count {
        let prefix = String(id.prefix(length))
        if ids.filter({ $0.hasPrefix(prefix) }).count == 1 { return prefix }
    }
    return id
}

/// The longest prefix all `ids` share.
func commonPrefix(of ids: [String]) -> String {
    guard var prefix = ids.first else { return "" }
    for id in ids.dropFirst() {
        while !id.hasPrefix(prefix) { prefix.removeLast() }
    }
    return prefix
}

// MARK: JSON

func parseJSON(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Any {
    do {
        return try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
    } catch {
        Issue.record("not JSON (\(error)):\n\(text)", sourceLocation: sourceLocation)
        throw error
    }
}

func jsonObject(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
    try #require(try parseJSON(text, sourceLocation: sourceLocation) as? [String: Any], "not a JSON object:\n\(text)", sourceLocation: sourceLocation)
}

func jsonArray(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [[String: Any]] {
    try #require(try parseJSON(text, sourceLocation: sourceLocation) as? [[String: Any]], "not a JSON array of objects:\n\(text)", sourceLocation: sourceLocation)
}

/// `log --json` output re-serialized with sorted keys and without the `age` field, which
/// depends on the wall clock; two listings of the same runs compare equal.
func normalizedLog(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
    let entries = try jsonArray(text, sourceLocation: sourceLocation).map { entry in
        entry.filter { $0.key != "age" }
    }
    let data = try JSONSerialization.data(withJSONObject: entries, options: [.sortedKeys, .prettyPrinted])
    return String(decoding: data, as: UTF8.self)
}

// MARK: Log output

/// `git conductor log` in table form: the header's column names and each row's id and status.
struct LogTable {
    let columns: [String]
    let rows: [(id: String, status: String, line: String)]

    var ids: [String] { rows.map(\.id) }

    init(_ output: String) {
        var lines = output.split(separator: "\n").map(String.init)
        columns = lines.isEmpty ? [] : lines.removeFirst().split(separator: " ").map(String.init)
        rows = lines.map { line in
            let words = line.split(separator: " ").map(String.init)
            return (words.first ?? "", words.count > 1 ? words[1] : "", line)
        }
    }
}

/// Lines of `output`, without empty ones.
func lines(_ output: String) -> [String] {
    output.split(separator: "\n").map(String.init)
}

/// The run ids (26 lowercase base32 characters) that appear as words in `text`.
func runIDs(in text: String) -> [String] {
    let alphabet = Set("0123456789abcdefghjkmnpqrstvwxyz")
    return text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ":" || $0 == "'" }).map(String.init)
        .filter { $0.count == 26 && $0.allSatisfy(alphabet.contains) }
}
