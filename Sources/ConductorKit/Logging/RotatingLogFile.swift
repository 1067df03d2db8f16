import Foundation

/// An append-only log file that rotates by size: when `conductor.log` would grow past
/// ``maxBytes`` it becomes `conductor.log.1` (the older ones move up, the oldest beyond
/// ``keep`` is dropped), so the logs of a busy clone stay bounded. Safe to share between
/// threads of one process; other processes appending at once may interleave whole lines.
public final class RotatingLogFile: @unchecked Sendable {
    public let path: String
    let maxBytes: Int
    let keep: Int
    private let lock = NSLock()

    public init(path: String, maxBytes: Int = 1 << 20, keep: Int = 5) {
        self.path = path
        self.maxBytes = maxBytes
        self.keep = keep
    }

    /// Appends one line (a newline is added); failures are ignored: logging must never
    /// stop the work it describes.
    public func append(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        lock.withLock {
            rotateIfNeeded(adding: bytes.count)
            let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else { return }
            defer { close(descriptor) }
            _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        }
    }

    private func rotateIfNeeded(adding count: Int) {
        var info = stat()
        guard stat(path, &info) == 0, Int(info.st_size) + count > maxBytes, info.st_size > 0 else { return }
        unlink("\(path).\(keep)")
        for index in stride(from: keep - 1, through: 1, by: -1) {
            rename("\(path).\(index)", "\(path).\(index + 1)")
        }
        rename(path, "\(path).1")
    }
}
