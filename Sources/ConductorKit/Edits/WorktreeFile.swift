import ConductorDomain
import Foundation

/// Where a repository-relative path really leads inside a worktree, found by walking it one
/// segment at a time with `lstat`, so that every symbolic link on the way is seen and judged:
/// a link may lead elsewhere in the worktree, but not out of it and not into `.git`.
///
/// The walk reads nothing outside the worktree: a path the ``PathPolicy`` refuses is never
/// looked up at all, and the walk stops at the first link that leads out.
struct WorktreeFile: Equatable {
    /// What a lookup found.
    enum Location: Equatable {
        case file(WorktreeFile)
        case refused(PathViolation)
    }

    /// Where a write goes: inside the worktree, links resolved.
    let absolutePath: String
    /// `absolutePath` relative to the worktree; differs from the model's path only through links.
    let relativePath: String
    /// True when a regular file is there now.
    let exists: Bool

    /// Locates `path` (already accepted by the path policy) in the worktree `root`, which must
    /// be a real path (no links, no trailing slash).
    static func locate(_ path: String, in root: String) throws(ConductorError) -> Location {
        let segments = path.split(separator: "/").map(String.init)
        var current = root
        for (position, segment) in segments.enumerated() {
            let walked = segments[...position].joined(separator: "/")
            let candidate = current + "/" + segment
            let rest = segments[(position + 1)...]
            var info = stat()
            guard lstat(candidate, &info) == 0 else {
                // ENOTDIR: a parent is a regular file. Nothing is there; the write will say why it cannot be.
                guard errno == ENOENT || errno == ENOTDIR else {
                    throw .fileSystem(path: candidate, detail: "cannot inspect: \(FileWrites.lastError())")
                }
                return .file(file(at: ([candidate] + rest).joined(separator: "/"), root: root, exists: false))
            }
            switch info.st_mode & S_IFMT {
            case S_IFLNK:
                guard let resolved = try? FileWrites.realPath(of: candidate) else {
                    return .refused(.symlinkEscape("\(walked) is a symbolic link to something that does not exist, so where it leads cannot be checked."))
                }
                guard resolved == root || resolved.hasPrefix(root + "/") else {
                    return .refused(.symlinkEscape("\(walked) is a symbolic link that leads outside the repository."))
                }
                let inside = resolved.dropFirst(root.count).split(separator: "/")
                if inside.contains(where: PathPolicy.isGitName) {
                    return .refused(.symlinkEscape("\(walked) is a symbolic link into .git, which belongs to git."))
                }
                current = resolved
            case S_IFDIR:
                current = candidate
            case S_IFREG where !rest.isEmpty:
                // A regular file where a directory should be: the write will fail and name it.
                return .file(file(at: ([candidate] + rest).joined(separator: "/"), root: root, exists: false))
            case S_IFREG:
                current = candidate
            default:
                return .refused(.unsupportedFile("\(walked) is not a regular file or directory, so it cannot be edited."))
            }
        }
        var info = stat()
        guard stat(current, &info) == 0 else {
            throw .fileSystem(path: current, detail: "cannot inspect: \(FileWrites.lastError())")
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            return .file(file(at: current, root: root, exists: true))
        case S_IFDIR:
            return .refused(.unsupportedFile("\(path) is a directory, not a file."))
        default:
            return .refused(.unsupportedFile("\(path) is not a regular file, so it cannot be edited."))
        }
    }

    private static func file(at absolute: String, root: String, exists: Bool) -> WorktreeFile {
        WorktreeFile(absolutePath: absolute, relativePath: String(absolute.dropFirst(root.count + 1)), exists: exists)
    }
}
