import ConductorDomain
import ConductorKit
import Foundation

/// The run engine's own cost (issue budget: < 50 ms per iteration, provider and verify time
/// excluded) and the demo's wall time.
///
/// Each sample is a whole one-iteration run in-process, as `git conductor run` makes it:
/// record the run, precheck, create the task branch and worktree, ask the script provider,
/// apply its edit, commit with a note, verify with `true`, complete, remove the worktree.
/// The median time of verifying `true` alone is subtracted, so what remains is the engine.
struct EngineBenchmark {
    let tools: Tools
    let scratch: ScratchDirectory
    let samples: Int

    func section() async throws -> Section {
        let (runs, verify) = try await measureRuns()
        let demo = try measureDemo()
        var section = Section(title: "Run engine (script provider, `true` as the verify command)")
        section.add("engine.run.median", "one-iteration run, in-process: median of \(runs.count)", Units.milliseconds(runs.median), .milliseconds)
        section.add("engine.verify.median", "of which verifying `true`: median", Units.milliseconds(verify.median), .milliseconds)
        section.add("engine.overhead.median", "engine overhead per iteration", Units.milliseconds(max(0, runs.median - verify.median)), .milliseconds, target: .below(50))
        section.add("engine.demo.median", "git conductor demo, whole process: median of \(demo.count)", Units.milliseconds(demo.median), .milliseconds)
        return section
    }

    private func measureRuns() async throws -> (runs: Samples, verify: Samples) {
        let directory = scratch.path + "/engine"
        let script = try DemoProject.create(at: directory, clock: SystemClock())
        // Every run starts its own provider from the script, so each gets this one answer.
        try "responses:\n  - text: |\n      counter.txt\n      ```\n      1\n      ```\n      <promise>DONE</promise>\n".write(toFile: script, atomically: true, encoding: .utf8)
        let repository = try ConductorRepository.open(at: directory, environment: tools.environment)
        let engine = RunEngine(repository: repository)
        let verifier = ProcessVerifier(environment: tools.environment)
        var runs = Samples(), verify = Samples()
        for index in 0...samples {
            let start = Monotonic.now()
            let outcome = try await engine.start(RunRequest(prompt: "Count to \(index)", provider: .script(path: script), mode: .fast, verifyCommands: [VerifyCommand("true")]))
            let elapsed = Monotonic.now() - start
            guard outcome.state == .complete else { throw BenchError("engine run \(index) ended \(outcome.state): \(outcome.detail ?? "")") }
            let verifyTime = Monotonic.time { verifier.verify([VerifyCommand("true")], in: directory) }.nanoseconds
            guard index > 0 else { continue }  // the first run warms caches
            runs.add(elapsed)
            verify.add(verifyTime)
        }
        return (runs, verify)
    }

    private func measureDemo() throws -> Samples {
        var wall = Samples()
        for _ in 0..<max(3, samples / 4) {
            let result = try ChildProcess(
                executable: tools.conductor, arguments: ["demo"], directory: scratch.path, environment: tools.environment, stdout: .discard
            ).run()
            guard result.status.succeeded else { throw BenchError("git conductor demo failed: \(result.status)") }
            wall.add(result.wallNanoseconds)
        }
        return wall
    }
}
