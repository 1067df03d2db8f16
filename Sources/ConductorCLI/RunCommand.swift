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

            Each transition, iteration, BIST result and warning is one line. On a terminal
            a status line below them shows the state, iteration N/M, the last BIST result,
            tokens and elapsed time, and state names are coloured (not with NO_COLOR set or
            TERM=dumb); --no-progress prints the lines alone. Off a terminal the output is
            the lines alone, never coloured; --json prints one JSON object per event.

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

    @Flag(help: "No live status line or colour on a terminal: only the plain lines, as in a pipe or a log.")
    var noProgress = false

    private var outputStyle: RunOutputStyle {
        .choose(json: json, noProgress: noProgress, standardOutputIsTerminal: Terminal.standardOutputIsTerminal, environment: ProcessInfo.processInfo.environment)
    }

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
        let printer = RunPrinter(style: outputStyle, maxIterations: maxIterations)
        try await reportingErrorsAsync { () async throws(ConductorError) in
            let repository = try ConductorRepository.open()
            let provider: ScriptedProvider
            do {
                provider = try ScriptedProvider(path: script!)
            } catch {
                throw .fileSystem(path: script!, detail: "\(error)")
            }
            // The status line goes before anything else is printed, an error included.
            defer { printer.close() }
            let engine = RunEngine(repository: repository, provider: provider, report: printer.print)
            result = try await engine.start(RunRequest(
                prompt: prompt, mode: mode, base: base,
                verifyCommands: verifyCommands.map { VerifyCommand($0, timeoutMilliseconds: verifyTimeout * 1000) },
                limits: LoopLimits(maxIterations: maxIterations), paths: PathPolicy(protected: protectedPaths)
            ))
        }
        guard let result else { throw ExitCode(ConductorExitCode.gitFailure.rawValue) }
        printer.finish(result)
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
