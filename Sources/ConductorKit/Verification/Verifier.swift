import ConductorDomain
import Foundation

/// The VERIFYING step as the engine sees it: run the configured commands in a worktree and
/// report. A port, so the engine can be tested with a scripted verifier.
public protocol Verifier: Sendable {
    /// Runs `commands` in order in `worktree`. Never throws: a command that cannot start is a
    /// result (``VerifyOutcome/couldNotStart``), not an error, so it is recorded like any other.
    func verify(_ commands: [VerifyCommand], in worktree: String) -> BISTReport
}

/// How ``ProcessVerifier`` runs commands.
public struct VerifyOptions: Sendable, Equatable {
    /// Run a failed command once more; a pass then is reported as ``VerifyOutcome/flaky``.
    /// Off by default: in a repair loop most runs fail, and each would cost twice.
    public var rerunOnFailure: Bool
    /// Skip the remaining commands once one fails (they are listed in `not_run`): later commands
    /// usually depend on earlier ones (build, then test).
    public var stopAtFirstFailure: Bool
    /// Time between `SIGTERM` and `SIGKILL` after a timeout.
    public var gracePeriod: Duration
    /// How much of each command's output is kept: its first and last bytes.
    public var headBytes: Int
    public var tailBytes: Int

    public init(
        rerunOnFailure: Bool = false, stopAtFirstFailure: Bool = true, gracePeriod: Duration = .seconds(5),
        headBytes: Int = 16 * 1024, tailBytes: Int = 64 * 1024
    ) {
        self.rerunOnFailure = rerunOnFailure
        self.stopAtFirstFailure = stopAtFirstFailure
        self.gracePeriod = gracePeriod
        self.headBytes = headBytes
        self.tailBytes = tailBytes
    }
}

/// The verifier that runs commands as real processes, each in its own process group with a hard
/// timeout (``ProcessGroupRunner``), and reads counts from their output or JUnit files.
/// `verify` blocks its thread until every command and its processes are gone.
public struct ProcessVerifier: Verifier {
    public var options: VerifyOptions
    /// The commands' environment (`CI=true` is added). Defaults to this process's.
    public var environment: [String: String]
    public var clock: any Clock

    public init(
        options: VerifyOptions = VerifyOptions(),
        environment: [String: String] = ProcessInfo.processInfo.environment,
        clock: any Clock = SystemClock()
    ) {
        self.options = options
        self.environment = environment
        self.clock = clock
    }

    public func verify(_ commands: [VerifyCommand], in worktree: String) -> BISTReport {
        let startedAt = clock.now()
        let started = ContinuousClock.now
        var results: [CommandResult] = []
        var notRun: [String] = []
        for (index, command) in commands.enumerated() {
            var final = run(command, attempt: 1, in: worktree)
            results.append(final)
            if final.outcome == .failed, options.rerunOnFailure {
                final = run(command, attempt: 2, in: worktree)
                if final.outcome == .passed { final.outcome = .flaky }
                results.append(final)
            }
            if final.outcome.isFailure, options.stopAtFirstFailure {
                notRun = commands[(index + 1)...].map(\.commandLine)
                break
            }
        }
        return BISTReport(
            results: results, notRun: notRun, startedAt: startedAt,
            durationMilliseconds: ProcessGroupRunner.milliseconds(ContinuousClock.now - started)
        )
    }

    /// Runs one attempt of one command and classifies it.
    func run(_ command: VerifyCommand, attempt: Int, in worktree: String) -> CommandResult {
        var problems: [String] = []
        let junitPath: String?
        if command.junitPath != nil, !command.junitPathIsContained {
            problems.append("JUnit path '\(command.junitPath ?? "")' must be relative and stay inside the worktree; ignored")
            junitPath = nil
        } else {
            junitPath = command.junitPath.map { worktree + "/" + $0 }
        }
        let junitBefore = junitPath.flatMap(FileStamp.init(path:))

        let runner = ProcessGroupRunner(gracePeriod: options.gracePeriod, headBytes: options.headBytes, tailBytes: options.tailBytes)
        var analyzer = OutputAnalyzer()
        let outcome: ProcessGroupResult
        do {
            outcome = try runner.run(
                command.commandLine, in: worktree, environment: environment,
                timeout: .milliseconds(command.timeoutMilliseconds)
            ) { analyzer.feed($0) }
        } catch {
            let problem = error.description
            return CommandResult(
                command: command.commandLine, attempt: attempt, exitCode: nil, signal: nil, durationMilliseconds: 0,
                timeoutMilliseconds: command.timeoutMilliseconds, timedOut: false, output: .empty, counts: nil,
                outcome: .couldNotStart,
                failureSignature: FailureSignature.of(outcome: .couldNotStart, command: command.commandLine, lines: [OutputNormalizer.normalize(problem)]),
                problems: problems + [problem]
            )
        }
        analyzer.finish()

        var counts = analyzer.counts.map(\.counts)
        var countedBy = analyzer.counts?.runners ?? []
        if let junitPath, let relative = command.junitPath {
            let after = FileStamp(path: junitPath)
            if after == nil || after == junitBefore {
                problems.append("the JUnit file \(relative) was not written by this run; counts come from the output")
            } else {
                do throws(JUnitError) {
                    counts = try JUnitReader.counts(atPath: junitPath)
                    countedBy = [.junit]
                } catch {
                    problems.append(error.description)
                }
            }
        }

        var exitCode: Int32?
        var signal: Int32?
        switch outcome.termination {
        case .exited(let status): exitCode = status
        case .signaled(let number): signal = number
        }
        let (verdict, note) = VerifyOutcome.classify(exitCode: exitCode, signal: signal, timedOut: outcome.timedOut, counts: counts)
        if let note { problems.append(note) }
        if !outcome.survivors.isEmpty {
            problems.append("processes \(outcome.survivors.map(String.init).joined(separator: ", ")) could not be killed")
        }
        return CommandResult(
            command: command.commandLine, attempt: attempt, exitCode: exitCode, signal: signal,
            durationMilliseconds: outcome.durationMilliseconds, timeoutMilliseconds: command.timeoutMilliseconds,
            timedOut: outcome.timedOut, output: outcome.output.captured, counts: counts, countedBy: countedBy,
            outcome: verdict,
            failureSignature: verdict == .passed ? nil : analyzer.failureSignature(outcome: verdict, command: command.commandLine),
            problems: problems
        )
    }
}

/// Enough of a file's identity to tell whether a command rewrote it: a stale JUnit file from an
/// earlier iteration must not stand in for this run's results.
private struct FileStamp: Equatable {
    let inode: UInt64
    let size: UInt64
    let modified: Double

    init?(path: String) {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              (attributes[.type] as? FileAttributeType) == .typeRegular
        else { return nil }
        inode = (attributes[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0
        size = (attributes[.size] as? NSNumber)?.uint64Value ?? 0
        modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
    }
}

extension BISTReport {
    /// Where the report of iteration `iteration` is stored in the run's directory.
    public static func artifactPath(iteration: Int) -> String { "iterations/\(iteration)/bist.json" }

    /// `bist.json`: indented, sorted keys, ending with a newline, like every state document.
    public var jsonBytes: [UInt8] { StateCoding.document(self) }

    /// Reads a `bist.json`; `path` names it in errors.
    public static func decode(_ bytes: [UInt8], path: String = "bist.json") throws(ConductorError) -> BISTReport {
        let report = try StateCoding.decode(BISTReport.self, from: bytes, path: path)
        guard report.format == currentFormat else {
            throw .corruptState(path: path, detail: "unknown bist.json format \(report.format)")
        }
        return report
    }
}
