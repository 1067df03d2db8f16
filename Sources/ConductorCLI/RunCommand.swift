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

    @Option(help: "How much ceremony: streamlined (a short spec and plan first), fast (no planning), or full (spec and plan approved, then built step by step).")
    var mode: RunMode = .streamlined

    @Option(help: "The revision the task branch starts from.")
    var base: String = "HEAD"

    @Option(help: "Stop after this many iterations (default: 3 in fast mode, 8 otherwise).")
    var maxIterations: Int?

    @Option(name: .customLong("protect"), help: ArgumentHelp("A path pattern the model may not edit (.gitignore syntax); repeat for several.", valueName: "glob"))
    var protectedPaths: [String] = []

    @Flag(name: .customLong("yes"), help: "In full mode, approve the spec and the plan without waiting.")
    var autoApprove = false

    @OptionGroup var output: RunOutputOptions

    func validate() throws {
        if prompt.allSatisfy(\.isWhitespace) { throw ValidationError("the prompt is empty.") }
        if let maxIterations, maxIterations < 1 { throw ValidationError("--max-iterations must be at least 1, not \(maxIterations).") }
        if verifyTimeout < 1 { throw ValidationError("--verify-timeout must be at least 1 second, not \(verifyTimeout).") }
        if script == nil {
            throw ValidationError("no provider is configured: pass --script <file> (network providers arrive with configuration), or try 'git conductor demo'.")
        }
    }

    func run() async throws {
        let request = request()
        let outcome = try await RunDriver.drive(output.printer(maxIterations: request.limits.maxIterations)) { (engine) async throws(ConductorError) in
            try await engine.start(request)
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

