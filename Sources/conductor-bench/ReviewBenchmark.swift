import ConductorDomain
import ConductorKit
import Foundation

/// What reviewers wait for (issue budgets): `git conductor pr-body` of a run of 50
/// iterations, < 100 ms as a whole process. The run is made for real by the engine with
/// the script provider: 49 answers that fail verification, then one that passes, so every
/// iteration has its request, response, BIST report, commit and note.
struct ReviewBenchmark {
    let tools: Tools
    let scratch: ScratchDirectory
    let samples: Int
    static let iterations = 50

    func section() async throws -> Section {
        let (directory, run) = try await makeRun()
        var wall = Samples()
        var peak = 0
        for index in 0...samples {
            let result = try ChildProcess(
                executable: tools.conductor, arguments: ["pr-body", run.rawValue], directory: directory,
                environment: tools.environment, stdout: index == 0 ? .capture : .discard
            ).run()
            guard result.status.succeeded else { throw BenchError("git conductor pr-body failed: \(result.status)") }
            if index == 0 {
                // An untimed check: a broken body must never pass for a fast one.
                guard result.output.contains("| \(Self.iterations) | pass |") else { throw BenchError("pr-body lacks iteration \(Self.iterations)") }
                continue
            }
            wall.add(result.wallNanoseconds)
            peak = max(peak, result.peakResidentKiB)
        }
        var section = Section(title: "git conductor pr-body of a \(Self.iterations)-iteration run (whole process, stdout to /dev/null)")
        section.add("prbody.50.wall", "pr-body: median of \(wall.count)", Units.milliseconds(wall.median), .milliseconds, target: .below(100))
        section.add("prbody.50.rss", "pr-body: peak RSS", Double(peak) / 1024, .mebibytes)
        return section
    }

    /// A repository holding one finished run of ``iterations`` iterations.
    private func makeRun() async throws -> (String, RunID) {
        let directory = scratch.path + "/review"
        let script = try DemoProject.create(at: directory, clock: SystemClock())
        let answers = (1...Self.iterations).map { number in
            "  - text: |\n      counter.txt\n      ```\n      \(number)\n      ```\n"
        }
        try ("responses:\n" + answers.joined(separator: "\n") + "\n").write(toFile: script, atomically: true, encoding: .utf8)
        let repository = try ConductorRepository.open(at: directory, environment: tools.environment)
        let outcome = try await RunEngine(repository: repository).start(RunRequest(
            prompt: "Count to \(Self.iterations)", provider: .script(path: script), mode: .fast,
            verifyCommands: [VerifyCommand("test \"$(cat counter.txt)\" = \(Self.iterations) || { echo \"counter is $(cat counter.txt)\"; exit 1; }")],
            limits: LoopLimits(maxIterations: Self.iterations + 1, sameFailureLimit: Self.iterations + 1)
        ))
        guard outcome.state == .complete, outcome.iterations == Self.iterations else {
            throw BenchError("the \(Self.iterations)-iteration run ended \(outcome.state) after \(outcome.iterations): \(outcome.detail ?? "")")
        }
        return (directory, outcome.run)
    }
}
