import ConductorDomain
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// How a child process ended.
public enum Termination: Sendable, Equatable, CustomStringConvertible {
    /// It exited with this status. −1 when the status was lost because something else in this
    /// process reaped the child first.
    case exited(Int32)
    /// A signal killed it.
    case signaled(Int32)

    public var description: String {
        switch self {
        case .exited(let status): "exit status \(status)"
        case .signaled(let signal): "signal \(signal)"
        }
    }

    /// Decodes a `waitpid` status without the C macros, which Swift does not import.
    init(waitStatus status: Int32) {
        let low = status & 0x7F
        if low == 0 {
            self = .exited((status >> 8) & 0xFF)
        } else {
            self = .signaled(low)
        }
    }
}

/// What ``ProcessGroupRunner`` observed.
public struct ProcessGroupResult: Sendable {
    public var termination: Termination
    /// Whether the timeout expired and the tree was terminated.
    public var timedOut: Bool
    /// Wall time from spawning to the end of cleanup.
    public var durationMilliseconds: Int
    /// The head and tail of everything the command wrote to stdout and stderr.
    public var output: BoundedOutput
    /// The process group (and on Linux, session) id the command ran in: the shell's pid.
    public var processGroup: Int32
    /// Processes of the command's tree that were still alive when cleanup gave up. Empty unless
    /// something could not be killed (a process stuck in the kernel).
    public var survivors: [Int32]
}

/// Why a command could not be run at all.
public enum ProcessGroupError: Error, Equatable, CustomStringConvertible {
    case noSuchDirectory(String)
    case pipe(errno: Int32)
    case spawn(shell: String, errno: Int32)

    public var description: String {
        switch self {
        case .noSuchDirectory(let path): "the worktree \(path) does not exist or is not a directory"
        case .pipe(let code): "could not create a pipe: \(String(cString: strerror(code)))"
        case let .spawn(shell, code): "could not start \(shell): \(String(cString: strerror(code)))"
        }
    }
}

/// Runs a shell command line as the leader of its own process group, with a hard timeout, and
/// leaves nothing behind: no process of its tree running, no zombie.
///
/// - The command runs as `/bin/sh -c <command line>` with the given environment plus `CI=true`,
///   stdin from `/dev/null` (nothing can wait for input), stdout and stderr merged into one pipe
///   that is read continuously, so the child never blocks on a full pipe, into a
///   ``BoundedOutput``. Signal dispositions and the signal mask are reset to the defaults, so
///   an ignored `SIGTERM` or `SIGPIPE` in this process is not inherited.
/// - The child starts a new process group (pgid = its pid). On Linux it also starts a new
///   session: build tools move their own children into process groups of their own (SwiftPM
///   runs the test binary in one, so killing `swift test`'s group would leave the tests
///   running), but they stay in the session, which `/proc` lets us enumerate.
/// - On timeout the group and every other process of the session get `SIGTERM`; after the grace
///   period, or as soon as the tree is gone, whatever is left gets `SIGKILL`.
/// - When the shell exits by itself, anything it left behind in its tree (a background server,
///   `sleep 1000 &`) gets `SIGKILL` at once.
/// - The shell is reaped last: until then its pid, and so the group and session ids, cannot be
///   reused, so no signal can reach an unrelated process. On Linux this process becomes a child
///   subreaper, so killed descendants are re-parented to it and reaped too.
///
/// Processes that leave the session (`setsid`, daemons) are out of reach, and on macOS only the
/// process group is covered. The call blocks its thread for as long as the command runs.
public struct ProcessGroupRunner: Sendable {
    /// How long the tree has between `SIGTERM` and `SIGKILL`.
    public var gracePeriod: Duration
    public var headBytes: Int
    public var tailBytes: Int
    public var shell = "/bin/sh"

    public init(gracePeriod: Duration = .seconds(5), headBytes: Int = 16 * 1024, tailBytes: Int = 64 * 1024) {
        self.gracePeriod = gracePeriod
        self.headBytes = headBytes
        self.tailBytes = tailBytes
    }

    /// Runs `commandLine` in `directory` and waits for it and its whole tree to end.
    ///
    /// - Parameters:
    ///   - environment: the child's environment; `CI=true` is added to it.
    ///   - timeout: when to start terminating the tree.
    ///   - onOutput: called with each chunk of output as it is read, on the calling thread.
    public func run(
        _ commandLine: String,
        in directory: String,
        environment: [String: String],
        timeout: Duration,
        onOutput: (UnsafeRawBufferPointer) -> Void = { _ in }
    ) throws(ProcessGroupError) -> ProcessGroupResult {
        let clock = ContinuousClock()
        let started = clock.now
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .noSuchDirectory(directory)
        }
        _ = SpawnSupport.adoptsOrphans
        guard let pipe = SpawnSupport.makePipe() else { throw .pipe(errno: errno) }
        let pid: pid_t
        do {
            pid = try spawn(commandLine, in: directory, environment: environment, output: pipe.write)
        } catch {
            close(pipe.read)
            close(pipe.write)
            throw error
        }
        close(pipe.write)
        _ = fcntl(pipe.read, F_SETFL, fcntl(pipe.read, F_GETFL) | O_NONBLOCK)

        var session = Supervision(
            pid: pid, readEnd: pipe.read, output: BoundedOutput(headLimit: headBytes, tailLimit: tailBytes)
        )
        let deadline = started + timeout
        var phase = Phase.running
        var timedOut = false
        var idle = 1
        watching: while true {
            let exited = session.leaderHasExited()
            let now = clock.now
            let nextEvent: ContinuousClock.Instant
            switch phase {
            case .running:
                if exited { break watching }
                if now >= deadline {
                    timedOut = true
                    session.signalTree(SIGTERM)
                    phase = .terminating(until: now + gracePeriod)
                    continue watching
                }
                nextEvent = deadline
            case .terminating(let until):
                // The tree gets the whole grace period, even when the shell dies at once.
                if exited, session.treeIsGone() { break watching }
                if now >= until {
                    session.signalTree(SIGKILL)
                    phase = .killed
                    continue watching
                }
                nextEvent = until
            case .killed:
                if exited { break watching }
                nextEvent = now + .milliseconds(25)
            }
            // With the pipe open, poll wakes up for output; once it is closed, back off from 1 ms.
            let cap: Duration = session.pipeIsOpen && !exited ? .milliseconds(25) : .milliseconds(idle)
            if session.pump(waitingAtMost: min(nextEvent - now, cap), onOutput: onOutput) {
                idle = 1
            } else {
                idle = min(idle * 2, 25)
            }
        }
        let termination = session.cleanUp(clock: clock, gracePeriod: gracePeriod, onOutput: onOutput)
        return ProcessGroupResult(
            termination: termination, timedOut: timedOut,
            durationMilliseconds: Self.milliseconds(clock.now - started), output: session.output,
            processGroup: pid, survivors: session.survivors
        )
    }

    private func spawn(_ commandLine: String, in directory: String, environment: [String: String], output: Int32) throws(ProcessGroupError) -> pid_t {
        #if canImport(Darwin)
        var actions: posix_spawn_file_actions_t? = nil
        var attributes: posix_spawnattr_t? = nil
        #else
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        #endif
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, output, 1)
        posix_spawn_file_actions_adddup2(&actions, output, 2)

        var arguments = [shell, "-c", commandLine]
        #if canImport(Darwin)
        posix_spawn_file_actions_addchdir_np(&actions, directory)
        let flags = POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_CLOEXEC_DEFAULT
        posix_spawnattr_setpgroup(&attributes, 0)
        #else
        if let addChdir = SpawnSupport.addChdir {
            _ = addChdir(&actions, directory)
        } else {
            // An old C library: let a first shell change directory, then replace itself.
            arguments = [shell, "-c", "cd -- \"$1\" || exit 126; exec \"$0\" -c \"$2\"", shell, directory, commandLine]
        }
        let flags = SpawnSupport.setSessionFlag | Int32(POSIX_SPAWN_SETSIGMASK) | Int32(POSIX_SPAWN_SETSIGDEF)
        #endif
        posix_spawnattr_setflags(&attributes, Int16(flags))
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigfillset(&defaults)
        sigdelset(&defaults, SIGKILL)
        sigdelset(&defaults, SIGSTOP)
        posix_spawnattr_setsigdefault(&attributes, &defaults)

        var variables = environment
        variables["CI"] = "true"
        let environmentStrings = variables.filter { !$0.key.isEmpty && !$0.key.contains("=") }
            .sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        let code = Self.withCStrings(arguments) { argv in
            Self.withCStrings(environmentStrings) { envp in
                posix_spawn(&pid, shell, &actions, &attributes, argv, envp)
            }
        }
        guard code == 0 else { throw .spawn(shell: shell, errno: code) }
        return pid
    }

    private static func withCStrings<Result>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> Result) -> Result {
        let pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) } + [nil]
        defer { pointers.forEach { free($0) } }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }

    private enum Phase {
        case running
        /// `SIGTERM` was sent; `SIGKILL` follows at `until`.
        case terminating(until: ContinuousClock.Instant)
        case killed
    }

    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}

/// The state of one running command: its pid, the read end of its output pipe, what was read.
private struct Supervision {
    let pid: pid_t
    var readEnd: Int32
    var output: BoundedOutput
    var survivors: [Int32] = []
    private var buffer = [UInt8](repeating: 0, count: 64 * 1024)
    private var exited = false

    init(pid: pid_t, readEnd: Int32, output: BoundedOutput) {
        self.pid = pid
        self.readEnd = readEnd
        self.output = output
    }

    /// Whether the shell has exited, without reaping it (`WNOWAIT`): as long as it is an
    /// unreaped zombie, its pid stays reserved.
    mutating func leaderHasExited() -> Bool {
        if exited { return true }
        var info = siginfo_t()
        while true {
            let result = waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT)
            if result == 0 {
                #if canImport(Darwin)
                exited = info.si_pid == pid
                #else
                exited = info._sifields._sigchld.si_pid == pid
                #endif
                return exited
            }
            if errno == EINTR { continue }
            // ECHILD: something else reaped it; it has certainly exited.
            exited = true
            return true
        }
    }

    /// Whether no process of the tree other than the (exited) shell is alive.
    func treeIsGone() -> Bool {
        if ProcessTable.isAvailable {
            return !ProcessTable.members(ofSession: pid).contains { $0.pid != pid && !$0.isZombie }
        }
        return true
    }

    /// Sends `signal` to the process group and to every other live process of the session.
    func signalTree(_ signal: Int32) {
        // The shell is not reaped yet, so `pid` cannot name another process group.
        kill(-pid, signal)
        // Members of the group got it already; a second SIGTERM means "hurry" to some programs.
        for member in ProcessTable.members(ofSession: pid) where member.group != pid && !member.isZombie {
            kill(member.pid, signal)
        }
    }

    var pipeIsOpen: Bool { readEnd >= 0 }

    /// Reads what the command wrote, waiting up to `limit` for something to arrive. Returns
    /// whether anything happened on the pipe (output or its end).
    @discardableResult
    mutating func pump(waitingAtMost limit: Duration, onOutput: (UnsafeRawBufferPointer) -> Void) -> Bool {
        let milliseconds = Int32(min(max(0, ProcessGroupRunner.milliseconds(limit)), 1000))
        guard readEnd >= 0 else {
            if milliseconds > 0 { _ = poll(nil, 0, milliseconds) }
            return false
        }
        var descriptor = pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, milliseconds) > 0 else { return false }
        drain(onOutput: onOutput)
        return true
    }

    /// Reads everything available now; closes the pipe at end of file.
    mutating func drain(onOutput: (UnsafeRawBufferPointer) -> Void) {
        while readEnd >= 0 {
            let count = buffer.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
            if count > 0 {
                buffer.withUnsafeBytes { bytes in
                    let chunk = UnsafeRawBufferPointer(rebasing: bytes[0..<count])
                    output.append(chunk)
                    onOutput(chunk)
                }
            } else if count == 0 {
                close(readEnd)
                readEnd = -1
            } else if errno == EINTR {
                continue
            } else {
                if errno != EAGAIN && errno != EWOULDBLOCK {
                    close(readEnd)
                    readEnd = -1
                }
                return
            }
        }
    }

    /// Kills whatever is left of the tree, reaps it, reaps the shell last, and reads the rest of
    /// the output. Returns how the shell ended.
    mutating func cleanUp(clock: ContinuousClock, gracePeriod: Duration, onOutput: (UnsafeRawBufferPointer) -> Void) -> Termination {
        signalTree(SIGKILL)
        let deadline = clock.now + max(gracePeriod, .seconds(1))
        if ProcessTable.isAvailable {
            let me = getpid()
            while true {
                drain(onOutput: onOutput)
                let members = ProcessTable.members(ofSession: pid).filter { $0.pid != pid }
                var pending = false
                for member in members {
                    if !member.isZombie {
                        kill(member.pid, SIGKILL)
                        pending = true
                    } else if member.parent == me {
                        var ignored: Int32 = 0
                        _ = waitpid(member.pid, &ignored, WNOHANG)
                        pending = true
                    }
                }
                if !pending { break }
                if clock.now >= deadline {
                    survivors = members.filter { !$0.isZombie }.map(\.pid)
                    break
                }
                _ = poll(nil, 0, 1)
            }
        }
        // Without /proc (macOS) the group's SIGKILL above is all there is; zombies of killed
        // descendants belong to launchd, which reaps them.
        var status: Int32 = 0
        var termination = Termination.exited(-1)
        while true {
            let result = waitpid(pid, &status, 0)
            if result == pid {
                termination = Termination(waitStatus: status)
                break
            }
            if result < 0, errno == EINTR { continue }
            break
        }
        // Every writer is gone now, unless something left the session; read until end of file,
        // but never wait long for such an escapee.
        let drainDeadline = clock.now + .milliseconds(200)
        while readEnd >= 0, clock.now < drainDeadline {
            pump(waitingAtMost: .milliseconds(10), onOutput: onOutput)
        }
        if readEnd >= 0 {
            close(readEnd)
            readEnd = -1
        }
        return termination
    }
}
