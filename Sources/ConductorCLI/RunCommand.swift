import ArgumentParser
import ConductorDomain
import ConductorKit
import Foundation

/// `git conductor run "<prompt>"`: one task, end to end, on its own task branch.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a task end to end: precheck, plan, build, verify, repair, commit.",
        discussion: """
            The run works in its own worktree on a new branch conductor/<slug>-<tag>; your
            checkout is never touched. Each attempt that changes files is a commit with
            Conductor-Run and Conductor-Iteration trailers and a note under
            refs/notes/conductor; everything else is recorded on orchestrator-state.

            This version runs streamlined and fast modes with the offline script provider
            (docs/providers.md); a streamlined script starts with a plan response.

            Examples:
              $ git conductor run "Fix add()" --script a.yml --verify "swift test"
              $ git conductor run "Lint" --script a.yml --verify "make lint" --verify "make test"
              $ git conductor run "Tidy" --script a.yml --verify "make" --protect "secrets/**"

            Steer a run in flight from another terminal with git conductor steer, pause
            or cancel.

            Exit codes: 0 complete, 10 failed, 11 precheck failed, 12 loop detected,
            14 paused or cancelled (docs/exit-codes.md).
            """
    )

    @Argument(help: "The task, in plain words.")
    var prompt: String

    @Option(help: ArgumentHelp("Answer with the canned responses in this YAML or JSON file.", valueName: "file"))
    var script: String?

    @Option(name: .customLong("verify"), help: ArgumentHelp("A verify command, run in the worktree; repeat for several.", valueName: "command"))
    var verifyCommands: [String] = []

    @Option(help: "Seconds each verify command may run before its process group is killed.")
    var verifyTimeout: Int = 600

    @Option(help: "How much ceremony: streamlined (a short spec and plan first) or fast (no planning).")
    var mode: RunMode = .streamlined

    @Option(help: "The revision the task branch starts from.")
    var base: String = "HEAD"

    @Option(help: "Stop after this many iterations.")
    var maxIterations: Int = 8

    @Option(name: .customLong("protect"), help: ArgumentHelp("A path pattern the model may not edit (.gitignore syntax); repeat for several.", valueName: "glob"))
    var protectedPaths: [String] = []

    @Flag(help: "Print one JSON object per event instead of plain lines.")
    var json = false

    func validate() throws {
        if prompt.allSatisfy(\.isWhitespace) { throw ValidationError("the prompt is empty.") }
        if maxIterations < 1 { throw ValidationError("--max-iterations must be at least 1, not \(maxIterations).") }
        if verifyTimeout < 1 { throw ValidationError("--verify-timeout must be at least 1 second, not \(verifyTimeout).") }
        if script == nil {
            throw ValidationError("no provider is configured: pass --script <file> (network providers arrive with configuration), or try 'git conductor demo'.")
        }
    }

    func run() async throws {
        let outcome = try await perform()
        throw ExitCode(RunExitCode(outcome).rawValue)
    }

    private func perform() async throws(ExitCode) -> RunOutcome {
        var result: RunOutcome?
        try await reportingErrorsAsync { () async throws(ConductorError) in
            let repository = try ConductorRepository.open()
            let provider: ScriptedProvider
            do {
                provider = try ScriptedProvider(path: script!)
            } catch {
                throw .fileSystem(path: script!, detail: "\(error)")
            }
            let engine = RunEngine(repository: repository, provider: provider, report: RunPrinter(json: json).print)
            result = try await engine.start(RunRequest(
                prompt: prompt, mode: mode, base: base,
                verifyCommands: verifyCommands.map { VerifyCommand($0, timeoutMilliseconds: verifyTimeout * 1000) },
                limits: LoopLimits(maxIterations: maxIterations), paths: PathPolicy(protected: protectedPaths)
            ))
        }
        guard let result else { throw ExitCode(ConductorExitCode.gitFailure.rawValue) }
        RunPrinter(json: json).finish(result)
        return result
    }
}

extension RunMode: ExpressibleByArgument {}

/// How a run's end maps to the documented exit codes.
enum RunExitCode: Int32 {
    case complete = 0, failed = 10, precheckFailed = 11, loopDetected = 12, stopped = 14

    init(_ outcome: RunOutcome) {
        self = switch (outcome.state, outcome.reason) {
        case (.complete, _): .complete
        case (.paused, _), (.cancelled, _): .stopped
        case (_, .precheck): .precheckFailed
        case (_, .loopDetected): .loopDetected
        default: .failed
        }
    }
}

/// Prints engine updates as they happen: one plain line each, or one JSON object each.
struct RunPrinter: Sendable {
    let json: Bool

    func print(_ update: EngineUpdate) {
        if json { return Terminal.json(line: Self.fields(update)) }
        Terminal.standardOutput(Self.line(update))
    }

    func finish(_ outcome: RunOutcome) {
        if json {
            return Terminal.json(line: [
                "event": "outcome", "run": outcome.run.rawValue, "state": outcome.state.rawValue,
                "reason": outcome.reason?.rawValue ?? "", "iterations": String(outcome.iterations), "task_branch": outcome.taskBranch,
            ])
        }
        let reason = outcome.reason.map { " (\($0.rawValue): \(outcome.detail ?? ""))" } ?? ""
        Terminal.standardOutput("\(outcome.state.rawValue)\(reason) after \(outcome.iterations) iteration\(outcome.iterations == 1 ? "" : "s"); task branch \(outcome.taskBranch)")
    }

    static func line(_ update: EngineUpdate) -> String {
        switch update {
        case let .started(run, branch): "run \(run) on \(branch)"
        case let .transition(from, to, detail): "\(from?.rawValue ?? "START") -> \(to.rawValue)" + (detail.map { ": \($0)" } ?? "")
        case .iteration(let number): "iteration \(number)"
        case let .verified(iteration, summary): "BIST (iteration \(iteration)): \(summary)"
        case .warning(let message): "warning: \(message)"
        }
    }

    static func fields(_ update: EngineUpdate) -> [String: String] {
        switch update {
        case let .started(run, branch): ["event": "started", "run": run.rawValue, "task_branch": branch]
        case let .transition(from, to, detail): ["event": "transition", "from": from?.rawValue ?? "", "to": to.rawValue, "detail": detail ?? ""]
        case .iteration(let number): ["event": "iteration", "number": String(number)]
        case let .verified(iteration, summary): ["event": "bist", "iteration": String(iteration), "summary": summary]
        case .warning(let message): ["event": "warning", "message": message]
        }
    }
}
