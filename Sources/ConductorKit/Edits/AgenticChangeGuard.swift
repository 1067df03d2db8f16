import ConductorDomain
import Foundation
import GitKit

/// What the worktree and its git directory looked like before an agent's turn, so that
/// ``AgenticChangeGuard`` can tell what the agent did and undo it.
public struct AgenticBaseline: Sendable, Equatable {
    /// The branch HEAD pointed at (nil when detached) and its commit.
    public let headReference: String?
    public let headCommit: ObjectID?
    /// The files of the git directory an agent could use to run code or change what git
    /// does: hooks, `config`, `config.worktree`, `info/`.
    let gitFiles: [String: GitDirectoryFile]
}

/// One file of the git directory, as it was.
struct GitDirectoryFile: Sendable, Equatable {
    enum Content: Sendable, Equatable {
        case file(bytes: [UInt8], mode: mode_t)
        case link(target: String)
    }

    let absolutePath: String
    let content: Content
}

/// The guard for agentic mode: after a command-line agent edited the run's worktree itself,
/// it finds every change (against the commit before the turn, with git's own status), applies
/// the same rules as to parsed edits (path sandbox, `.git`, protected paths, symbolic links
/// that lead out, the size limits), undoes what breaks them, and reports it in the style of
/// ``EditFeedback`` (``AgenticChangeReport/feedback``). The decision itself is the pure
/// ``AgenticReview``; this type reads and writes.
///
/// Undoing means: a file the agent created is removed, a file it changed or deleted is
/// restored from the commit, a change inside the git directory is put back from the
/// baseline, and commits or branch switches are reset (the files they changed stay in the
/// worktree and are checked like the rest).
///
/// What it cannot see: ignored files (git does not list them, and the engine does not commit
/// them), and anything outside the worktree and its git directory, which only the agent's own
/// sandbox can prevent.
public struct AgenticChangeGuard: Sendable {
    public let worktree: String
    public var policy: PathPolicy
    public var limits: DiffLimits

    public init(worktree: String, policy: PathPolicy = PathPolicy(), limits: DiffLimits = DiffLimits()) {
        self.worktree = worktree
        self.policy = policy
        self.limits = limits
    }

    /// Reviews the agent's changes since the worktree's HEAD, without a baseline: commits the
    /// agent made and writes into `.git` are not seen. Prefer ``baseline()`` before the turn
    /// and ``inspect(since:)`` after it.
    public static func inspect(worktree: String, policy: PathPolicy = PathPolicy(), limits: DiffLimits = DiffLimits()) throws(ConductorError) -> AgenticChangeReport {
        try AgenticChangeGuard(worktree: worktree, policy: policy, limits: limits).inspect(since: nil)
    }

    /// Records HEAD and the sensitive files of the git directory. Call it just before the
    /// agent's turn.
    public func baseline() throws(ConductorError) -> AgenticBaseline {
        let repository = try gitCall { () throws(GitError) in try Repository.open(at: worktree) }
        let head = try gitCall { () throws(GitError) in try repository.head() }
        return AgenticBaseline(headReference: head.reference, headCommit: head.commit, gitFiles: try Self.gitFiles(of: repository))
    }

    /// Finds what the agent changed since `baseline` (or since HEAD), undoes what breaks the
    /// rules, and reports. The worktree is left with only the kept changes, the index matching
    /// the baseline commit.
    public func inspect(since baseline: AgenticBaseline? = nil) throws(ConductorError) -> AgenticChangeReport {
        let root = try FileWrites.realPath(of: worktree)
        let repository = try gitCall { () throws(GitError) in try Repository.open(at: root) }
        var notes: [EditProblem] = []
        var changes: [AgenticChange] = []
        var gitChanges: [String: (kind: AgenticChange.Kind, before: GitDirectoryFile?, after: GitDirectoryFile?)] = [:]

        if let baseline {
            let now = try Self.gitFiles(of: repository)
            for (name, file) in now where baseline.gitFiles[name] != file {
                gitChanges[name] = (baseline.gitFiles[name] == nil ? .added : .modified, baseline.gitFiles[name], file)
            }
            for (name, file) in baseline.gitFiles where now[name] == nil {
                gitChanges[name] = (.deleted, file, nil)
            }
            for (name, change) in gitChanges {
                changes.append(AgenticChange(path: name, kind: change.kind, violation: .gitDirectory))
            }
            if let note = try restoreHead(repository, to: baseline) { notes.append(note) }
        }
        let base = try gitCall { () throws(GitError) in try repository.head().commit }
        if let base {
            // The index is made to match the commit, so that status compares the files with it.
            try gitCall { () throws(GitError) in try repository.resetKeepingWorkingTree(to: base) }
        }
        let tree = try base.map { (id) throws(ConductorError) -> Tree in
            try gitCall { () throws(GitError) in try repository.tree(repository.commit(id).tree) }
        }

        let listed = try gitCall { () throws(GitError) in try repository.status() }
        var worktreeKinds: [String: AgenticChange.Kind] = [:]
        for entry in listed {
            guard let change = try change(entry.path, in: root, tree: tree, repository: repository) else { continue }
            changes.append(change)
            worktreeKinds[change.path] = change.kind
        }

        let report = AgenticReview.review(changes, policy: policy, limits: limits, notes: notes)
        try undo(report.reverted.filter { gitChanges[$0.path] == nil }, root: root, repository: repository)
        for change in report.reverted {
            if let gitChange = gitChanges[change.path] { try Self.putBack(gitChange.before, over: gitChange.after) }
        }
        return report
    }

    // MARK: Finding changes

    /// The change at `path` against the commit's `tree`, or nil when the file is as it was
    /// (status lists paths whose index entry alone differed).
    private func change(_ path: String, in root: String, tree: Tree?, repository: Repository) throws(ConductorError) -> AgenticChange? {
        let absolute = root + "/" + (path.hasSuffix("/") ? String(path.dropLast()) : path)
        if path.hasSuffix("/") {
            return AgenticChange(path: path, kind: .added, violation: .unsupportedFile(
                "\(path) is a git repository of its own, whose files cannot be committed as part of this one."
            ))
        }
        let entry = try tree.flatMap { (tree) throws(ConductorError) -> TreeEntry? in
            try gitCall { () throws(GitError) in try tree.entry(atPath: path) }
        }
        let before: Content? = try entry.map { (entry) throws(ConductorError) -> Content in
            let bytes = try gitCall { () throws(GitError) in try repository.readBlob(entry.id) }
            return entry.isSymbolicLink ? .link(String(decoding: bytes, as: UTF8.self)) : .file(bytes)
        }
        let after = try Self.content(at: absolute)
        guard before != after else { return nil }
        let kind: AgenticChange.Kind = before == nil ? .added : after == nil ? .deleted : .modified
        var violation: PathViolation?
        if case .link(let target) = after {
            violation = linkViolation(path, target: target, root: root)
        } else if case .directory = after {
            violation = .unsupportedFile("\(path) was replaced by a directory.")
        }
        return AgenticChange(path: path, kind: kind, lines: count(before, after), violation: violation)
    }

    /// What is at a path, compared as git compares it: a file's bytes, a link's target.
    enum Content: Equatable {
        case file([UInt8])
        case link(String)
        case directory

        var text: String? {
            switch self {
            case .file(let bytes): String(validating: bytes, as: UTF8.self)
            case .link(let target): target
            case .directory: nil
            }
        }
    }

    static func content(at path: String) throws(ConductorError) -> Content? {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            guard errno == ENOENT || errno == ENOTDIR else {
                throw .fileSystem(path: path, detail: "cannot inspect: \(FileWrites.lastError())")
            }
            return nil
        }
        switch info.st_mode & S_IFMT {
        case S_IFLNK:
            return .link(try linkTarget(path))
        case S_IFDIR:
            return .directory
        default:
            return .file(try FileWrites.readAll(path))
        }
    }

    static func linkTarget(_ path: String) throws(ConductorError) -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink(path, &buffer, buffer.count - 1)
        guard length >= 0 else { throw .fileSystem(path: path, detail: "cannot read the link: \(FileWrites.lastError())") }
        return String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Lines added and removed, as for parsed edits; nothing for binary content.
    private func count(_ before: Content?, _ after: Content?) -> LineChangeCount {
        let old = before?.text
        let new = after?.text
        guard before == nil || old != nil, after == nil || new != nil else { return LineChangeCount(added: 0, removed: 0) }
        return LineDiff.count(from: old, to: new, limit: limits.maxChangedLines)
    }

    /// Why a symbolic link the agent made may not stay: it leads outside the worktree, into
    /// `.git`, or to a protected path. A link to something that does not exist yet is judged
    /// by where it points.
    func linkViolation(_ path: String, target: String, root: String) -> PathViolation? {
        let parent = (root + "/" + path).split(separator: "/").dropLast().joined(separator: "/")
        let realParent = (try? FileWrites.realPath(of: "/" + parent)) ?? "/" + parent
        var resolved = Self.normalized(target.hasPrefix("/") ? target : realParent + "/" + target)
        if let real = try? FileWrites.realPath(of: resolved) { resolved = real }
        guard resolved == root || resolved.hasPrefix(root + "/") else {
            return .symlinkEscape("\(path) is a symbolic link that leads outside the repository.")
        }
        let inside = String(resolved.dropFirst(root.count).drop { $0 == "/" })
        if inside.split(separator: "/").contains(where: PathPolicy.isGitName) {
            return .symlinkEscape("\(path) is a symbolic link into .git, which belongs to git.")
        }
        if !inside.isEmpty, let violation = policy.violation(for: inside) {
            return .symlinkEscape("Through a symbolic link, \(path) is \(inside), which may not be written: \(violation.explanation)")
        }
        return nil
    }

    /// `path` with `.` and `..` segments resolved by their text.
    static func normalized(_ path: String) -> String {
        var segments: [Substring] = []
        for segment in path.split(separator: "/") {
            switch segment {
            case ".": continue
            case "..": _ = segments.popLast()
            default: segments.append(segment)
            }
        }
        return "/" + segments.joined(separator: "/")
    }

    // MARK: Undoing

    /// Undoes worktree changes: what the agent created is removed (shallowest first, so a
    /// link is removed as a link before anything is looked up through it), then what it
    /// changed or deleted is restored from the commit.
    private func undo(_ changes: [AgenticChange], root: String, repository: Repository) throws(ConductorError) {
        let created = changes.filter { $0.kind == .added }.sorted { $0.path.count < $1.path.count }
        for change in created {
            try Self.remove(change.path, root: root)
            Self.removeEmptyParents(of: change.path, root: root)
        }
        let restored = changes.filter { $0.kind != .added }.map(\.path)
        for path in restored { try Self.remove(path, root: root) }
        try gitCall { () throws(GitError) in try repository.restoreFromHead(restored) }
    }

    /// Removes what is at `path` (a link as a link, a directory with everything in it),
    /// never following a link on the way: a parent that is not a real directory holds
    /// nothing of the worktree, so there is nothing below it to remove.
    static func remove(_ path: String, root: String) throws(ConductorError) {
        let segments = path.split(separator: "/")
        var current = root
        for segment in segments.dropLast() {
            current += "/" + segment
            var info = stat()
            guard lstat(current, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
                // Not a directory: a link or file the agent put in the way. It goes too.
                if lstat(current, &info) == 0 { try removeItem(current) }
                return
            }
        }
        let target = root + "/" + segments.joined(separator: "/")
        var info = stat()
        guard lstat(target, &info) == 0 else { return }
        try removeItem(target)
    }

    /// Removes a file or a link with `unlink` (never what a link points at), and a real
    /// directory with everything in it.
    private static func removeItem(_ absolute: String) throws(ConductorError) {
        var info = stat()
        guard lstat(absolute, &info) == 0 else { return }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            guard unlink(absolute) == 0 || errno == ENOENT else {
                throw .fileSystem(path: absolute, detail: "cannot remove what the agent made: \(FileWrites.lastError())")
            }
            return
        }
        do {
            try FileManager.default.removeItem(atPath: absolute)
        } catch {
            throw .fileSystem(path: absolute, detail: "cannot remove what the agent made: \(error.localizedDescription)")
        }
    }

    /// Removes the directories left empty above a removed path, up to the worktree.
    static func removeEmptyParents(of path: String, root: String) {
        var segments = path.split(separator: "/").dropLast()
        while !segments.isEmpty {
            guard rmdir(root + "/" + segments.joined(separator: "/")) == 0 else { return }
            segments = segments.dropLast()
        }
    }

    /// Puts HEAD back where the baseline had it: on its branch, at its commit. The files the
    /// agent's commits changed stay in the worktree, to be checked with the rest.
    private func restoreHead(_ repository: Repository, to baseline: AgenticBaseline) throws(ConductorError) -> EditProblem? {
        let now = try gitCall { () throws(GitError) in try repository.head() }
        guard now.reference != baseline.headReference || now.commit != baseline.headCommit else { return nil }
        try gitCall { () throws(GitError) in
            if now.reference != baseline.headReference {
                try repository.setHead(reference: baseline.headReference, commit: baseline.headCommit)
            }
            if let commit = baseline.headCommit { try repository.resetKeepingWorkingTree(to: commit) }
        }
        let was = baseline.headReference.map { $0.replacingOccurrences(of: "refs/heads/", with: "") } ?? baseline.headCommit?.short ?? "nothing"
        return EditProblem(.gitDirectory, detail: """
        You committed or switched branches (HEAD was on \(was) and moved). The conductor makes the commits \
        itself: HEAD was put back on \(was), and what your commits changed is in the worktree again, \
        checked like your other changes. Edit files only; do not run git commands that change history.
        """)
    }

    // MARK: The git directory

    /// Where hooks, configuration and exclude files live, relative to a git directory.
    static let sensitive = ["hooks", "config", "config.worktree", "info"]

    /// The sensitive files of the worktree's git directory and of the common one, by their
    /// name as the model would write it (`.git/hooks/pre-commit`).
    static func gitFiles(of repository: Repository) throws(ConductorError) -> [String: GitDirectoryFile] {
        let common = trimmed(repository.commonDirectory)
        var files: [String: GitDirectoryFile] = [:]
        for directory in Set([common, trimmed(repository.gitDirectory)]) {
            for name in sensitive {
                try collect(directory + "/" + name, common: common, into: &files)
            }
        }
        return files
    }

    private static func trimmed(_ path: String) -> String {
        var path = path
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        return path
    }

    private static func collect(_ path: String, common: String, into files: inout [String: GitDirectoryFile]) throws(ConductorError) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        let name = ".git" + String(path.dropFirst(common.count))
        switch info.st_mode & S_IFMT {
        case S_IFDIR:
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            for entry in entries.sorted() { try collect(path + "/" + entry, common: common, into: &files) }
        case S_IFLNK:
            files[name] = GitDirectoryFile(absolutePath: path, content: .link(target: try linkTarget(path)))
        case S_IFREG:
            files[name] = GitDirectoryFile(absolutePath: path, content: .file(bytes: try FileWrites.readAll(path), mode: info.st_mode & 0o7777))
        default:
            return
        }
    }

    /// Makes a git-directory file what it was: removed when it is new, rewritten (with its
    /// mode, through a temporary file and a rename) when it changed or went missing.
    static func putBack(_ before: GitDirectoryFile?, over after: GitDirectoryFile?) throws(ConductorError) {
        guard let path = before?.absolutePath ?? after?.absolutePath else { return }
        if after != nil { try removeItem(path) }
        guard let before else { return }
        let directory = FileWrites.parent(of: path)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .fileSystem(path: directory, detail: "cannot recreate the directory: \(error.localizedDescription)")
        }
        switch before.content {
        case .link(let target):
            guard symlink(target, path) == 0 else { throw .fileSystem(path: path, detail: "cannot restore the link: \(FileWrites.lastError())") }
        case let .file(bytes, mode):
            let temporary = try FileWrites.writeTemporary(bytes, in: directory, modeOf: nil)
            guard chmod(temporary, mode) == 0, rename(temporary, path) == 0 else {
                let problem = FileWrites.lastError()
                unlink(temporary)
                throw .fileSystem(path: path, detail: "cannot restore the file: \(problem)")
            }
        }
    }
}
