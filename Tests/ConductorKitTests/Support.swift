import ConductorDomain
import ConductorKit
import ConductorTesting
import Foundation
import GitKit
import Testing

let stateBranch = "refs/heads/orchestrator-state"

extension GitFixture {
    /// The fixture opened as the conductor opens a repository.
    func conductor(adding extra: [String: String] = [:]) throws -> ConductorRepository {
        try ConductorRepository.open(at: path, environment: environment(adding: extra))
    }

    /// A state store on an initialised state branch.
    func initializedStore() throws -> (ConductorRepository, GitStateStore) {
        let repository = try conductor()
        let store = try repository.stateStore()
        try store.initialize()
        return (repository, store)
    }

    /// The tip of the state branch, or nil.
    func stateTip() throws -> String? {
        try revParseIfPresent(stateBranch)
    }

    /// How many commits `ref` has.
    func commitCount(_ ref: String = stateBranch) throws -> Int {
        Int(try git("rev-list", "--count", ref).output) ?? -1
    }

    /// `git cat-file -p <spec>`.
    func show(_ spec: String) throws -> String {
        try git("cat-file", "-p", spec).stdout
    }

    /// The JSON object stored at `spec` (such as `orchestrator-state:format.json`).
    func json(_ spec: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(show(spec).utf8))
        return try #require(object as? [String: Any], "\(spec) is not a JSON object", sourceLocation: sourceLocation)
    }

    /// Commits `files` (path → contents) on top of `ref` with git plumbing and a throw-away
    /// index, never the user's, then moves `ref`; returns the new commit.
    @discardableResult
    func plumbingCommit(on ref: String, files: [String: String], message: String = "Edited with plumbing") throws -> String {
        let index = try TemporaryDirectory(prefix: "conductor-index")
        let environment = ["GIT_INDEX_FILE": index.appending("index")]
        let parent = try revParseIfPresent(ref)
        if let parent {
            try git(["read-tree", parent], environment: environment)
        } else {
            try git(["read-tree", "--empty"], environment: environment)
        }
        for (file, contents) in files.sorted(by: { $0.key < $1.key }) {
            let blob = try git(["hash-object", "-w", "--stdin"], stdin: contents).output
            try git(["update-index", "--add", "--cacheinfo", "100644,\(blob),\(file)"], environment: environment)
        }
        let tree = try git(["write-tree"], environment: environment).output
        let commit = try git(["commit-tree", tree, "-m", message] + (parent.map { ["-p", $0] } ?? [])).output
        try git(["update-ref", ref, commit] + (parent.map { [$0] } ?? []))
        return commit
    }

    /// Leaves the work tree, index and branches in an unusual but realistic state, so that a
    /// fingerprint covers more than a clean checkout: a staged change, an unstaged change,
    /// an untracked file, an executable, a symbolic link and a second branch.
    func makeCheckoutBusy() throws {
        try commit("Add sources", files: ["Sources/app/main.swift": "print(1)\n", "script.sh": "#!/bin/sh\n"])
        try git("branch", "feature")
        try write("Sources/app/main.swift", "print(2)\n")
        try git("add", "Sources/app/main.swift")
        try write("Sources/app/main.swift", "print(3)\n")
        try write("untracked/notes.txt", "mine\n")
        try git("update-index", "--chmod=+x", "script.sh")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path + "/script.sh")
        try FileManager.default.createSymbolicLink(atPath: path + "/link", withDestinationPath: "README.md")
    }
}

extension GitStateStore {
    /// A record for a new run with a chosen id.
    func record(id: RunID, prompt: String = "Do something useful", mode: RunMode = .streamlined) -> RunRecord {
        RunRecord(
            id: id, prompt: prompt, mode: mode, baseCommit: String(repeating: "1", count: 40),
            taskBranch: "conductor/task-\(id.shortTag)", provider: "script", model: "scripted",
            createdAt: Timestamp(milliseconds: Int64(id.milliseconds)), machine: machine
        )
    }

    /// A record for a new run with a fresh id.
    func freshRecord(prompt: String = "Do something useful") -> RunRecord {
        var generator = SystemRandomNumberGenerator()
        let now = UInt64(Date().timeIntervalSince1970 * 1000)
        return record(id: RunID.generate(atMilliseconds: now, using: &generator), prompt: prompt)
    }
}

func transition(_ from: RunState?, _ to: RunState, _ reason: FailureReason? = nil) -> EventPayload {
    .transition(from: from, to: to, reason: reason, detail: nil)
}

func runID(_ text: String) -> RunID {
    guard let id = RunID(text) else { fatalError("test bug: invalid run id \(text)") }
    return id
}

/// Runs `body`, expecting exactly `expected`.
func expectConductorError(
    _ expected: ConductorError,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> Void
) {
    #expect(throws: expected, sourceLocation: sourceLocation) { try body() }
}
