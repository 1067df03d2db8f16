import ConductorTesting
import Foundation
import Testing

/// steer, pause, cancel and approve. A run in flight is steered from its own verify command,
/// a real second process, exactly as a user in another terminal would.
@Suite("git conductor steer, pause, cancel")
struct SteeringTests {
    /// A verify command that sends `arguments` to the newest run, then succeeds.
    static func sending(_ arguments: String) -> String {
        #"sh -c 'git-conductor \#(arguments.replacingOccurrences(of: "RUN", with: "\"$(git-conductor log --oneline --limit 1 | cut -d\" \" -f1)\""))'"#
    }

    static func run(_ sandbox: Sandbox, script: String, verify: [String]) throws -> ProcessResult {
        let path = BuiltProducts.directory + ":" + (sandbox.environment["PATH"] ?? "/usr/bin:/bin")
        return try sandbox.run(
            Tool.conductor,
            ["run", "Fix add.sh so that it adds", "--script", script, "--mode", "fast"] + verify.flatMap { ["--verify", $0] },
            environment: ["PATH": path]
        )
    }

    @Test("steer text reaches the next prompt as user guidance and shows in the timeline")
    func steer() throws {
        let (sandbox, script) = try RunCommandTests.project(answers: [RunCommandTests.edit("-", "*"), RunCommandTests.edit("*", "+", promise: true)])
        let result = try Self.run(sandbox, script: script, verify: [Self.sending(#"steer RUN "Use plus, not times""#), "sh test.sh"])
        #expect(result.status == 0, "\(result)")
        let id = try #require(try jsonArray(sandbox.conductorOK("log", "--json").stdout).first?["id"] as? String)
        let request = try sandbox.git("show", "orchestrator-state:\(runDirectory(id))/iterations/2/request.json").stdout
        #expect(request.contains("# User guidance") && request.contains("Use plus, not times"), "\(request)")
        #expect(try sandbox.conductorOK("show", id).stdout.contains("user guidance: Use plus, not times"))
    }

    @Test("cancel ends the run at its next step (exit 14) and keeps its worktree")
    func cancel() throws {
        let (sandbox, script) = try RunCommandTests.project(answers: [RunCommandTests.edit("-", "*"), RunCommandTests.edit("*", "+", promise: true)])
        let result = try Self.run(sandbox, script: script, verify: [Self.sending("cancel RUN"), "sh test.sh"])
        #expect(result.status == 14, "\(result)")
        let log = try jsonArray(sandbox.conductorOK("log", "--json").stdout)
        #expect(log.first?["status"] as? String == "cancelled" && log.first?["iterations"] as? Int == 1, "\(log)")
        #expect(try sandbox.git("worktree", "list", "--porcelain").output.contains(".git/conductor/worktrees/"))
        _ = try sandbox.fixture.fsck()
    }

    @Test("pause stops the run as paused")
    func pause() throws {
        let (sandbox, script) = try RunCommandTests.project(answers: [RunCommandTests.edit("-", "*"), RunCommandTests.edit("*", "+", promise: true)])
        let result = try Self.run(sandbox, script: script, verify: [Self.sending("pause RUN"), "sh test.sh"])
        #expect(result.status == 14, "\(result)")
        #expect(try jsonArray(sandbox.conductorOK("log", "--json").stdout).first?["status"] as? String == "paused")
    }

    @Test("a finished run cannot be steered (exit 13), an unknown one is not found (exit 4), nothing is written")
    func refused() throws {
        let (sandbox, script) = try RunCommandTests.project(answers: [RunCommandTests.edit("-", "+", promise: true)])
        #expect(try Self.run(sandbox, script: script, verify: ["sh test.sh"]).status == 0)
        let id = try #require(try jsonArray(sandbox.conductorOK("log", "--json").stdout).first?["id"] as? String)
        let tip = try sandbox.stateTip()
        for command in [["steer", id, "more"], ["pause", id], ["cancel", id], ["approve", id]] {
            let result = try sandbox.run(Tool.conductor, command)
            #expect(result.status == 13 && result.stderr.contains("already ended"), "\(command): \(result)")
        }
        #expect(try sandbox.conductor("cancel", "01zzzzzzzz").status == 4)
        #expect(try sandbox.conductor("steer", id, "   ").status == 64)
        #expect(try sandbox.stateTip() == tip)
    }
}
