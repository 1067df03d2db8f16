/// One configured verify command: a shell command line run with `/bin/sh -c` in the run's
/// worktree, with a hard timeout, and optionally the JUnit XML file it writes.
public struct VerifyCommand: Sendable, Equatable, Codable {
    /// What `/bin/sh -c` runs, exactly as configured (`swift test`, `make check && ./lint`).
    public var commandLine: String
    /// How long the command may run before its whole process tree is terminated.
    public var timeoutMilliseconds: Int
    /// A JUnit XML report the command writes, relative to the worktree. When set and
    /// written by this run, its counts win over counts parsed from the output.
    public var junitPath: String?

    public init(_ commandLine: String, timeoutMilliseconds: Int = 600_000, junitPath: String? = nil) {
        self.commandLine = commandLine
        self.timeoutMilliseconds = max(1, timeoutMilliseconds)
        self.junitPath = junitPath
    }

    /// Whether ``junitPath`` names a file inside the worktree: relative, without `.` or `..`
    /// components, so a verify configuration cannot make the verifier read outside it.
    public var junitPathIsContained: Bool {
        guard let junitPath, !junitPath.isEmpty, !junitPath.hasPrefix("/") else { return false }
        return junitPath.split(separator: "/", omittingEmptySubsequences: true)
            .allSatisfy { $0 != "." && $0 != ".." }
    }

    enum CodingKeys: String, CodingKey {
        case commandLine = "command", timeoutMilliseconds = "timeout_ms", junitPath = "junit_path"
    }
}
