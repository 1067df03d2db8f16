import Foundation

/// What a finished child process left behind.
public struct ProcessResult: Sendable, Equatable, CustomStringConvertible {
    /// The exit status, or the signal number when the child was killed by a signal
    /// (see ``terminatedBySignal``).
    public var status: Int32
    public var stdout: String
    public var stderr: String
    /// Whether ``status`` is a signal number rather than an exit status.
    public var terminatedBySignal: Bool

    public init(status: Int32, stdout: String, stderr: String, terminatedBySignal: Bool = false) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
        self.terminatedBySignal = terminatedBySignal
    }

    /// Whether the child exited normally with status 0.
    public var succeeded: Bool { status == 0 && !terminatedBySignal }

    /// `stdout` without the trailing newlines that commands usually print.
    public var output: String {
        var text = Substring(stdout)
        while text.last == "\n" || text.last == "\r" || text.last == "\r\n" { text = text.dropLast() }
        return String(text)
    }

    /// `stdout` split into lines, without the final empty one.
    public var lines: [String] {
        output.isEmpty ? [] : output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    public var description: String {
        "\(terminatedBySignal ? "signal" : "exit status") \(status)\n--- stdout ---\n\(stdout)\n--- stderr ---\n\(stderr)"
    }
}

/// Why a child process could not be run, or why a command expected to succeed did not.
public enum ProcessError: Error, CustomStringConvertible, Sendable {
    /// No executable of this name on `PATH`.
    case executableNotFound(String, searchPath: String)
    /// The command ran and exited non-zero.
    case failed(command: [String], directory: String, result: ProcessResult)

    public var description: String {
        switch self {
        case let .executableNotFound(name, searchPath):
            "executable '\(name)' not found on PATH \(searchPath)"
        case let .failed(command, directory, result):
            "`\(command.joined(separator: " "))` in \(directory) failed with \(result)"
        }
    }
}

/// Finds `name` the way a shell does: names containing `/` are used as they are,
/// others are looked up in each directory of `PATH` (from `environment` when given).
public func resolveExecutable(_ name: String, environment: [String: String]? = nil) throws -> String {
    if name.contains("/") { return name }
    let searchPath = (environment ?? ProcessInfo.processInfo.environment)["PATH"]
        ?? ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    for directory in searchPath.split(separator: ":", omittingEmptySubsequences: true) {
        let candidate = "\(directory)/\(name)"
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue,
           FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
    }
    throw ProcessError.executableNotFound(name, searchPath: searchPath)
}

/// A child process that is already running. Its standard output and error go to files and
/// its standard input comes from one, so it can never block on a full pipe, however much it
/// writes and however long the caller takes to ``wait()``. Start several, then wait for
/// each: that is how tests make processes race.
public final class ChildProcess: @unchecked Sendable {
    private let process = Process()
    private let files: TemporaryDirectory
    /// The command line, for messages.
    public let command: [String]

    /// Starts `executable` with `arguments` in `directory`.
    ///
    /// - Parameters:
    ///   - executable: a path, or a name looked up on `PATH` (of `environment` when given).
    ///   - environment: the child's complete environment; nil inherits this process's.
    ///   - stdin: text for the child's standard input; nil gives it an empty one.
    public init(
        _ executable: String,
        _ arguments: [String],
        in directory: String,
        environment: [String: String]? = nil,
        stdin: String? = nil
    ) throws {
        command = [executable] + arguments
        files = try TemporaryDirectory(prefix: "conductor-process")
        let inputPath = files.appending("stdin"), outputPath = files.appending("stdout"), errorPath = files.appending("stderr")
        try Data((stdin ?? "").utf8).write(to: URL(fileURLWithPath: inputPath))
        try Data().write(to: URL(fileURLWithPath: outputPath))
        try Data().write(to: URL(fileURLWithPath: errorPath))
        let input = try FileHandle(forReadingFrom: URL(fileURLWithPath: inputPath))
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        let error = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        defer {
            // The child has its own copies once it runs.
            try? input.close()
            try? output.close()
            try? error.close()
        }
        process.executableURL = URL(fileURLWithPath: try resolveExecutable(executable, environment: environment))
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory, isDirectory: true)
        if let environment { process.environment = environment }
        process.standardInput = input
        process.standardOutput = output
        process.standardError = error
        try process.run()
    }

    /// The child's process id.
    public var processIdentifier: Int32 { process.processIdentifier }

    /// Waits for the child to end and returns its status and output.
    public func wait() throws -> ProcessResult {
        process.waitUntilExit()
        let stdout = try Data(contentsOf: URL(fileURLWithPath: files.appending("stdout")))
        let stderr = try Data(contentsOf: URL(fileURLWithPath: files.appending("stderr")))
        return ProcessResult(
            status: process.terminationStatus,
            stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self),
            terminatedBySignal: process.terminationReason == .uncaughtSignal
        )
    }
}

/// Runs `executable` with `arguments` in `directory` and waits for it.
///
/// - Parameters:
///   - executable: a path, or a name looked up on `PATH` (of `environment` when given).
///   - environment: the child's complete environment; nil inherits this process's.
///   - stdin: text fed to the child's standard input; nil gives it an empty one.
/// - Returns: the exit status and everything the child wrote. Output goes through files
///   (see ``ChildProcess``), so a child that writes megabytes never blocks.
/// - Throws: ``ProcessError/executableNotFound(_:searchPath:)`` or the error from launching.
///   A non-zero exit is not an error here; see ``ProcessResult/succeeded``.
public func runProcess(
    _ executable: String,
    _ arguments: [String],
    in directory: String,
    environment: [String: String]? = nil,
    stdin: String? = nil
) throws -> ProcessResult {
    try ChildProcess(executable, arguments, in: directory, environment: environment, stdin: stdin).wait()
}
