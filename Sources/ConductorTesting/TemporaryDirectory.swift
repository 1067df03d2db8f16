import Foundation

/// A uniquely named directory under the system's temporary directory, removed with
/// everything in it when the value is released or ``remove()`` is called.
///
/// The path is fully resolved (symbolic links such as macOS's `/var` → `/private/var`
/// followed), so it compares equal to paths that git and libgit2 report.
public final class TemporaryDirectory: @unchecked Sendable {
    /// The directory's absolute path, without a trailing slash.
    public let path: String
    private let lock = NSLock()
    private var removed = false

    /// Creates a fresh, empty directory whose name starts with `prefix`.
    public init(prefix: String = "conductor-test") throws {
        let base = FileManager.default.temporaryDirectory
        let url = base.appendingPathComponent("\(prefix)-\(UUID().uuidString.lowercased())", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        path = url.resolvingSymlinksInPath().path
    }

    deinit {
        remove()
    }

    /// The path of `relativePath` inside this directory (nothing is created).
    public func appending(_ relativePath: String) -> String {
        relativePath.isEmpty ? path : path + "/" + relativePath
    }

    /// Deletes the directory and its contents now; later calls do nothing.
    public func remove() {
        lock.lock()
        defer { lock.unlock() }
        guard !removed else { return }
        removed = true
        try? FileManager.default.removeItem(atPath: path)
    }
}
