import ArgumentParser
import ConductorDomain
import ConductorKit
import Foundation

/// `git conductor demo`: a complete offline run in a throw-away repository.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run a complete offline task in a throw-away repository and show what it recorded.",
        discussion: """
            Builds a tiny project whose test fails, runs a scripted task that fails
            verification once and passes on the second iteration, then prints the run's
            log, its timeline, the notes on the task branch and the state-machine path.
            Nothing outside the demo repository is touched.

            Examples:
              $ git conductor demo
              $ git conductor demo --dir /tmp/conductor-demo   # keep it for inspection
            """
    )

    @Option(help: ArgumentHelp("Keep the demo repository at this (empty or new) directory.", valueName: "path"))
    var dir: String?

    func run() async throws {
        let outcome = try await perform()
        throw ExitCode(RunExitCode(outcome).rawValue)
    }

    private func perform() async throws(ExitCode) -> RunOutcome {
        let directory = dir.map { ($0 as NSString).expandingTildeInPath } ?? NSTemporaryDirectory() + "git-conductor-demo-\(getpid())"
        defer { if dir == nil { try? FileManager.default.removeItem(atPath: directory) } }
        var result: RunOutcome?
        try await reportingErrorsAsync { () async throws(ConductorError) in
            result = try await demo(in: directory)
        }
        guard let result else { throw ExitCode(ConductorExitCode.gitFailure.rawValue) }
        Terminal.standardOutput(dir == nil
            ? "\nThe demo repository was removed; keep one with --dir <path>."
            : "\nThe demo repository is at \(directory). Try:\n  cd \(directory) && git log --notes=conductor \(result.taskBranch)")
        return result
    }

    private func demo(in directory: String) async throws(ConductorError) -> RunOutcome {
        // The demo repository stands alone, whatever repository the command was started in.
        let environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GIT_") }
        let scriptPath = try DemoProject.create(at: directory, clock: SystemClock())
        let repository = try ConductorRepository.open(at: directory, environment: environment)
        _ = try RepositorySetup.run(repository)
        Self.heading("git conductor run \"\(DemoProject.prompt)\" --verify \"\(DemoProject.verifyCommand)\"")
        let engine = RunEngine(repository: repository, report: RunPrinter(json: false).print)
        let outcome = try await engine.start(RunRequest(
            prompt: DemoProject.prompt, provider: .script(path: scriptPath), mode: .fast,
            verifyCommands: [VerifyCommand(DemoProject.verifyCommand, timeoutMilliseconds: 30_000)]
        ))
        RunPrinter(json: false).finish(outcome)
        try Self.showRecords(of: outcome, in: repository)
        return outcome
    }

    private static func showRecords(of outcome: RunOutcome, in repository: ConductorRepository) throws(ConductorError) {
        let snapshot = try repository.requireStateSnapshot()
        let now = repository.clock.now()
        heading("git conductor log")
        let summaries = try RunCatalog(repository: repository, snapshot: snapshot).summaries()
        Terminal.standardOutput(LogCommand.table(summaries.map { LogEntry($0, status: repository.displayStatus($0), now: now) }))
        let history = try snapshot.history(of: outcome.run)
        heading("git conductor show \(outcome.run)")
        Terminal.standardOutput(ShowCommand.render(history, now: now))
        heading("git log --notes=conductor \(outcome.taskBranch)")
        Terminal.standardOutput(try notes(on: outcome.taskBranch, base: history.record?.baseCommit, in: repository))
        heading("state-machine path")
        let states = history.events.compactMap { event -> RunState? in
            if case .transition(_, let to, _, _) = event.payload { to } else { nil }
        }
        Terminal.standardOutput((["START"] + states.map(\.rawValue)).joined(separator: " -> "))
    }

    /// Each commit of the task branch above its base, newest first, with its note indented.
    private static func notes(on branch: String, base: String?, in repository: ConductorRepository) throws(ConductorError) -> String {
        try repository.taskCommits(onBranch: branch, above: base).map { commit in
            let note = (commit.note ?? "(no note)").split(separator: "\n").map { "    \($0)" }.joined(separator: "\n")
            return "\(commit.id.short) \(commit.subject)\n\(note)"
        }.joined(separator: "\n\n")
    }

    private static func heading(_ command: String) {
        Terminal.standardOutput("\n$ \(command)")
    }
}
