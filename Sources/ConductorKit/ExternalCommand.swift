import Foundation

/// Another program run to completion (`git` for what libgit2 does not do, `gh`), found on
/// the `PATH` of the environment given, with its output captured.
public struct ExternalCommand: Sendable {
    public struct Result: Sendable, Equatable {
        public let status: Int32
        public let standardOutput: String
        public let standardError: String

        public var succeeded: Bool { status == 0 }
    }

    public let arguments: [String]
    let environment: [String: String]
    let directory: String

    /// `arguments[0]` is the program's name or path.
    public init(_ arguments: [String], in directory: String, environment: [String: String]) {
        self.arguments = arguments
        self.directory = directory
        self.environment = environment
    }

    /// The program's path on `PATH`, or nil when it is not installed.
    public var executable: String? {
        guard let name = arguments.first else { return nil }
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        let path = environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs it, with `input` on standard input; nil when the program cannot be started.
    public func run(input: String = "") -> Result? {
        guard let executable else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = Array(arguments.dropFirst())
        process.currentDirectoryURL = URL(fileURLWithPath: directory, isDirectory: true)
        process.environment = environment
        let output = Pipe(), errors = Pipe(), stdin = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = stdin
        do {
            try process.run()
        } catch {
            return nil
        }
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try? stdin.fileHandleForWriting.close()
        // Read both pipes at once, so that neither can fill up and block the child.
        let group = DispatchGroup()
        nonisolated(unsafe) var errorData = Data()
        DispatchQueue.global().async(group: group) { errorData = errors.fileHandleForReading.readDataToEndOfFile() }
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            standardOutput: String(decoding: outputData, as: UTF8.self),
            standardError: String(decoding: errorData, as: UTF8.self)
        )
    }
}
