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
    /// The head and tail of everything the command wrote to stdout, and to stderr unless the
    /// launch kept it apart.
    public var output: BoundedOutput
    /// The head and tail of stderr, when the launch gave it a pipe of its own; else nil.
    public var errorOutput: BoundedOutput?
    /// Whether a ``StopRequest`` ended the command early (it was then terminated as on a timeout).
    public var stopped: Bool
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
    /// The standard input could not be prepared (its temporary file).
    case input(errno: Int32)
    /// `posix_spawn` failed for `program` (the shell, for a command line).
    case spawn(program: String, errno: Int32)

    public var description: String {
        switch self {
        case .noSuchDirectory(let path): "the worktree \(path) does not exist or is not a directory"
        case .pipe(let code): "could not create a pipe: \(String(cString: strerror(code)))"
        case .input(let code): "could not prepare the standard input: \(String(cString: strerror(code)))"
        case let .spawn(program, code): "could not start \(program): \(String(cString: strerror(code)))"
        }
    }
}

/// What ``ProcessGroupRunner`` starts: a program with its arguments, what it reads on stdin, and
/// whether its stderr is kept apart from its stdout.
public struct ProcessLaunch: Sendable, Equatable {
    /// The program's path. It is not looked up on `PATH`: resolve it first (see
    /// ``CommandAvailability/locate(_:in:environment:)``).
    public var executable: String
    /// The arguments after the program's name.
    public var arguments: [String]
    /// `argv[0]`: the name the program is told it was started as.
    public var name: String
    /// The bytes the program reads on stdin; nil for `/dev/null`, so nothing can wait for input.
    public var input: [UInt8]?
    /// Gives stderr a pipe of its own (``ProcessGroupResult/errorOutput``) instead of merging it
    /// into stdout: for programs whose stdout is machine-readable.
    public var separateErrorOutput: Bool

    public init(executable: String, arguments: [String] = [], name: String? = nil, input: [UInt8]? = nil, separateErrorOutput: Bool = false) {
        self.executable = executable
        self.arguments = arguments
        self.name = name ?? executable
        self.input = input
        self.separateErrorOutput = separateErrorOutput
    }

    /// `shell -c commandLine`, as verify commands run.
    public static func shell(_ commandLine: String, shell: String = "/bin/sh") -> ProcessLaunch {
        ProcessLaunch(executable: shell, arguments: ["-c", commandLine])
    }
}

/// Asks a running ``ProcessGroupRunner`` to end its command early, from another thread: when a
/// provider call is cancelled, the CLI it runs must not outlive it. The runner then terminates
/// the tree as on a timeout (`SIGTERM`, the grace period, `SIGKILL`) and reports it as stopped.
public final class StopRequest: @unchecked Sendable {
    private let lock = NSLock()
    private var requested = false

    public init() {}

    /// Asks the runner to stop; later calls do nothing more.
    public func request() {
        lock.lock()
        requested = true
        lock.unlock()
    }

    public var isRequested: Bool {
        lock.lock()
        defer { lock.unlock() }
        return requested
    }
}

/// Runs a shell command line (or any program) as the leader of its own process group, with a
/// hard timeout, and leaves nothing behind: no process of its tree running, no zombie.
///
/// - A command line runs as `/bin/sh -c <command line>`; a ``ProcessLaunch`` names any program
///   and its arguments. Either gets the given environment plus `CI=true`, stdin from
///   `/dev/null` (nothing can wait for input) or from the launch's bytes, and stdout and stderr
///   merged into one pipe (or, if the launch asks, two) that is read continuously, so the child
///   never blocks on a full pipe, into a ``BoundedOutput``. Signal dispositions and the signal
///   mask are reset to the defaults, so an ignored `SIGTERM` or `SIGPIPE` in this process is not
///   inherited.
/// - The child starts a new process group (pgid = its pid). On Linux it also starts a new
///   session: build tools move their own children into process groups of their own (SwiftPM
///   runs the test binary in one, so killing `swift test`'s group would leave the tests
///   running), but they stay in the session, which `/proc` lets us enumerate.
/// - On timeout, or when a ``StopRequest`` asks, the group and every other process of the
///   session get `SIGTERM`; after the grace period, or as soon as the tree is gone, whatever is
///   left gets `SIGKILL`.
/// - When the child exits by itself, anything it left behind in its tree (a background server,
///   `sleep 1000 &`) gets `SIGKILL` at once.
/// - The child is reaped last: until then its pid, and so the group and session ids, cannot be
///   reused, so no signal can reach an unrelated process. On Linux this process becomes a child
///   subreaper, so killed descendants are re-parented to it and reaped too.
///
/// Processes that leave the session (`setsid`, daemons) are out of reach, and on macOS only the
/// process group is covered. The call blocks its thread for as long as the command runs.
public struct ProcessGroupRunner: Sendable {
    /// How long the tree has between `SIGTERM` and `SIGKILL`.
    public var gracePeriod: Duration
    /// How much of each output stream is kept: its first and last bytes.
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
        try run(.shell(commandLine, shell: shell), in: directory, environment: environment, timeout: timeout, onOutput: onOutput)
    }

    /// Runs `launch` in `directory` and waits for it and its whole tree to end.
    ///
    /// - Parameters:
    ///   - environment: the child's environment; `CI=true` is added to it.
    ///   - timeout: when to start terminating the tree.
    ///   - stop: lets another thread end the command early, as a timeout would.
    ///   - onOutput: called with each chunk of stdout (and of stderr, when merged) as it is
    ///     read, on the calling thread.
    public func run(
        _ launch: ProcessLaunch,
        in directory: String,
        environment: [String: String],
        timeout: Duration,
        stop: StopRequest? = nil,
        onOutput: (UnsafeRawBufferPointer) -> Void = { _ in }
    ) throws(ProcessGroupError) -> ProcessGroupResult {
        let clock = ContinuousClock()
        let started = clock.now
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .noSuchDirectory(directory)
        }
        _ = SpawnSupport.adoptsOrphans
        let input: Int32? = try launch.input.map { (bytes) throws(ProcessGroupError) -> Int32 in
            guard let descriptor = SpawnSupport.inputFile(bytes) else { throw .input(errno: errno) }
            return descriptor
        }
        defer { _ = input.map { close($0) } }
        guard let pipe = SpawnSupport.makePipe() else { throw .pipe(errno: errno) }
        var errorPipe: (read: Int32, write: Int32)?
        if launch.separateErrorOutput {
            guard let made = SpawnSupport.makePipe() else {
                let code = errno
                close(pipe.read)
                close(pipe.write)
                throw .pipe(errno: code)
            }
            errorPipe = made
        }
        let pid: pid_t
        do {
            pid = try spawn(launch, in: directory, environment: environment, input: input, output: pipe.write, errors: errorPipe?.write ?? pipe.write)
        } catch {
            for descriptor in [pipe.read, pipe.write, errorPipe?.read, errorPipe?.write].compactMap({ $0 }) { close(descriptor) }
            throw error
        }
        close(pipe.write)
        _ = errorPipe.map { close($0.write) }
        var streams = [Stream(readEnd: pipe.read, output: BoundedOutput(headLimit: headBytes, tailLimit: tailBytes), forwarded: true)]
        if let errorPipe {
            streams.append(Stream(readEnd: errorPipe.read, output: BoundedOutput(headLimit: headBytes, tailLimit: tailBytes), forwarded: false))
        }
        for stream in streams { _ = fcntl(stream.readEnd, F_SETFL, fcntl(stream.readEnd, F_GETFL) | O_NONBLOCK) }

        var session = Supervision(pid: pid, streams: streams)
        let deadline = started + timeout
        var phase = Phase.running
        var timedOut = false
        var stopped = false
        var idle = 1
        watching: while true {
            let exited = session.leaderHasExited()
            let now = clock.now
            let nextEvent: ContinuousClock.Instant
            switch phase {
            case .running:
                if exited { break watching }
                let stopAsked = stop?.isRequested ?? false
                if now >= deadline || stopAsked {
                    if stopAsked { stopped = true } else { timedOut = true }
                    session.signalTree(SIGTERM)
                    phase = .terminating(until: now + gracePeriod)
                    continue watching
                }
                nextEvent = deadline
            case .terminating(let until):
                // The tree gets the whole grace period, even when the child dies at once.
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
            // With a pipe open, poll wakes up for output; once all are closed, back off from 1 ms.
            // Either way the loop comes round at least every 25 ms to look at the stop request.
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
            durationMilliseconds: Self.milliseconds(clock.now - started), output: session.streams[0].output,
            errorOutput: session.streams.count > 1 ? session.streams[1].output : nil, stopped: stopped,
            processGroup: pid, survivors: session.survivors
        )
    }

    private func spawn(
        _ launch: ProcessLaunch, in directory: String, environment: [String: String], input: Int32?, output: Int32, errors: Int32
    ) throws(ProcessGroupError) -> pid_t {
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
        if let input {
            posix_spawn_file_actions_adddup2(&actions, input, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, output, 1)
        posix_spawn_file_actions_adddup2(&actions, errors, 2)

        var program = launch.executable
        var arguments = [launch.name] + launch.arguments
        #if canImport(Darwin)
        posix_spawn_file_actions_addchdir_np(&actions, directory)
        let flags = POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_CLOEXEC_DEFAULT
        posix_spawnattr_setpgroup(&attributes, 0)
        #else
        if let addChdir = SpawnSupport.addChdir {
            _ = addChdir(&actions, directory)
        } else {
            // An old C library: let a first shell change directory, then replace itself.
            arguments = [shell, "-c", #"cd -- "$1" || exit 126; shift; exec "$@""#, shell, directory, program] + launch.arguments
            program = shell
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
                posix_spawn(&pid, program, &actions, &attributes, argv, envp)
            }
        }
        guard code == 0 else { throw .spawn(program: launch.executable, errno: code) }
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

/// One output pipe of a running command and what was read from it.
private struct Stream {
    /// -1 once the pipe reached end of file and was closed.
    var readEnd: Int32
    var output: BoundedOutput
    /// Whether its chunks go to the runner's `onOutput`.
    let forwarded: Bool
}

/// The state of one running command: its pid, its output pipes, what was read.
private struct Supervision {
    let pid: pid_t
    var streams: [Stream]
    var survivors: [Int32] = []
    private var buffer = [UInt8](repeating: 0, count: 64 * 1024)
    private var exited = false

    init(pid: pid_t, streams: [Stream]) {
        self.pid = pid
        self.streams = streams
    }

    /// Whether the child has exited, without reaping it (`WNOWAIT`): as long as it is an
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

    /// Whether no process of the tree other than the (exited) child is alive.
    func treeIsGone() -> Bool {
        if ProcessTable.isAvailable {
            return !ProcessTable.members(ofSession: pid).contains { $0.pid != pid && !$0.isZombie }
        }
        return true
    }

    /// Sends `signal` to the process group and to every other live process of the session.
    func signalTree(_ signal: Int32) {
        // The child is not reaped yet, so `pid` cannot name another process group.
        kill(-pid, signal)
        // Members of the group got it already; a second SIGTERM means "hurry" to some programs.
        for member in ProcessTable.members(ofSession: pid) where member.group != pid && !member.isZombie {
            kill(member.pid, signal)
        }
    }

    var pipeIsOpen: Bool { streams.contains { $0.readEnd >= 0 } }

    /// Reads what the command wrote, waiting up to `limit` for something to arrive. Returns
    /// whether anything happened on a pipe (output or its end).
    @discardableResult
    mutating func pump(waitingAtMost limit: Duration, onOutput: (UnsafeRawBufferPointer) -> Void) -> Bool {
        let milliseconds = Int32(min(max(0, ProcessGroupRunner.milliseconds(limit)), 1000))
        let open = streams.indices.filter { streams[$0].readEnd >= 0 }
        guard !open.isEmpty else {
            if milliseconds > 0 { _ = poll(nil, 0, milliseconds) }
            return false
        }
        var descriptors = open.map { pollfd(fd: streams[$0].readEnd, events: Int16(POLLIN), revents: 0) }
        guard poll(&descriptors, nfds_t(descriptors.count), milliseconds) > 0 else { return false }
        for (position, index) in open.enumerated() where descriptors[position].revents != 0 {
            drain(index, onOutput: onOutput)
        }
        return true
    }

    /// Reads everything every pipe has available now.
    mutating func drainAll(onOutput: (UnsafeRawBufferPointer) -> Void) {
        for index in streams.indices { drain(index, onOutput: onOutput) }
    }

    /// Reads everything available now on one pipe; closes it at end of file.
    mutating func drain(_ index: Int, onOutput: (UnsafeRawBufferPointer) -> Void) {
        while streams[index].readEnd >= 0 {
            let readEnd = streams[index].readEnd
            let count = buffer.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
            if count > 0 {
                let forwarded = streams[index].forwarded
                buffer.withUnsafeBytes { bytes in
                    let chunk = UnsafeRawBufferPointer(rebasing: bytes[0..<count])
                    streams[index].output.append(chunk)
                    if forwarded { onOutput(chunk) }
                }
            } else if count == 0 {
                close(readEnd)
                streams[index].readEnd = -1
            } else if errno == EINTR {
                continue
            } else {
                if errno != EAGAIN && errno != EWOULDBLOCK {
                    close(readEnd)
                    streams[index].readEnd = -1
                }
                return
            }
        }
    }

    /// Kills whatever is left of the tree, reaps it, reaps the child last, and reads the rest of
    /// the output. Returns how the child ended.
    mutating func cleanUp(clock: ContinuousClock, gracePeriod: Duration, onOutput: (UnsafeRawBufferPointer) -> Void) -> Termination {
        signalTree(SIGKILL)
        let deadline = clock.now + max(gracePeriod, .seconds(1))
        if ProcessTable.isAvailable {
            let me = getpid()
            while true {
                drainAll(onOutput: onOutput)
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
        while pipeIsOpen, clock.now < drainDeadline {
            pump(waitingAtMost: .milliseconds(10), onOutput: onOutput)
        }
        for index in streams.indices where streams[index].readEnd >= 0 {
            close(streams[index].readEnd)
            streams[index].readEnd = -1
        }
        return termination
    }
}
