import ConductorDomain
import ConductorKit
import Foundation

/// A failure that stops the benchmark: a tool missing, a git command failing. Missing a
/// budget is not one of these; it is a MISS in the table.
struct BenchError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// The programs the benchmark drives and the environment it gives them.
struct Tools {
    let git: String
    let conductor: String
    /// This process's environment without any `GIT_*` variable (a `make bench` started from a
    /// git hook would otherwise point every child at the wrong repository or index), and with
    /// git's system and global configuration switched off, so the machine's own settings
    /// (hooks, fsmonitor, `core.fsync`…) cannot change what the `git` children do. The same
    /// environment opens the repositories in-process and runs `git-conductor`.
    let environment: [String: String]

    init(binDirectory: String) throws {
        let inherited = ProcessInfo.processInfo.environment
        guard let git = findExecutable("git", path: inherited["PATH"]) else {
            throw BenchError("git not found on PATH; the plumbing baseline and repository set-up need it")
        }
        let candidate = (binDirectory.hasSuffix("/") ? binDirectory : binDirectory + "/") + "git-conductor"
        // Absolute, because the children run in the repository's directory, not ours.
        guard access(candidate, X_OK) == 0, let resolved = realpath(candidate, nil) else {
            throw BenchError("\(candidate) not found or not executable; build it with 'swift build -c release --product git-conductor' or pass --bin-dir")
        }
        defer { free(resolved) }
        self.git = git
        conductor = String(cString: resolved)
        var environment = inherited.filter { !$0.key.hasPrefix("GIT_") }
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        environment["GIT_CONFIG_GLOBAL"] = "/dev/null"
        environment["GIT_TERMINAL_PROMPT"] = "0"
        environment["LC_ALL"] = "C"
        self.environment = environment
    }

    /// `git --version` without the "git version " prefix, for the report's header.
    func gitVersion() -> String {
        let result = try? ChildProcess(executable: git, arguments: ["--version"], environment: environment).run()
        return result.map { $0.output.replacingOccurrences(of: "git version ", with: "") } ?? "unknown"
    }
}

/// A directory under `$TMPDIR` that the benchmark owns and removes when done, or when
/// interrupted: the repositories in it take several hundred megabytes.
final class ScratchDirectory {
    let path: String
    private var interruptSources: [any DispatchSourceSignal] = []

    init(prefix: String) throws {
        let base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array("\(base)/\(prefix).XXXXXX".utf8CString)
        guard let created = mkdtemp(&template) else {
            throw BenchError("cannot create a temporary directory in \(base): \(String(cString: strerror(errno)))")
        }
        path = String(cString: created)
        removeOnInterrupt()
    }

    func remove() {
        interruptSources.forEach { $0.cancel() }
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Ctrl-C or a kill would otherwise skip `remove()`. The main thread is busy with
    /// synchronous work, so the signals are taken on a dispatch queue. Removing the directory
    /// from there would race with the main thread still writing into it, so the removal is
    /// left to a small shell that waits for this process to be gone.
    private func removeOnInterrupt() {
        let path = path
        for signal in [SIGINT, SIGTERM] {
            Glibc.signal(signal, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signal, queue: .global())
            source.setEventHandler {
                FileHandle.standardError.write(Data("conductor-bench: interrupted; removing \(path)\n".utf8))
                let script = "while kill -0 \"$1\" 2>/dev/null; do sleep 0.1; done; rm -rf \"$2\""
                spawnDetached("/bin/sh", ["-c", script, "sh", String(getpid()), path])
                _exit(128 + signal)
            }
            source.resume()
            interruptSources.append(source)
        }
    }
}

/// Runs the real `git` in one repository.
struct Git {
    let tools: Tools
    let directory: String

    /// Runs git and returns its trimmed standard output; throws with git's own message on failure.
    @discardableResult
    func callAsFunction(_ arguments: String..., stdin: [UInt8] = [], environment extra: [String: String] = [:]) throws -> String {
        try run(arguments, stdin: stdin, environment: extra)
    }

    @discardableResult
    func run(_ arguments: [String], stdin: [UInt8] = [], environment extra: [String: String] = [:]) throws -> String {
        let child = ChildProcess(
            executable: tools.git, arguments: arguments, directory: directory,
            environment: tools.environment.merging(extra) { _, new in new }, stdin: stdin
        )
        let result = try child.run()
        guard result.status.succeeded else {
            let message = String(decoding: result.stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw BenchError("git \(arguments.joined(separator: " ")) failed (\(result.status)): \(message)")
        }
        return result.output
    }
}

/// A repository made with the real `git`, holding a state branch filled with synthetic runs.
final class BenchRepository {
    let path: String
    let git: Git
    let conductor: ConductorRepository
    let store: GitStateStore
    private let environment: [String: String]
    /// Every run created so far, oldest first.
    private(set) var runs: [RunID] = []
    /// Time spent in `SyntheticRuns.populate` so far.
    private(set) var populateNanoseconds: UInt64 = 0

    /// How many runs `populate` puts in one commit: the library's default, and the way an
    /// import would fill a branch. The number of commits does not affect what is measured.
    static let runsPerCommit = 500

    init(at path: String, tools: Tools) throws {
        self.path = path
        git = Git(tools: tools, directory: path)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try git("init", "-q")
        try git("config", "user.name", "Conductor Bench")
        try git("config", "user.email", "bench@example.com")
        try git("config", "commit.gpgsign", "false")
        try git("commit", "-q", "--allow-empty", "-m", "init")
        environment = tools.environment
        conductor = try ConductorRepository.open(at: path, environment: environment)
        store = try conductor.stateStore()
        try store.initialize()
    }

    /// The `.git/conductor/cache/` directory that `git conductor log` keeps its summaries in.
    var summaryCacheDirectory: String { conductor.privateDirectory + "/cache" }

    /// Adds runs until there are `count`.
    ///
    /// Populating goes through a repository handle of its own, released afterwards: libgit2
    /// caches the objects a handle writes, and a cache filled with 150 000 populate objects
    /// would slow the measured handle in a way no real writer sees.
    func grow(to count: Int) throws {
        guard count > runs.count else { return }
        let writer = try ConductorRepository.open(at: path, environment: environment)
        let synthetic = SyntheticRuns(store: try writer.stateStore(), repository: writer)
        let (created, elapsed) = try Monotonic.time {
            try synthetic.populate(count: count - runs.count, perCommit: Self.runsPerCommit)
        }
        runs += created
        populateNanoseconds += elapsed
    }

    /// `count` runs spread evenly over the whole id range, so samples touch different shards
    /// and runs of different ages rather than one hot path.
    func spreadRuns(_ count: Int) -> [RunID] {
        guard runs.count > count else { return runs }
        return (0..<count).map { runs[$0 * (runs.count - 1) / max(1, count - 1)] }
    }
}
