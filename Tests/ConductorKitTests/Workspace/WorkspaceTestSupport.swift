import ConductorDomain
import ConductorKit
import ConductorTesting
import Foundation
import GitKit
import Testing

extension GitFixture {
    /// A run record as the engine makes one: a fresh id, the task branch derived from the
    /// prompt, and `base` (HEAD by default) as its base commit. Nothing is written.
    func workspaceRecord(_ store: GitStateStore, prompt: String = "Fix the login timeout", base: String? = nil) throws -> RunRecord {
        var generator = SystemRandomNumberGenerator()
        let now = UInt64(Date().timeIntervalSince1970 * 1000)
        let id = RunID.generate(atMilliseconds: now, using: &generator)
        return RunRecord(
            id: id, prompt: prompt, mode: .fast, baseCommit: try base ?? revParse("HEAD"),
            taskBranch: TaskBranchName(prompt: prompt, run: id).rawValue, provider: "script", model: "scripted",
            createdAt: Timestamp(milliseconds: Int64(now)), machine: store.machine
        )
    }

    /// A run recorded on the state branch that has reached `state` (nil: only started).
    func workspaceRun(_ store: GitStateStore, prompt: String = "Fix the login timeout", state: RunState? = nil) throws -> RunRecord {
        let record = try workspaceRecord(store, prompt: prompt)
        try store.createRun(record, events: [transition(nil, .precheck)])
        if let state { try store.append([transition(.precheck, state)], to: record.id) }
        return record
    }

    /// `.git/conductor/worktrees/<run-id>`, as docs/workspace.md documents it.
    func runWorktreePath(_ run: RunID) -> String {
        gitDirectory + "/conductor/worktrees/" + run.rawValue
    }

    /// `git worktree list --porcelain`, one dictionary per worktree.
    func porcelainWorktrees() throws -> [[String: String]] {
        try git("worktree", "list", "--porcelain").stdout.components(separatedBy: "\n\n").compactMap { block in
            var fields: [String: String] = [:]
            for line in block.split(separator: "\n") {
                let parts = line.split(separator: " ", maxSplits: 1)
                fields[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
            }
            return fields.isEmpty ? nil : fields
        }
    }

    /// The worktree `git worktree list` shows at `path`, if any.
    func listedWorktree(at path: String) throws -> [String: String]? {
        try porcelainWorktrees().first { $0["worktree"] == path }
    }

    /// Runs git inside `directory` (a run's worktree) with the fixture's environment.
    @discardableResult
    func gitIn(_ directory: String, _ arguments: String...) throws -> ProcessResult {
        let result = try runProcess("git", arguments, in: directory, environment: environment)
        guard result.succeeded else {
            throw ProcessError.failed(command: ["git"] + arguments, directory: directory, result: result)
        }
        return result
    }
}

/// Writes `contents` at `relativePath` inside `directory`, creating parents.
func writeFile(_ directory: String, _ relativePath: String, _ contents: String) throws {
    let path = directory + "/" + relativePath
    try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
}
