import ArgumentParser
import ConductorDomain
import ConductorKit

/// `git conductor replay <run>`: run a recorded run again from its recorded answers.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Run a recorded run again, answering with its recorded responses.",
        discussion: """
            A new run starts from the same base commit with the same task, mode and verify
            commands; instead of a model, the replay provider gives it the recorded run's
            answers in order. Its edits are applied and verified again for real, so the
            replay shows whether the outcome and the task branch's tree are reproducible.
            Approvals of a full-mode run are given automatically.

            Examples:
              $ git conductor replay 01k9x2
              $ git conductor replay 01k9x2 --json

            Exit codes as for git conductor run (docs/exit-codes.md).
            """
    )

    @Argument(help: runArgumentHelp)
    var runID: String

    @OptionGroup var output: RunOutputOptions

    func run() async throws {
        let outcome = try await RunDriver.drive(output.printer(maxIterations: nil), logging: output.logging) { (engine) async throws(ConductorError) in
            try await engine.replay(runID)
        }
        try reportingErrors { () throws(ConductorError) in
            guard let comparison = try ReplayComparison.compare(outcome, in: ConductorRepository.open()) else { return }
            print(comparison)
        }
        throw ExitCode(RunExitCode(outcome).rawValue)
    }

    private func print(_ comparison: ReplayComparison) {
        let tree = comparison.replayTree?.short ?? "none"
        if output.json {
            return Terminal.json(line: [
                "event": "replay", "original": comparison.original.rawValue, "reproduced": String(comparison.reproduced),
                "original_state": comparison.originalState?.rawValue ?? "", "original_tree": comparison.originalTree?.hex ?? "",
                "replay_state": comparison.replayState.rawValue, "replay_tree": comparison.replayTree?.hex ?? "",
            ])
        }
        if comparison.reproduced {
            Terminal.standardOutput("reproduced run \(comparison.original): the same outcome (\(comparison.replayState.rawValue)) and the same tree (\(tree))")
        } else {
            Terminal.standardOutput(
                "not reproduced: run \(comparison.original) ended \(comparison.originalState?.rawValue ?? "unknown") with tree \(comparison.originalTree?.short ?? "none"); the replay ended \(comparison.replayState.rawValue) with tree \(tree)"
            )
        }
    }
}
