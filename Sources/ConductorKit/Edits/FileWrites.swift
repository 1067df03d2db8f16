import ConductorDomain
import Foundation

/// The POSIX calls behind ``EditApplier``: each failure becomes a ``ConductorError`` that
/// names the file and says that nothing was changed, since these run before any rename.
enum FileWrites {
    /// Creates the missing directories from `root` down to `directory`, recording each one so
    /// that a failed answer can remove them again.
    static func makeDirectories(_ directory: String, root: String, created: inout [String]) throws(ConductorError) {
        guard directory != root, directory.hasPrefix(root + "/") else { return }
        var current = root
        for component in directory.dropFirst(root.count + 1).split(separator: "/") {
            current += "/" + component
            if mkdir(current, 0o777) == 0 {
                created.append(current)
            } else if errno != EEXIST {
                throw .fileSystem(path: current, detail: "cannot create the directory: \(lastError()); no file was changed")
            }
        }
    }

    /// Writes `contents` to a new temporary file in `directory` and flushes it to disk; the
    /// file gets the mode of `original` when given (the umask's default otherwise). Returns
    /// its path.
    static func writeTemporary(_ contents: [UInt8], in directory: String, modeOf original: String?) throws(ConductorError) -> String {
        let path = temporaryName(in: directory, suffix: "new")
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else {
            throw .fileSystem(path: path, detail: "cannot create a temporary file: \(lastError()); no file was changed")
        }
        var failure: String?
        if let original {
            var info = stat()
            if stat(original, &info) != 0 || fchmod(descriptor, info.st_mode & 0o7777) != 0 {
                failure = "cannot copy the file mode of \(original): \(lastError())"
            }
        }
        var offset = 0
        while failure == nil, offset < contents.count {
            let written = contents[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written >= 0 {
                offset += written
            } else if errno != EINTR {
                failure = "cannot write: \(lastError())"
            }
        }
        if failure == nil, fsync(descriptor) != 0 { failure = "cannot flush to disk: \(lastError())" }
        if close(descriptor) != 0, failure == nil { failure = "cannot close: \(lastError())" }
        if let failure {
            unlink(path)
            throw .fileSystem(path: path, detail: "\(failure); no file was changed")
        }
        return path
    }

    /// A second name for the file at `path`, so it can be put back with one rename. A hard
    /// link costs no space, which matters when the disk is full; where the file system
    /// refuses links, a copy is made instead.
    static func backUp(_ path: String, in directory: String) throws(ConductorError) -> String {
        let backup = temporaryName(in: directory, suffix: "old")
        if link(path, backup) == 0 { return backup }
        let copy = try writeTemporary(try readAll(path), in: directory, modeOf: path)
        guard rename(copy, backup) == 0 else {
            let detail = lastError()
            unlink(copy)
            throw .fileSystem(path: path, detail: "cannot keep a copy of the file: \(detail); no file was changed")
        }
        return backup
    }

    /// A name for a staging file beside the one it stands in for: same directory, hence same
    /// file system, so the final rename is atomic.
    static func temporaryName(in directory: String, suffix: String) -> String {
        "\(directory)/.conductor-edit-\(String(UInt64.random(in: 0...UInt64.max), radix: 16)).\(suffix)"
    }

    /// Makes the renames in `directory` durable. Some file systems cannot sync a directory;
    /// the renames have happened all the same, so that is not an error.
    static func syncDirectory(_ directory: String) {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// The absolute path with every symbolic link resolved.
    static func realPath(of path: String) throws(ConductorError) -> String {
        guard let resolved = realpath(path, nil) else {
            throw .fileSystem(path: path, detail: "cannot resolve the path: \(lastError())")
        }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func readAll(_ path: String) throws(ConductorError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw .fileSystem(path: path, detail: "cannot read: \(lastError())")
        }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { return bytes }
            if count > 0 {
                bytes += buffer[..<count]
            } else if errno != EINTR {
                throw .fileSystem(path: path, detail: "cannot read: \(lastError())")
            }
        }
    }

    static func lastError() -> String {
        String(cString: strerror(errno))
    }
}
