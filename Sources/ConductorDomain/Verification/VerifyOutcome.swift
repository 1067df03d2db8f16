/// How a verify command (or a whole BIST) ended. Raw values are what `bist.json` stores.
public enum VerifyOutcome: String, Codable, Sendable, CaseIterable {
    /// Exited 0 on the first attempt and no parsed test failed.
    case passed
    /// Exited non-zero, was killed by a signal, or reported failed tests.
    case failed
    /// Ran past its timeout and was terminated.
    case timedOut = "timed_out"
    /// Failed, then passed when run again. Never reported as a plain pass: the code may
    /// work, but the signal is unreliable and people should know.
    case flaky
    /// The command never ran: no shell, no worktree, or the shell could not find or execute
    /// the program (exit status 127 or 126).
    case couldNotStart = "could_not_start"

    /// Whether the code under test did not demonstrate a pass. A flaky pass is not a failure.
    public var isFailure: Bool {
        switch self {
        case .failed, .timedOut, .couldNotStart: true
        case .passed, .flaky: false
        }
    }

    /// Classifies one run of a command from how it ended.
    ///
    /// A zero exit status is a pass unless the parsed counts say tests failed: commands such as
    /// `swift test | tee log` exit 0 however the tests went, and the counts are the better
    /// witness. Returns a note that says why when the counts overrode the exit status.
    public static func classify(
        exitCode: Int32?, signal: Int32?, timedOut: Bool, counts: TestCounts?
    ) -> (outcome: VerifyOutcome, note: String?) {
        if timedOut { return (.timedOut, nil) }
        if let exitCode, exitCode == 126 || exitCode == 127 {
            return (.couldNotStart, "the shell could not \(exitCode == 127 ? "find" : "execute") the command (exit status \(exitCode))")
        }
        if exitCode == 0 {
            if let counts, counts.failed > 0 {
                return (.failed, "exit status 0, but \(counts.failed) of \(counts.total) tests failed")
            }
            return (.passed, nil)
        }
        return (.failed, nil)
    }
}
