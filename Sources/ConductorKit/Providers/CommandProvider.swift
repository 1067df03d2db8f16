import ConductorDomain
import Foundation

/// A provider that drives another command-line agent (Claude Code, Codex, Gemini CLI, `llm`, or
/// any program): the prompt goes to its stdin, and its stdout is read by the preset's
/// ``CommandOutputFormat`` (docs/providers.md, "The command provider").
///
/// The CLI runs in the run's worktree, as the leader of its own process group, with a hard
/// timeout and the same clean-up as verify commands (``ProcessGroupRunner``): when the timeout
/// passes or the call is cancelled, its whole tree gets `SIGTERM`, then `SIGKILL` after the
/// grace period, and nothing of it is left running. It runs on a thread of its own, so a
/// long call never holds one of the few threads of Swift's cooperative pool.
///
/// In agentic mode the CLI may edit the worktree itself; the engine must then check what it
/// changed with ``AgenticChangeGuard`` before committing anything.
///
/// Every failure is a ``ProviderError``, with secrets removed from whatever the CLI printed.
public struct CommandProvider: Provider {
    public let preset: CommandPreset
    /// Where the CLI runs: the run's worktree.
    public let workingDirectory: String
    /// The model to ask for (through the preset's model option), and to record when the CLI's
    /// output does not name one.
    public var model: String?
    /// Whether the CLI may edit the worktree (the preset's agentic arguments are added).
    public var agentic: Bool
    /// How long one call may take before its tree is terminated.
    public var timeout: Duration
    /// Time between `SIGTERM` and `SIGKILL`.
    public var gracePeriod: Duration
    /// The CLI's environment (`CI=true` is added); its own credentials come from here.
    public var environment: [String: String]
    /// Applied to everything the CLI printed that goes into an error.
    public var redactor: SecretRedactor
    /// The most stdout one answer may have; a CLI that prints more is stopped.
    public var maxOutputBytes: Int

    /// - Parameter redactor: nil for one that knows the keys in `environment`.
    public init(
        preset: CommandPreset,
        workingDirectory: String,
        model: String? = nil,
        agentic: Bool = false,
        timeout: Duration = .seconds(900),
        gracePeriod: Duration = .seconds(5),
        environment: [String: String] = ProcessInfo.processInfo.environment,
        redactor: SecretRedactor? = nil,
        maxOutputBytes: Int = 32 << 20
    ) {
        self.preset = preset
        self.workingDirectory = workingDirectory
        self.model = model
        self.agentic = agentic
        self.timeout = timeout
        self.gracePeriod = gracePeriod
        self.environment = environment
        self.redactor = redactor ?? SecretRedactor(environment: environment)
        self.maxOutputBytes = maxOutputBytes
    }

    /// `command:<preset>`, as recorded in events and notes.
    public var name: String { "command:\(preset.name)" }

    public func complete(_ request: ProviderRequest) async throws(ProviderError) -> ProviderResponse {
        do {
            return try await answer(request)
        } catch {
            throw redacted(error)
        }
    }

    private func answer(_ request: ProviderRequest) async throws(ProviderError) -> ProviderResponse {
        if agentic, preset.agenticArguments == nil {
            throw .commandFailed(provider: name, detail: "\(preset.name) has no agentic mode; use it without agentic mode, or configure the arguments that let it edit files")
        }
        let words = preset.commandLine(model: model, agentic: agentic)
        let executable = try locate(preset.program)
        let prompt = CommandPrompt.render(request)
        let launch = ProcessLaunch(
            executable: executable, arguments: Array(words.dropFirst()), name: preset.program,
            input: Array(prompt.utf8), separateErrorOutput: true
        )
        if Task.isCancelled { throw .cancelled(provider: name) }
        let run = try await Self.run(
            launch, provider: name, in: workingDirectory, environment: environment, timeout: timeout,
            runner: ProcessGroupRunner(gracePeriod: gracePeriod, headBytes: 8 * 1024, tailBytes: 16 * 1024),
            maxOutputBytes: maxOutputBytes
        ).get()

        let output = CommandOutput(provider: name, format: preset.output, prompt: prompt, configuredModel: model)
        if run.overflowed {
            throw .malformedResponse(provider: name, detail: "the CLI printed more than \(maxOutputBytes >> 20) MiB on stdout; it was stopped")
        }
        if run.result.stopped { throw .cancelled(provider: name) }
        if run.result.timedOut {
            throw .timeout(provider: name, phase: "answer", seconds: Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18)
        }
        switch run.result.termination {
        case .exited(0):
            return try output.parse(run.stdout)
        case .exited(let status):
            throw .commandFailed(provider: name, detail: "\(preset.program) exited with status \(status)" + reason(run, output))
        case .signaled(let signal):
            throw .commandFailed(provider: name, detail: "\(preset.program) was killed by signal \(signal)" + reason(run, output))
        }
    }

    /// The program's path, or why it cannot be run and how to get it.
    private func locate(_ program: String) throws(ProviderError) -> String {
        switch CommandAvailability.locate(program, in: workingDirectory, environment: environment) {
        case .executable(let path):
            return path
        case .notExecutable(let path):
            throw .commandFailed(provider: name, detail: "\(path) is not an executable file; \(preset.installHint)")
        default:
            let place = program.contains("/") ? "at \(program)" : "on PATH"
            throw .commandFailed(provider: name, detail: "'\(program)' was not found \(place); \(preset.installHint)")
        }
    }

    /// What the CLI said about its failure: an error in its JSON output, else the end of its
    /// stderr, else the end of its stdout.
    private func reason(_ run: Run, _ output: CommandOutput) -> String {
        if let message = output.errorMessage(in: run.stdout) { return ": " + Self.excerpt(message) }
        if let errors = run.result.errorOutput?.captured.text, !errors.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            return ": " + Self.excerpt(errors)
        }
        let printed = String(decoding: run.stdout.suffix(4096), as: UTF8.self)
        return printed.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? " and printed nothing" : ": " + Self.excerpt(printed)
    }

    /// The last lines of a message, at most 20 and 2000 characters: enough to say what went
    /// wrong without a page of stack trace.
    static func excerpt(_ text: String) -> String {
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        var kept = lines.suffix(20).joined(separator: "\n")
        if kept.count > 2000 { kept = "…" + kept.suffix(2000) }
        return kept
    }

    private func redacted(_ error: ProviderError) -> ProviderError {
        switch error {
        case let .commandFailed(provider, detail): .commandFailed(provider: provider, detail: redactor.redact(detail))
        case let .malformedResponse(provider, detail): .malformedResponse(provider: provider, detail: redactor.redact(detail))
        default: error
        }
    }

    // MARK: Running off the cooperative pool

    /// What one run of the CLI left: how it ended, and all of its stdout.
    struct Run: Sendable {
        let result: ProcessGroupResult
        let stdout: [UInt8]
        /// Whether stdout went over the limit (the CLI was then stopped).
        let overflowed: Bool
    }

    /// Runs `launch` on a thread of its own and waits for it without blocking the caller's
    /// thread; cancelling the calling task stops the CLI.
    static func run(
        _ launch: ProcessLaunch, provider: String, in directory: String, environment: [String: String], timeout: Duration,
        runner: ProcessGroupRunner, maxOutputBytes: Int
    ) async -> Result<Run, ProviderError> {
        let stop = StopRequest()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<Run, ProviderError>, Never>) in
                let thread = Thread {
                    var stdout: [UInt8] = []
                    var overflowed = false
                    do throws(ProcessGroupError) {
                        let result = try runner.run(launch, in: directory, environment: environment, timeout: timeout, stop: stop) { chunk in
                            guard !overflowed else { return }
                            if stdout.count + chunk.count > maxOutputBytes {
                                overflowed = true
                                stop.request()
                            } else {
                                stdout.append(contentsOf: chunk)
                            }
                        }
                        continuation.resume(returning: .success(Run(result: result, stdout: stdout, overflowed: overflowed)))
                    } catch {
                        continuation.resume(returning: .failure(.commandFailed(provider: provider, detail: error.description)))
                    }
                }
                thread.name = "git-conductor \(launch.name)"
                thread.start()
            }
        } onCancel: {
            stop.request()
        }
    }
}
