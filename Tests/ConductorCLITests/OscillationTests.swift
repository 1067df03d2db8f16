import ConductorTesting
import Foundation
import Testing

/// The loop guardian, end to end: a model that keeps alternating between two wrong answers
/// is warned once (with a higher temperature) and then stopped as a loop, long before the
/// iteration budget runs out.
@Suite("git conductor run: A/B oscillation")
struct OscillationTests {
    /// A whole-file answer writing add.sh with `operation` between the arguments.
    static func addScript(_ operation: String) -> String {
        "add.sh\n```sh\n#!/bin/sh\necho $(( $1 \(operation) $2 ))\n```\n"
    }

    /// Two wrong answers, both different from the base (`-`), so each one really changes
    /// the file: A multiplies, B divides.
    static let answerA = addScript("*")
    static let answerB = addScript("/")
    static let alternating = Array(repeating: [answerA, answerB], count: 5).flatMap(\.self)

    /// The recorded request of one iteration, parsed.
    static func request(_ sandbox: Sandbox, run id: String, iteration: Int) throws -> (text: String, temperature: Double?) {
        let text = try sandbox.fileOnBranch("\(runDirectory(id))/iterations/\(iteration)/request.json")
        return (text, try jsonObject(text)["temperature"] as? Double)
    }

    /// With a deterministic test, A fails the same way every time, so the third iteration is
    /// an exact repeat of the first: the guardian names it a repeated attempt (it checks that
    /// before the A, B, A, B pattern, which needs four iterations), escalates, and stops the
    /// run when the fourth repeats the second.
    @Test("A, B, A, B… with the same failures: escalated once after iteration 3, stopped at 4 as a loop (exit 12)")
    func alternatingAnswers() throws {
        let (sandbox, script) = try RunCommandTests.project(answers: Self.alternating)
        let result = try RunCommandTests.run(sandbox, script: script, ["--max-iterations", "10"])
        #expect(result.status == 12, "\(result)")
        let output = result.stdout
        let warning = try #require(output.range(of: "warning: loop guardian: repeated attempt; escalating"), "\(result)")
        let failed = try #require(output.range(of: "-> FAILED: loop detected: repeated attempt again after escalation (iteration 4)"), "\(result)")
        #expect(warning.upperBound <= failed.lowerBound, "the warning comes before the failure")
        #expect(output.contains("FAILED (loop detected: repeated attempt again after escalation (iteration 4)) after 4 iterations"), "\(result)")

        let log = try jsonArray(sandbox.conductorOK("log", "--json").stdout)
        #expect(log.first?["status"] as? String == "failed" && log.first?["failure_reason"] as? String == "loop detected", "\(log)")
        let iterations = try #require(log.first?["iterations"] as? Int)
        #expect(iterations == 4 && iterations < 10, "\(log)")
        let id = try #require(log.first?["id"] as? String)

        for before in 1...3 {
            let (text, temperature) = try Self.request(sandbox, run: id, iteration: before)
            #expect(!text.contains("# Warning"), "iteration \(before) has no warning yet")
            #expect(temperature.map { abs($0 - 0.2) < 1e-9 } == true, "iteration \(before) at the base temperature: \(String(describing: temperature))")
        }
        let (escalated, temperature) = try Self.request(sandbox, run: id, iteration: 4)
        #expect(escalated.contains("# Warning") && escalated.contains("You made the same change as in an earlier attempt"), "\(escalated)")
        #expect(escalated.contains("explain why the last fix did not work"), "\(escalated)")
        #expect(temperature.map { abs($0 - 0.5) < 1e-9 } == true, "the temperature rises by 0.3: \(String(describing: temperature))")
        #expect(try sandbox.gitResult("cat-file", "-e", "\(stateBranch):\(runDirectory(id))/iterations/5/request.json").status != 0, "no fifth iteration")

        // The task branch holds the four attempts: A, B, A, B.
        let branch = try RunCommandTests.taskBranch(sandbox)
        #expect(try sandbox.git("rev-list", "--count", "main..\(branch)").output == "4")
        #expect(try sandbox.git("show", "\(branch):add.sh").output == "#!/bin/sh\necho $(( $1 / $2 ))")
        _ = try sandbox.fixture.fsck()
    }

    /// When each failure reads differently (here the verify command names its attempt, as
    /// flaky or time-dependent output would), no iteration repeats an earlier one exactly,
    /// and it is the A, B, A, B pattern of the changes that the guardian catches.
    @Test("A, B, A, B… whose failures differ each time: the oscillation is escalated after iteration 4 and stopped at 5 (exit 12)")
    func oscillationWithChangingFailures() throws {
        let (sandbox, script) = try RunCommandTests.project(answers: Self.alternating)
        // Outside the repository, so the counter is never part of a commit.
        let counter = sandbox.scratch.appending("verify-count")
        let words = sandbox.scratch.appending("words")
        try "alpha\nbravo\ncharlie\ndelta\necho\nfoxtrot\ngolf\nhotel\nindia\njuliet\nkilo\nlima\nmike\nnovember\noscar\npapa\nquebec\nromeo\nsierra\ntango\n"
            .write(toFile: words, atomically: true, encoding: .utf8)
        let check = sandbox.scratch.appending("check.sh")
        try #"""
            n=$(( $(cat \#(counter) 2>/dev/null || echo 0) + 1 ))
            echo $n > \#(counter)
            [ "$(sh add.sh 2 3)" = 5 ] || { echo "FAIL: add is wrong in attempt $(sed -n ${n}p \#(words))"; exit 1; }
            echo "1 passed, 0 failed"

            """#.write(toFile: check, atomically: true, encoding: .utf8)
        let result = try sandbox.run(Tool.conductor, [
            "run", "Fix add.sh so that it adds", "--script", script, "--verify", "sh \(check)", "--mode", "fast", "--max-iterations", "10",
        ])
        #expect(result.status == 12, "\(result)")
        let output = result.stdout
        let warning = try #require(output.range(of: "warning: loop guardian: oscillation; escalating"), "\(result)")
        let failed = try #require(output.range(of: "-> FAILED: loop detected: oscillation again after escalation (iteration 5)"), "\(result)")
        #expect(warning.upperBound <= failed.lowerBound, "the warning comes before the failure")
        #expect(!output.contains("repeated attempt"), "\(result)")

        let log = try jsonArray(sandbox.conductorOK("log", "--json").stdout)
        #expect(log.first?["status"] as? String == "failed" && log.first?["failure_reason"] as? String == "loop detected", "\(log)")
        #expect(log.first?["iterations"] as? Int == 5, "\(log)")
        let id = try #require(log.first?["id"] as? String)
        let (fourth, before) = try Self.request(sandbox, run: id, iteration: 4)
        #expect(!fourth.contains("# Warning"))
        #expect(before.map { abs($0 - 0.2) < 1e-9 } == true, "\(String(describing: before))")
        let (escalated, temperature) = try Self.request(sandbox, run: id, iteration: 5)
        #expect(escalated.contains("# Warning") && escalated.contains("Your last attempts alternate between two changes that both fail"), "\(escalated)")
        #expect(temperature.map { abs($0 - 0.5) < 1e-9 } == true, "\(String(describing: temperature))")
        _ = try sandbox.fixture.fsck()
    }
}
