import ConductorDomain
import Foundation
import GitKit

/// The repository the conductor works in, with everything a command needs to reach it:
/// the libgit2 handle, the commit identity, this clone's machine id and the private
/// directory `.git/conductor/` for caches and locks.
public final class ConductorRepository {
    public let git: Repository
    public let environment: [String: String]
    public let clock: any Clock
    public let identity: CommitIdentity

    init(git: Repository, environment: [String: String], clock: any Clock) {
        self.git = git
        self.environment = environment
        self.clock = clock
        identity = CommitIdentity.resolve(repository: git, environment: environment)
    }

    /// Opens the repository containing `directory`, honouring `GIT_DIR` and `GIT_WORK_TREE`.
    public static func open(
        at directory: String = FileManager.default.currentDirectoryPath,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        clock: any Clock = SystemClock()
    ) throws(ConductorError) -> ConductorRepository {
        do {
            let git = try Repository.discover(from: directory, environment: environment)
            return ConductorRepository(git: git, environment: environment, clock: clock)
        } catch where error.isNotFound {
            throw .notARepository(path: environment["GIT_DIR"] ?? directory)
        } catch {
            throw .git(error)
        }
    }

    /// `.git/conductor/`, shared by every worktree of the repository.
    public var privateDirectory: String { git.commonDirectory + "conductor" }

    /// The state branch as of its current tip, or nil when it does not exist yet. Reading
    /// writes nothing, so it works in a repository the user cannot write to.
    public func stateSnapshot() throws(ConductorError) -> StateSnapshot? {
        guard let tip = try gitCall({ () throws(GitError) in try git.referenceTarget(StateLayout.branch) }) else {
            return nil
        }
        return try StateSnapshot(repository: git, tip: tip)
    }

    /// The current state snapshot, failing when the branch does not exist.
    public func requireStateSnapshot() throws(ConductorError) -> StateSnapshot {
        guard let snapshot = try stateSnapshot() else { throw .stateBranchMissing }
        return snapshot
    }

    /// The state branch of this repository, for writing (this creates the machine id).
    public func stateStore(retry: RetryPolicy = RetryPolicy()) throws(ConductorError) -> GitStateStore {
        GitStateStore(repository: self, machine: try machineID(), retry: retry)
    }

    /// The `refs/notes/conductor` notes of this repository.
    public func notes(retry: RetryPolicy = RetryPolicy()) -> NotesStore {
        NotesStore(repository: self, retry: retry)
    }

    /// This clone's machine id, created on first use in `.git/conductor/machine-id`.
    ///
    /// The id is random rather than derived from the host name, because CI containers and
    /// cloned dev boxes often share host names.
    public func machineID() throws(ConductorError) -> MachineID {
        let path = privateDirectory + "/machine-id"
        if let existing = existingMachineID() { return existing }
        var generator = SystemRandomNumberGenerator()
        let fresh = MachineID.random(using: &generator)
        try PrivateFiles.createOnce(path, contents: Array((fresh.rawValue + "\n").utf8))
        // Another process may have won the race to create it; theirs is the one that counts.
        guard let stored = Self.readMachineID(at: path) else {
            throw .fileSystem(path: path, detail: "does not hold a machine id; delete it to create a new one")
        }
        return stored
    }

    /// This clone's machine id if one was ever created; reading never creates it.
    public func existingMachineID() -> MachineID? {
        Self.readMachineID(at: privateDirectory + "/machine-id")
    }

    private static func readMachineID(at path: String) -> MachineID? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return MachineID(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

/// Small, crash-safe file writes under `.git/conductor/`: the content is flushed to disk
/// (``FileWrites``) before it gets its name.
enum PrivateFiles {
    /// Creates `path` with `contents` unless it exists; never exposes a half-written file.
    static func createOnce(_ path: String, contents: [UInt8]) throws(ConductorError) {
        let temporary = try writeTemporary(beside: path, contents: contents)
        defer { unlink(temporary) }
        if link(temporary, path) != 0, errno != EEXIST {
            throw .fileSystem(path: path, detail: String(cString: strerror(errno)))
        }
    }

    /// Replaces `path` with `contents` atomically (write, then rename).
    static func replace(_ path: String, contents: [UInt8]) throws(ConductorError) {
        let temporary = try writeTemporary(beside: path, contents: contents)
        if rename(temporary, path) != 0 {
            let detail = String(cString: strerror(errno))
            unlink(temporary)
            throw .fileSystem(path: path, detail: detail)
        }
    }

    private static func writeTemporary(beside path: String, contents: [UInt8]) throws(ConductorError) -> String {
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .fileSystem(path: directory, detail: error.localizedDescription)
        }
        return try FileWrites.writeTemporary(contents, in: directory, modeOf: nil)
    }
}
