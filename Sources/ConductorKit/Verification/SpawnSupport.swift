#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The few C calls the runner needs that Swift's Glibc module does not import (they are
/// declared only under `_GNU_SOURCE`, or are variadic), looked up at run time.
enum SpawnSupport {
    #if os(Linux)
    typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>?, Int32) -> Int32
    typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, UnsafePointer<CChar>?) -> Int32
    /// `prctl(int, ...)` called with its five integer arguments, which is how the x86-64 and
    /// AArch64 calling conventions pass variadic integers anyway.
    typealias Prctl = @convention(c) (Int32, UInt, UInt, UInt, UInt) -> Int32

    static let pipe2: Pipe2? = symbol("pipe2")
    /// glibc 2.29+, musl 1.1.24+.
    static let addChdir: AddChdir? = symbol("posix_spawn_file_actions_addchdir_np")
    static let prctl: Prctl? = symbol("prctl")

    /// `POSIX_SPAWN_SETSID` (glibc 2.26+): the child starts a new session, and with it a new
    /// process group whose id is its pid.
    static let setSessionFlag: Int32 = 0x80
    static let setChildSubreaper: Int32 = 36

    private static func symbol<Function>(_ name: String) -> Function? {
        guard let handle = dlopen(nil, RTLD_NOW), let address = dlsym(handle, name) else { return nil }
        return unsafeBitCast(address, to: Function.self)
    }
    #endif

    /// Makes this process the reaper of its orphaned descendants (Linux `PR_SET_CHILD_SUBREAPER`),
    /// once. Descendants of a verify command whose parent died are then re-parented to us instead
    /// of to PID 1, so the runner can reap them after killing them: in containers PID 1 is often
    /// not an init and would leave them as zombies forever. False where unsupported.
    static let adoptsOrphans: Bool = {
        #if os(Linux)
        guard let prctl else { return false }
        return prctl(setChildSubreaper, 1, 0, 0, 0) == 0
        #else
        return false
        #endif
    }()

    /// A file holding `bytes`, open for reading at its start, closed on exec, and already
    /// unlinked, to become a child's stdin. A file rather than a pipe: the child reads it at its
    /// own pace and this process never blocks writing to a child that does not read, and
    /// unlinked at once, nothing of it is left on disk whatever happens next. Nil, with
    /// `errno` set, when it cannot be made.
    static func inputFile(_ bytes: [UInt8]) -> Int32? {
        let directory = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((directory + "/conductor-stdin-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { return nil }
        _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        _ = template.withUnsafeBufferPointer { unlink($0.baseAddress!) }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, $0.count - written) }
            if count < 0 {
                if errno == EINTR { continue }
                let code = errno
                close(descriptor)
                errno = code
                return nil
            }
            written += count
        }
        guard lseek(descriptor, 0, SEEK_SET) == 0 else {
            let code = errno
            close(descriptor)
            errno = code
            return nil
        }
        return descriptor
    }

    /// A pipe whose two ends are closed on exec, so concurrent spawns in other threads never
    /// inherit it (an inherited write end would keep the reader from ever seeing end of file).
    static func makePipe() -> (read: Int32, write: Int32)? {
        var descriptors: [Int32] = [-1, -1]
        #if os(Linux)
        if let pipe2 {
            guard pipe2(&descriptors, O_CLOEXEC) == 0 else { return nil }
            return (descriptors[0], descriptors[1])
        }
        #endif
        guard pipe(&descriptors) == 0 else { return nil }
        _ = fcntl(descriptors[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(descriptors[1], F_SETFD, FD_CLOEXEC)
        return (descriptors[0], descriptors[1])
    }
}
