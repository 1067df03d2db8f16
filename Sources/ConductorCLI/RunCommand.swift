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

            The provider, verify commands, mode and budgets come from the configuration
            (conductor.yml, git config conductor.*, CONDUCTOR_* variables; see git conductor
            config show --effective and docs/configuration.md); the options here override it
            for this run. With no provider configured, the first one found is used: an
            ANTHROPIC_API_KEY or OPENAI_API_KEY, a local Ollama, a claude CLI on PATH. API keys
            are read from the environment and never recorded. In streamlined and full mode the
            model plans first; in full mode the spec and then the plan wait for
            'git conductor approve <run>' (or --yes), and the plan is built one step at a time.

            Examples:
              $ git conductor run "Fix add()" --verify "swift test"
              $ git conductor run "Fix add()" --provider anthropic --model claude-sonnet-4-5 --max-cost 0.50
              $ git conductor run "Lint" --provider ollama --verify "make lint" --verify "make test"
              $ git conductor run "Tidy" --script a.yml --verify "make" --protect "secrets/**"
              $ git conductor run "Port it" --mode full --yes

            Steer a run in flight from another terminal with git conductor steer, pause
            or cancel; continue an interrupted or paused run with git conductor resume.

            Each transition, iteration, BIST result and warning is one line. On a terminal
            a status line below them shows the state, iteration N/M, the last BIST result,
            tokens and elapsed time, and state names are coloured (not with NO_COLOR set or
            TERM=dumb); --no-progress prints the lines alone. Off a terminal the output is
            the lines alone, never coloured; --json prints one JSON object per event.

            Exit codes: 0 complete, 8 no provider can be set up, 10 failed, 11 precheck
            failed, 12 loop detected, 14 paused or cancelled, 15 invalid configuration
            (docs/exit-codes.md).
            """
    )

    @Argument(help: "The task, in plain words.")
    var prompt: String

    @Option(help: ArgumentHelp("Use this provider profile (openai, anthropic, ollama, azure, command, script, or one of yours).", valueName: "name"))
    var provider: String?

    @Option(help: ArgumentHelp("Ask the provider for this model.", valueName: "model"))
    var model: String?

    @Option(help: ArgumentHelp("Answer with the canned responses in this YAML or JSON file (the script provider).", valueName: "file"))
    var script: String?

    @Option(name: .customLong("verify"), help: ArgumentHelp("A verify command, run in the worktree; repeat for several (replaces the configured ones).", valueName: "command"))
    var verifyCommands: [String] = []

    @Option(help: ArgumentHelp("Seconds each verify command may run before its process group is killed (default 600).", valueName: "seconds"))
    var verifyTimeout: Int?

    @Option(help: "How much ceremony: streamlined (the default: a short spec and plan first), fast (no planning), or full (spec and plan approved, then built step by step).")
    var mode: RunMode?

    @Option(help: "The revision the task branch starts from.")
    var base: String = "HEAD"

    @Option(help: "Stop after this many iterations (default: 3 in fast mode, 8 otherwise).")
    var maxIterations: Int?

    @Option(help: ArgumentHelp("Stop once the run has used this many tokens.", valueName: "tokens"))
    var maxTokens: Int?

    @Option(help: ArgumentHelp("Stop once the run has cost this many US dollars (a single call can overshoot).", valueName: "usd"))
    var maxCost: Double?

    @Option(name: .customLong("protect"), help: ArgumentHelp("A path pattern the model may not edit (.gitignore syntax); repeat for several.", valueName: "glob"))
    var protectedPaths: [String] = []

    @Flag(name: .customLong("yes"), help: "In full mode, approve the spec and the plan without waiting.")
    var autoApprove = false

    @OptionGroup var output: RunOutputOptions

    func validate() throws {
        if prompt.allSatisfy(\.isWhitespace) { throw ValidationError("the prompt is empty.") }
        if let maxIterations, maxIterations < 1 { throw ValidationError("--max-iterations must be at least 1, not \(maxIterations).") }
        if let verifyTimeout, verifyTimeout < 1 { throw ValidationError("--verify-timeout must be at least 1 second, not \(verifyTimeout).") }
        if script != nil, let provider, provider != "script" { throw ValidationError("--script answers as the script provider; it cannot be combined with --provider \(provider).") }
    }

    func run() async throws {
        var resolved: RunConfiguration.Resolved?
        try reportingErrors { () throws(ConductorError) in
            resolved = try RunConfiguration.resolve(prompt: prompt, flags: flags, base: base, autoApprove: autoApprove, in: ConductorRepository.open())
        }
        guard let resolved else { throw ExitCode(ConductorExitCode.gitFailure.rawValue) }
        for warning in resolved.warnings { Terminal.warning(warning) }
        // A provider nobody configured must not answer unannounced.
        if resolved.providerReason != "configured" {
            Terminal.standardError("provider: \(resolved.request.provider.name), detected (\(resolved.providerReason))")
        }
        // Nobody configured this verify command either: say where it comes from.
        if let source = resolved.verifySource, let command = resolved.request.verifyCommands.first {
            Terminal.standardError("verify: `\(command.commandLine)` (from \(source))")
        }
        let outcome = try await RunDriver.drive(output.printer(maxIterations: resolved.request.limits.maxIterations), logging: output.logging, notify: resolved.notify) { (engine) async throws(ConductorError) in
            try await engine.start(resolved.request)
        }
        throw ExitCode(RunExitCode(outcome).rawValue)
    }

    /// The options the user gave, as configuration keys: the top layer. Options left out
    /// leave the lower layers (files, git config, environment) in charge.
    var flags: [String: ConfigNode] {
        var flags: [String: ConfigNode] = [:]
        if let script {
            flags["provider"] = "script"
            flags["providers.script.path"] = .text(RunDriver.absolute(script))
        }
        if let provider { flags["provider"] = .text(provider) }
        if let model { flags["model"] = .text(model) }
        if !verifyCommands.isEmpty { flags["verify"] = .texts(verifyCommands) }
        if let verifyTimeout { flags["verify_timeout_seconds"] = .text(String(verifyTimeout)) }
        if let mode { flags["mode"] = .text(mode.rawValue) }
        if let maxIterations { flags["budgets.max_iterations"] = .text(String(maxIterations)) }
        if let maxTokens { flags["budgets.max_tokens"] = .text(String(maxTokens)) }
        if let maxCost { flags["budgets.max_cost_usd"] = .text(String(maxCost)) }
        if !protectedPaths.isEmpty { flags["protect"] = .texts(protectedPaths) }
        return flags
    }
}

extension RunMode: ExpressibleByArgument {}

