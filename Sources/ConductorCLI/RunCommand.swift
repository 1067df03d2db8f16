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

            This version answers with the offline script provider (docs/providers.md); in
            streamlined and full mode a script starts with a plan response. In full mode the
            spec and then the plan wait for 'git conductor approve <run>' (or --yes), and the
            plan is built one step at a time.

            Examples:
              $ git conductor run "Fix add()" --script a.yml --verify "swift test"
              $ git conductor run "Lint" --script a.yml --verify "make lint" --verify "make test"
              $ git conductor run "Tidy" --script a.yml --verify "make" --protect "secrets/**"
              $ git conductor run "Port it" --script a.yml --verify "make" --mode full --yes

            Steer a run in flight from another terminal with git conductor steer, pause
            or cancel; continue an interrupted or paused run with git conductor resume.

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

    @Option(help: "How much ceremony: streamlined (a short spec and plan first), fast (no planning), or full (spec and plan approved, then built step by step).")
    var mode: RunMode = .streamlined

    @Option(help: "The revision the task branch starts from.")
    var base: String = "HEAD"

    @Option(help: "Stop after this many iterations (default: 3 in fast mode, 8 otherwise).")
    var maxIterations: Int?

    @Option(name: .customLong("protect"), help: ArgumentHelp("A path pattern the model may not edit (.gitignore syntax); repeat for several.", valueName: "glob"))
    var protectedPaths: [String] = []

    @Flag(help: "Print one JSON object per event instead of plain lines.")
    var json = false

    @Flag(name: .customLong("yes"), help: "In full mode, approve the spec and the plan without waiting.")
    var autoApprove = false

    func validate() throws {
        if prompt.allSatisfy(\.isWhitespace) { throw ValidationError("the prompt is empty.") }
        if let maxIterations, maxIterations < 1 { throw ValidationError("--max-iterations must be at least 1, not \(maxIterations).") }
        if verifyTimeout < 1 { throw ValidationError("--verify-timeout must be at least 1 second, not \(verifyTimeout).") }
        if script == nil {
            throw ValidationError("no provider is configured: pass --script <file> (network providers arrive with configuration), or try 'git conductor demo'.")
        }
    }

    func run() async throws {
        let outcome = try await RunDriver.drive(json: json) { (engine) async throws(ConductorError) in
            try await engine.start(request())
        }
        throw ExitCode(RunExitCode(outcome).rawValue)
    }

    private func request() -> RunRequest {
        RunRequest(
            prompt: prompt, provider: .script(path: RunDriver.absolute(script!)), mode: mode, base: base,
            verifyCommands: verifyCommands.map { VerifyCommand($0, timeoutMilliseconds: verifyTimeout * 1000) },
            limits: LoopLimits(maxIterations: maxIterations ?? (mode == .fast ? 3 : 8)),
            paths: PathPolicy(protected: protectedPaths), autoApprove: autoApprove
        )
    }
}

extension RunMode: ExpressibleByArgument {}

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
        case let .usage(tokens, cost): "usage: \(tokens) tokens, \(cost.map(CostFormat.dollars) ?? "cost unknown")"
        case let .resumed(run, state, branch): "run \(run) on \(branch) resumed at \(state.rawValue)"
        case let .awaitingApproval(run, what): "waiting for approval of the \(what): git conductor approve \(run)"
        }
    }

    static func fields(_ update: EngineUpdate) -> [String: String] {
        switch update {
        case let .started(run, branch): ["event": "started", "run": run.rawValue, "task_branch": branch]
        case let .transition(from, to, detail): ["event": "transition", "from": from?.rawValue ?? "", "to": to.rawValue, "detail": detail ?? ""]
        case .iteration(let number): ["event": "iteration", "number": String(number)]
        case let .verified(iteration, summary): ["event": "bist", "iteration": String(iteration), "summary": summary]
        case .warning(let message): ["event": "warning", "message": message]
        case let .usage(tokens, cost): ["event": "usage", "tokens": String(tokens), "cost_usd": cost.map { String($0) } ?? ""]
        case let .resumed(run, state, branch): ["event": "resumed", "run": run.rawValue, "state": state.rawValue, "task_branch": branch]
        case let .awaitingApproval(run, what): ["event": "awaiting_approval", "run": run.rawValue, "what": what]
        }
    }
}
