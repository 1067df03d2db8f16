/// One run of one verify command, as stored in `bist.json`. A command that failed and was run
/// again has two results, `attempt` 1 and 2.
public struct CommandResult: Sendable, Equatable, Codable {
    /// The command line, as configured.
    public var command: String
    /// 1 for the first run, 2 for the re-run after a failure.
    public var attempt: Int
    /// The exit status, when the shell exited by itself.
    public var exitCode: Int32?
    /// The signal that ended the shell (15 for SIGTERM, 9 for SIGKILL…), when one did.
    public var signal: Int32?
    public var durationMilliseconds: Int
    public var timeoutMilliseconds: Int
    /// Whether the timeout expired and the process tree was terminated.
    public var timedOut: Bool
    public var output: CapturedOutput
    public var counts: TestCounts?
    /// Where ``counts`` came from; empty when there are none.
    public var countedBy: [TestRunner]
    public var outcome: VerifyOutcome
    /// Set for every attempt that did not pass.
    public var failureSignature: FailureSignature?
    /// What went wrong around the command rather than in it: it could not be started, its JUnit
    /// file was missing, its exit status contradicted its counts.
    public var problems: [String]

    public init(
        command: String, attempt: Int = 1, exitCode: Int32?, signal: Int32?, durationMilliseconds: Int,
        timeoutMilliseconds: Int, timedOut: Bool, output: CapturedOutput, counts: TestCounts?,
        countedBy: [TestRunner] = [], outcome: VerifyOutcome, failureSignature: FailureSignature? = nil,
        problems: [String] = []
    ) {
        self.command = command
        self.attempt = attempt
        self.exitCode = exitCode
        self.signal = signal
        self.durationMilliseconds = durationMilliseconds
        self.timeoutMilliseconds = timeoutMilliseconds
        self.timedOut = timedOut
        self.output = output
        self.counts = counts
        self.countedBy = countedBy
        self.outcome = outcome
        self.failureSignature = failureSignature
        self.problems = problems
    }

    enum CodingKeys: String, CodingKey {
        case command, attempt, exitCode = "exit_code", signal, durationMilliseconds = "duration_ms"
        case timeoutMilliseconds = "timeout_ms", timedOut = "timed_out", output, counts
        case countedBy = "counted_by", outcome, failureSignature = "failure_signature", problems
    }
}
