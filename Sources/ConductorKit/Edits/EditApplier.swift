import ConductorDomain
import Foundation

/// Applies a model's edits to a run's worktree, all of them or none (DESIGN.md §5).
///
/// It reads the files the blocks name, checks what only the file system can tell (a symbolic
/// link on the way out of the worktree or into `.git`, a directory where a file should be),
/// lets the pure ``EditPlanner`` decide, and writes an accepted plan in two phases:
///
/// 1. stage: for every file, create missing parent directories, write the new content to a
///    temporary file beside it with the old file's mode, fsync it, and hard-link the old file
///    to a backup name. A failure here (disk full, a parent that is a regular file) has
///    touched no file: the temporaries are removed and the error thrown.
/// 2. commit: rename each temporary over its file. Renames within a directory are atomic and
///    need no space, so this rarely fails; if one does, the files already renamed are put
///    back by renaming their backups, which restores them byte for byte, mode and inode
///    included, and files the answer created are removed.
///
/// A refused answer is not an error: it comes back as ``EditOutcome/rejected(_:)`` with the
/// feedback for the model. Errors are for the file system failing; they name the file.
public struct EditApplier: Sendable {
    /// The worktree the edits are for; paths in edits are relative to it.
    public let worktree: String
    public var policy: PathPolicy
    public var limits: DiffLimits

    /// Tests only: makes the commit-phase rename of this repository-relative path fail, the
    /// one failure the real file system cannot be made to produce on demand.
    var failingRename: String?

    public init(worktree: String, policy: PathPolicy = PathPolicy(), limits: DiffLimits = DiffLimits()) {
        self.worktree = worktree
        self.policy = policy
        self.limits = limits
    }

    /// Parses `answer` and applies its edits.
    public func apply(answer: String) throws(ConductorError) -> EditOutcome {
        try apply(EditParser.parse(answer))
    }

    /// Applies parsed edits: writes them all and returns the plan, or writes nothing and
    /// returns the feedback.
    public func apply(_ parsed: EditParseResult) throws(ConductorError) -> EditOutcome {
        let root = try FileWrites.realPath(of: worktree)
        var files: [String: String?] = [:]
        var violations: [String: PathViolation] = [:]
        var targets: [String: WorktreeFile] = [:]
        var owners: [String: String] = [:]
        for path in EditPlanner.groupedByPath(parsed.blocks).map(\.path) where policy.violation(for: path) == nil {
            switch try WorktreeFile.locate(path, in: root) {
            case .refused(let violation):
                violations[path] = violation
            case .file(let file):
                if let owner = owners[file.relativePath] {
                    violations[path] = .conflict("\(path) is the same file as \(owner), through a symbolic link. Edit it as \(owner) only.")
                    continue
                }
                if file.relativePath != path, let violation = policy.violation(for: file.relativePath) {
                    violations[path] = .symlinkEscape("Through a symbolic link, \(path) is \(file.relativePath), which may not be written: \(violation.explanation)")
                    continue
                }
                owners[file.relativePath] = path
                guard file.exists else {
                    files[path] = .some(nil)
                    targets[path] = file
                    continue
                }
                guard let text = String(validating: try FileWrites.readAll(file.absolutePath), as: UTF8.self) else {
                    violations[path] = .unsupportedFile("\(path) is not UTF-8 text, and only text files can be edited.")
                    continue
                }
                files[path] = .some(text)
                targets[path] = file
            }
        }

        let outcome = EditPlanner.plan(parsed, files: files, policy: policy, limits: limits, pathViolations: violations)
        if let plan = outcome.plan {
            try write(plan.changes.compactMap { change in
                targets[change.path].map { PendingWrite(path: change.path, target: $0.absolutePath, contents: Array(change.after.utf8), replaces: change.before != nil) }
            }, root: root)
        }
        return outcome
    }

    /// One file to write.
    struct PendingWrite {
        /// As the model wrote it, for errors and the test hook.
        let path: String
        let target: String
        let contents: [UInt8]
        /// True when a file exists at `target` and is being replaced.
        let replaces: Bool
    }

    /// A staged write: the new content in `temporary`, the old file (if any) linked at `backup`.
    private struct Staged {
        let write: PendingWrite
        let temporary: String
        var backup: String? = nil
    }

    func write(_ writes: [PendingWrite], root: String) throws(ConductorError) {
        var created: [String] = []
        var staged: [Staged] = []
        do {
            for write in writes {
                let directory = FileWrites.parent(of: write.target)
                try FileWrites.makeDirectories(directory, root: root, created: &created)
                let temporary = try FileWrites.writeTemporary(write.contents, in: directory, modeOf: write.replaces ? write.target : nil)
                staged.append(Staged(write: write, temporary: temporary))
                if write.replaces { staged[staged.count - 1].backup = try FileWrites.backUp(write.target, in: directory) }
            }
        } catch {
            Self.discard(staged, created: created)
            throw error
        }

        for (position, stage) in staged.enumerated() {
            let failed = stage.write.path == failingRename ? EIO : (rename(stage.temporary, stage.write.target) == 0 ? 0 : errno)
            guard failed != 0 else { continue }
            let problem = "cannot replace the file: \(String(cString: strerror(failed)))"
            // Put back what was already renamed, newest first. A backup that cannot be renamed
            // back is kept, and named, so that nothing is lost.
            var unrestored: [String] = []
            for done in staged[..<position].reversed() {
                if let backup = done.backup {
                    if rename(backup, done.write.target) != 0 {
                        unrestored.append("\(done.write.target) (its old content is in \(backup): \(String(cString: strerror(errno))))")
                    }
                } else if unlink(done.write.target) != 0 {
                    unrestored.append("\(done.write.target) (new, could not be removed: \(String(cString: strerror(errno))))")
                }
            }
            Self.discard(Array(staged[position...]), created: created)
            guard unrestored.isEmpty else {
                throw .fileSystem(path: stage.write.target, detail: "\(problem); restoring the files written before it failed too, so the worktree is partly edited: \(unrestored.joined(separator: ", "))")
            }
            throw .fileSystem(path: stage.write.target, detail: "\(problem); no file was changed")
        }

        for directory in Set(staged.map { FileWrites.parent(of: $0.write.target) }) { FileWrites.syncDirectory(directory) }
        for stage in staged { _ = stage.backup.map { unlink($0) } }
    }

    /// Removes staged temporaries and backups, then the directories created for them, deepest
    /// first (`rmdir` leaves any directory that is not empty).
    private static func discard(_ staged: [Staged], created: [String]) {
        for stage in staged {
            unlink(stage.temporary)
            _ = stage.backup.map { unlink($0) }
        }
        for directory in created.reversed() { rmdir(directory) }
    }
}
