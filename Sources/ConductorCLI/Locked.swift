import Foundation

/// A value shared between threads, reached only while holding its lock.
///
/// The live status line is updated from the engine's report closure (any thread) and from its
/// own ticking thread. `Synchronization.Mutex` would do, but it needs macOS 15 and the package
/// supports macOS 13, so this is the same idea over `NSLock`.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) {
        self.value = value
    }

    /// Runs `body` with exclusive access to the value; keep it short, and never re-enter.
    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
