import ConductorTesting
import Foundation
import Testing

/// More of `git conductor run` end to end: answers the engine must refuse, a verify command
/// that hangs, and two runs at once in one repository.
@Suite("git conductor run: guards and concurrency")
struct RunGuardsTests {
    static func run(_ sandbox: Sandbox, script: String, verify: [String] = ["sh test.sh"], _ extra: [String] = []) throws -> ProcessResult {
        try sandbox.run(Tool.conductor, ["run", "Fix add.sh so that it adds", "--script", script, "--mode", "fast"] + verify.flatMap { ["--verify", $0] } + extra)
    }

    static func requestOfIteration(_ iteration: Int, in sandbox: Sandbox) throws -> String {
        let id = try #require(try jsonArray(sandbox.conductorOK("log", "--json").stdout).first?["id"] as? String)
        return try sandbox.git("show", "orchestrator-state:\(runDirectory(id))/iterations/\(iteration)/request.json").stdout
    }

    @Test("an answer without edits is fed back and the next answer is used")
    func noEdits() throws {
        let (sandbox, script) = try RunCommandTests.project(answers: ["I think the code is fine as it is.", RunCommandTests.edit("-", "+", promise: true)])
        let result = try Self.run(sandbox, script: script)
        #expect(result.status == 0, "\(result)")
        #expect(try Self.requestOfIteration(2, in: sandbox).contains("not applied"))
    }

    @Test("an oversized answer is refused by the diff guard and never written")
    func oversized() throws {
        let huge = "big.txt\n```\n" + (1...1500).map { "line \($0)" }.joined(separator: "\n") + "\n```\n"
        let (sandbox, script) = try RunCommandTests.project(answers: [huge, RunCommandTests.edit("-", "+", promise: true)])
        let result = try Self.run(sandbox, script: script)
        #expect(result.status == 0, "\(result)")
        #expect(try Self.requestOfIteration(2, in: sandbox).contains("not applied"))
        let branch = try RunCommandTests.taskBranch(sandbox)
        #expect(try sandbox.gitResult("cat-file", "-e", "\(branch):big.txt").status != 0, "big.txt must never be committed")
    }

    @Test("a hung verify command is killed at its timeout with nothing of it left running")
    func hungVerify() throws {
        let marker = "conductor-hang-\(UUID().uuidString.prefix(8))"
        let (sandbox, script) = try RunCommandTests.project(answers: [RunCommandTests.edit("-", "+", promise: true)])
        let started = Date()
        let result = try Self.run(sandbox, script: script, verify: ["sleep 1000 # \(marker)"], ["--verify-timeout", "1"])
        #expect(result.status == 10, "\(result)")
        #expect(Date().timeIntervalSince(started) < 30, "the timeout plus grace period bounds the run")
        #expect(result.stdout.contains("timeout"), "\(result)")
        let leftovers = try runProcess("sh", ["-c", "ps -eo args | grep '\(marker)' | grep -v grep || true"], in: sandbox.path)
        #expect(leftovers.stdout.isEmpty, "still running: \(leftovers.stdout)")
    }

    @Test("two runs at once in one repository both complete on their own branches")
    func parallelRuns() throws {
        let (sandbox, script) = try RunCommandTests.project(answers: [RunCommandTests.edit("-", "+", promise: true)])
        let path = BuiltProducts.path("git-conductor")
        let arguments = { (prompt: String) in ["run", prompt, "--script", script, "--mode", "fast", "--verify", "sh test.sh"] }
        let first = try ChildProcess(path, arguments("Fix add.sh first"), in: sandbox.path, environment: sandbox.environment)
        let second = try ChildProcess(path, arguments("Fix add.sh second"), in: sandbox.path, environment: sandbox.environment)
        let results = try [first.wait(), second.wait()]
        for result in results { #expect(result.status == 0, "\(result)") }
        let log = try jsonArray(sandbox.conductorOK("log", "--json").stdout)
        #expect(log.count == 2 && log.allSatisfy { $0["status"] as? String == "complete" }, "\(log)")
        #expect(try lines(RunCommandTests.taskBranch(sandbox)).count == 2)
        _ = try sandbox.fixture.fsck()
    }
}

extension RunGuardsTests {
    @Test("an edit to a protected path is refused, fed back and never written")
    func protectedPath() throws {
        let (sandbox, script) = try RunCommandTests.project(answers: ["test.sh\n```\necho ok\n```\n", RunCommandTests.edit("-", "+", promise: true)])
        let result = try Self.run(sandbox, script: script, ["--protect", "test.sh"])
        #expect(result.status == 0, "\(result)")
        let feedback = try Self.requestOfIteration(2, in: sandbox)
        #expect(feedback.contains("protected") && feedback.contains("test.sh"), "\(feedback)")
        let branch = try RunCommandTests.taskBranch(sandbox)
        #expect(try sandbox.git("show", "\(branch):test.sh").stdout == RunCommandTests.test)
    }
}
