import Glibc

/// How a child process ended.
enum ExitStatus: Equatable, CustomStringConvertible {
    case exited(Int32)
    case signaled(Int32)

    /// Decodes a `wait4` status word (the `WIFEXITED`/`WEXITSTATUS` macros are not imported).
    init(waitStatus status: Int32) {
        self = status & 0x7f == 0 ? .exited((status >> 8) & 0xff) : .signaled(status & 0x7f)
    }

    var succeeded: Bool { self == .exited(0) }

    var description: String {
        switch self {
        case .exited(let code): "exit status \(code)"
        case .signaled(let signal): "killed by signal \(signal)"
        }
    }
}

/// What a finished child left behind, with the two numbers the benchmarks need: wall time
/// from just before `posix_spawn` to `wait4` returning, and the child's peak resident set.
struct ChildResult {
    var status: ExitStatus
    var stdout: [UInt8]
    var stderr: [UInt8]
    var wallNanoseconds: UInt64
    /// `rusage.ru_maxrss` of the child, in KiB (Linux's unit).
    var peakResidentKiB: Int

    /// Standard output as text without trailing newlines: what `$(…)` gives in a shell.
    var output: String {
        var text = Substring(decoding: stdout, as: UTF8.self)
        while text.last == "\n" { text = text.dropLast() }
        return String(text)
    }
}

/// One child process, started with `posix_spawn` and reaped with `wait4`.
///
/// Foundation's `Process` reaps its children on a background thread and throws the
/// `rusage` away, so peak memory could only be guessed by polling `/proc`; spawning
/// directly gives the kernel's own `ru_maxrss`. It also keeps the launch cost low, which
/// matters for the plumbing baseline: six short-lived `git` processes per write, where a
/// heavy launcher would flatter the in-process numbers.
struct ChildProcess {
    enum Output {
        case capture
        /// Sends the stream to `/dev/null`, so a large listing costs the child its writes
        /// but costs us nothing.
        case discard
    }

    /// An absolute path: no `PATH` search at spawn time.
    var executable: String
    var arguments: [String]
    /// The child's working directory; nil keeps ours.
    var directory: String?
    /// The child's complete environment.
    var environment: [String: String]
    var stdin: [UInt8] = []
    var stdout: Output = .capture

    func run() throws -> ChildResult {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }

        if let directory { try Self.addChangeDirectory(&actions, directory) }
        let input = stdin.isEmpty ? nil : try Pipe()
        let output = stdout == .capture ? try Pipe() : nil
        let errors = try Pipe()
        if let input {
            posix_spawn_file_actions_adddup2(&actions, input.readEnd, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        if let output {
            posix_spawn_file_actions_adddup2(&actions, output.writeEnd, 1)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, errors.writeEnd, 2)

        let name = executable.split(separator: "/").last.map(String.init) ?? executable
        let argv = CStrings([name] + arguments)
        let envp = CStrings(environment.map { "\($0.key)=\($0.value)" })
        defer { argv.free(); envp.free() }

        // We ignore SIGPIPE, SIGINT and SIGTERM (see main.swift and ScratchDirectory); an
        // ignored signal stays ignored across exec, so children get the defaults back.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF))

        let start = Monotonic.now()
        var pid: pid_t = 0
        let code = posix_spawn(&pid, executable, &actions, &attributes, argv.pointers, envp.pointers)
        guard code == 0 else { throw BenchError("cannot start \(executable): \(String(cString: strerror(code)))") }
        // Our copies of the child's ends must go, or we would never see end-of-file.
        input?.closeRead()
        output?.closeWrite()
        errors.closeWrite()

        var streams = StreamPump(stdin: input, bytes: stdin, stdout: output, stderr: errors)
        streams.run()

        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            guard errno == EINTR else { throw BenchError("wait4 for \(executable): \(String(cString: strerror(errno)))") }
        }
        let wall = Monotonic.now() - start
        return ChildResult(
            status: ExitStatus(waitStatus: status), stdout: streams.stdoutBytes, stderr: streams.stderrBytes,
            wallNanoseconds: wall, peakResidentKiB: usage.ru_maxrss
        )
    }

    /// `posix_spawn_file_actions_addchdir_np` (glibc 2.29+) changes directory in the child
    /// only. Swift's Glibc module does not export this GNU extension, so it is looked up at
    /// run time; changing our own directory around each spawn would be the alternative, and
    /// would affect everything else in the process.
    private static func addChangeDirectory(_ actions: inout posix_spawn_file_actions_t, _ directory: String) throws {
        typealias AddChangeDirectory = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addchdir_np") else {
            throw BenchError("this C library lacks posix_spawn_file_actions_addchdir_np (glibc 2.29 or later is needed)")
        }
        let addChangeDirectory = unsafeBitCast(symbol, to: AddChangeDirectory.self)
        let code = addChangeDirectory(&actions, directory)
        guard code == 0 else { throw BenchError("cannot run a child in \(directory): \(String(cString: strerror(code)))") }
    }
}

/// Moves bytes between us and the child until both output streams reach end-of-file.
///
/// All three streams go through one `poll` loop, so a child that fills its stderr pipe
/// before reading stdin (or the other way round) can never deadlock against us.
private struct StreamPump {
    private let stdin: Pipe?
    private var pending: [UInt8]
    private let stdout: Pipe?
    private let stderr: Pipe
    private(set) var stdoutBytes: [UInt8] = []
    private(set) var stderrBytes: [UInt8] = []

    init(stdin: Pipe?, bytes: [UInt8], stdout: Pipe?, stderr: Pipe) {
        self.stdin = stdin
        pending = bytes
        self.stdout = stdout
        self.stderr = stderr
    }

    mutating func run() {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            var fds: [pollfd] = []
            if let stdin, stdin.writeEnd >= 0 { fds.append(pollfd(fd: stdin.writeEnd, events: Int16(POLLOUT), revents: 0)) }
            if let stdout, stdout.readEnd >= 0 { fds.append(pollfd(fd: stdout.readEnd, events: Int16(POLLIN), revents: 0)) }
            if stderr.readEnd >= 0 { fds.append(pollfd(fd: stderr.readEnd, events: Int16(POLLIN), revents: 0)) }
            if fds.isEmpty { return }
            if poll(&fds, nfds_t(fds.count), -1) < 0 {
                if errno == EINTR { continue }
                return
            }
            for entry in fds where entry.revents != 0 {
                if let stdin, entry.fd == stdin.writeEnd {
                    writePending(to: stdin)
                } else if let stdout, entry.fd == stdout.readEnd {
                    if !Self.read(stdout, into: &stdoutBytes, buffer: &buffer) { stdout.closeRead() }
                } else if entry.fd == stderr.readEnd {
                    if !Self.read(stderr, into: &stderrBytes, buffer: &buffer) { stderr.closeRead() }
                }
            }
        }
    }

    /// Writes what the pipe takes; closes it when everything is written or the child is gone.
    private mutating func writePending(to pipe: Pipe) {
        let written = pending.withUnsafeBytes { Glibc.write(pipe.writeEnd, $0.baseAddress, $0.count) }
        if written > 0 { pending.removeFirst(written) }
        if pending.isEmpty || (written < 0 && errno != EINTR && errno != EAGAIN) { pipe.closeWrite() }
    }

    /// Appends what is available; false at end-of-file or on an error.
    private static func read(_ pipe: Pipe, into bytes: inout [UInt8], buffer: inout [UInt8]) -> Bool {
        let count = buffer.withUnsafeMutableBytes { Glibc.read(pipe.readEnd, $0.baseAddress, $0.count) }
        if count > 0 {
            bytes.append(contentsOf: buffer[0..<count])
            return true
        }
        return count < 0 && errno == EINTR
    }
}

/// A pipe whose two ends are close-on-exec, so children spawned later never inherit them
/// (the `dup2` onto 0, 1 or 2 in the child clears the flag on the copy it keeps). Each end
/// is closed at most once, and whatever is still open is closed on release, so an error
/// half-way through a spawn leaks nothing.
private final class Pipe {
    private(set) var readEnd: Int32
    private(set) var writeEnd: Int32

    init() throws {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw BenchError("pipe: \(String(cString: strerror(errno)))") }
        readEnd = fds[0]
        writeEnd = fds[1]
        _ = fcntl(readEnd, F_SETFD, FD_CLOEXEC)
        _ = fcntl(writeEnd, F_SETFD, FD_CLOEXEC)
    }

    deinit {
        closeRead()
        closeWrite()
    }

    func closeRead() {
        if readEnd >= 0 { close(readEnd); readEnd = -1 }
    }

    func closeWrite() {
        if writeEnd >= 0 { close(writeEnd); writeEnd = -1 }
    }
}

/// A NULL-terminated `char *[]` for `posix_spawn`, which the caller frees.
private struct CStrings {
    var pointers: [UnsafeMutablePointer<CChar>?]

    init(_ strings: [String]) {
        pointers = strings.map { strdup($0) } + [nil]
    }

    func free() {
        pointers.forEach { Glibc.free($0) }
    }
}

/// Starts a process and does not wait for it: it outlives us and is reaped by init. Its
/// standard streams are `/dev/null`, so it never holds our output pipe open.
func spawnDetached(_ executable: String, _ arguments: [String]) {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    for fd: Int32 in [0, 1, 2] {
        posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0)
    }
    let argv = CStrings([executable] + arguments)
    defer { argv.free() }
    var pid: pid_t = 0
    _ = posix_spawn(&pid, executable, &actions, nil, argv.pointers, environ)
}

/// Finds `name` on `PATH` the way a shell does; names containing `/` are used as given.
func findExecutable(_ name: String, path: String?) -> String? {
    if name.contains("/") { return access(name, X_OK) == 0 ? name : nil }
    for directory in (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
        let candidate = "\(directory)/\(name)"
        if access(candidate, X_OK) == 0 { return candidate }
    }
    return nil
}
