import ConductorTesting
import Foundation
import Testing

/// `git conductor replay`: a new run answered with a recorded run's responses reaches the
/// same outcome and the same task-branch tree, without the script it was first run with.
@Suite("git conductor replay")
struct ReplayTests {
    static func tree(of branch: String, in sandbox: Sandbox) throws -> String {
        try sandbox.git("rev-parse", "\(branch)^{tree}").output
    }

    @Test("replaying a fail-repair-pass run reproduces its outcome and tree, and says so")
    func reproducesCompletedRun() throws {
        let (sandbox, script) = try RunCommandTests.project(answers: ResumeTests.answers)
        #expect(try ResumeTests.start(sandbox, script: script, crashAt: nil).status == 0)
        let original = try #require(try jsonArray(sandbox.conductorOK("log", "--json").stdout).first?["id"] as? String)
        let originalTree = try Self.tree(of: RunCommandTests.taskBranch(sandbox), in: sandbox)
        // The replay needs nothing but the state branch.
        try FileManager.default.removeItem(atPath: script)

        let replay = try sandbox.conductor("replay", original, "--json")
        #expect(replay.status == 0, "\(replay)")
        let verdict = try jsonObject(try #require(replay.stdout.split(separator: "\n").last.map(String.init)))
        #expect(verdict["event"] as? String == "replay" && verdict["reproduced"] as? String == "true", "\(verdict)")
        #expect(verdict["replay_tree"] as? String == originalTree && verdict["original_tree"] as? String == originalTree)

        let log = try jsonArray(sandbox.conductorOK("log", "--json").stdout)
        #expect(log.count == 2 && log.allSatisfy { $0["status"] as? String == "complete" && $0["iterations"] as? Int == 2 }, "\(log)")
        let replayID = try #require(log.first { $0["id"] as? String != original }?["id"] as? String)
        let run = try jsonObject(sandbox.fileOnBranch(runDirectory(replayID) + "/run.json"))
        #expect(run["provider"] as? String == "replay", "\(run)")
        let branches = try lines(RunCommandTests.taskBranch(sandbox))
        #expect(branches.count == 2)
        #expect(Set(try branches.map { try Self.tree(of: $0, in: sandbox) }) == [originalTree])
        _ = try sandbox.fixture.fsck()
    }

    @Test("replaying a run stopped as a loop reproduces the loop (exit 12)")
    func reproducesLoop() throws {
        let bad = RunCommandTests.edit("-", "*"), revert = RunCommandTests.edit("*", "-")
        let (sandbox, script) = try RunCommandTests.project(answers: [bad, revert, bad, revert, bad, revert, bad])
        #expect(try RunCommandTests.run(sandbox, script: script, ["--max-iterations", "8"]).status == 12)
        let original = try #require(try jsonArray(sandbox.conductorOK("log", "--json").stdout).first?["id"] as? String)
        let replay = try sandbox.conductor("replay", original)
        #expect(replay.status == 12, "\(replay)")
        #expect(replay.stdout.contains("reproduced run \(original)"), "\(replay)")
    }

    @Test("a replay that ends otherwise says it was not reproduced, and runs out of recorded answers cleanly")
    func notReproduced() throws {
        let (sandbox, script) = try RunCommandTests.project(answers: ResumeTests.answers)
        // Verification also depends on a file outside the repository, which changes after the recording.
        let flag = sandbox.scratch.appending("broken")
        let verify = ["--verify", "sh test.sh && test ! -e \(flag)"]
        let first = try sandbox.run(Tool.conductor, ["run", "Fix add.sh so that it adds", "--script", script] + verify)
        #expect(first.status == 0, "\(first)")
        let original = try #require(try jsonArray(sandbox.conductorOK("log", "--json").stdout).first?["id"] as? String)
        try "".write(toFile: flag, atomically: true, encoding: .utf8)
        let replay = try sandbox.conductor("replay", original)
        #expect(replay.status == 10, "\(replay)")
        #expect(replay.stdout.contains("recorded only 3 responses") && replay.stdout.contains("not reproduced"), "\(replay)")
        _ = try sandbox.fixture.fsck()
    }
}
