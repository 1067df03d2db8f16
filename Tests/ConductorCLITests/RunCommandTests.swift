import ConductorTesting
import Foundation
import Testing

/// `git conductor run` end to end with the script provider, in real repositories, with a real
/// verify command: a tiny shell project whose test fails until add.sh adds.
@Suite("git conductor run")
struct RunCommandTests {
    static let test = """
        #!/bin/sh
        [ "$(sh add.sh 2 3)" = 5 ] || { echo "FAIL: add 2 3 gave $(sh add.sh 2 3), expected 5"; exit 1; }
        echo "1 passed, 0 failed"

        """

    /// A SEARCH/REPLACE answer turning `from` into `to` in add.sh.
    static func edit(_ from: String, _ to: String, promise: Bool = false) -> String {
        "add.sh\n```sh\n<<<<<<< SEARCH\necho $(( $1 \(from) $2 ))\n=======\necho $(( $1 \(to) $2 ))\n>>>>>>> REPLACE\n```\n" + (promise ? "<promise>DONE</promise>\n" : "")
    }

    /// A repository with the broken project, and a script file holding `answers` in order.
    static func project(answers: [String]) throws -> (Sandbox, String) {
        let sandbox = try Sandbox()
        _ = try sandbox.fixture.commit("Add the project", files: ["add.sh": "#!/bin/sh\necho $(( $1 - $2 ))\n", "test.sh": test])
        let script = sandbox.scratch.appending("answers.json")
        let responses = answers.map { ["text": $0, "tokens_in": 100, "tokens_out": 20, "cost_usd": 0.001] as [String: Any] }
        let data = try JSONSerialization.data(withJSONObject: ["model": "test-model", "responses": responses])
        try data.write(to: URL(fileURLWithPath: script))
        return (sandbox, script)
    }

    static func run(_ sandbox: Sandbox, script: String, _ extra: [String] = []) throws -> ProcessResult {
        try sandbox.run(Tool.conductor, ["run", "Fix add.sh so that it adds", "--script", script, "--verify", "sh test.sh", "--mode", "fast"] + extra)
    }

    static func taskBranch(_ sandbox: Sandbox) throws -> String {
        try sandbox.git("for-each-ref", "--format=%(refname:short)", "refs/heads/conductor/").output
    }

    @Test("fail, repair, pass: two commits with trailers and notes, checkout untouched, worktree removed")
    func failRepairPass() throws {
        let (sandbox, script) = try Self.project(answers: [Self.edit("-", "*"), Self.edit("*", "+", promise: true)])
        let before = try sandbox.fixture.fingerprint()
        let result = try Self.run(sandbox, script: script)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("VERIFYING -> REPAIRING") && result.stdout.contains("VERIFYING -> COMPLETE"), "\(result)")
        #expect(try sandbox.fixture.fingerprint() == before)
        let branch = try Self.taskBranch(sandbox)
        #expect(branch.hasPrefix("conductor/fix-add-sh"))
        let bodies = try sandbox.git("log", "--format=%B%x00", "main..\(branch)").stdout.split(separator: "\0").filter { !$0.allSatisfy(\.isWhitespace) }
        #expect(bodies.count == 2)
        #expect(bodies.allSatisfy { $0.contains("Conductor-Run: ") && $0.contains("Conductor-Iteration: ") })
        #expect(try sandbox.git("show", "\(branch):add.sh").output == "#!/bin/sh\necho $(( $1 + $2 ))")
        let note = try sandbox.git("notes", "--ref=conductor", "show", branch).output
        #expect(note.contains("Iteration: 2") && note.contains("BIST: pass") && note.contains("Model: test-model"), "\(note)")
        let first = try sandbox.git("notes", "--ref=conductor", "show", "\(branch)~1").output
        #expect(first.contains("BIST: fail"), "\(first)")
        #expect(try sandbox.git("worktree", "list", "--porcelain").output.components(separatedBy: "worktree ").count == 2)
        let log = try jsonArray(sandbox.conductorOK("log", "--json").stdout)
        #expect(log.first?["status"] as? String == "complete" && log.first?["iterations"] as? Int == 2, "\(log)")
        let id = try #require(log.first?["id"] as? String)
        for file in ["iterations/1/request.json", "iterations/1/response.md", "iterations/1/bist.json", "iterations/2/bist.json"] {
            #expect(try sandbox.gitResult("cat-file", "-e", "orchestrator-state:\(runDirectory(id))/\(file)").status == 0, "\(file)")
        }
        _ = try sandbox.fixture.fsck()
    }

    @Test("the same bad answer again is stopped as a loop (exit 12), and the worktree is kept")
    func loopDetected() throws {
        let bad = Self.edit("-", "*")
        let revert = Self.edit("*", "-")
        let (sandbox, script) = try Self.project(answers: [bad, revert, bad, revert, bad, revert, bad])
        // Fast mode stops after 3 iterations by default, before a second detection.
        let result = try Self.run(sandbox, script: script, ["--max-iterations", "8"])
        #expect(result.status == 12, "\(result)")
        #expect(result.stdout.contains("loop detected"), "\(result)")
        let log = try jsonArray(sandbox.conductorOK("log", "--json").stdout)
        #expect(log.first?["status"] as? String == "failed" && log.first?["failure_reason"] as? String == "loop detected", "\(log)")
        #expect(try sandbox.git("worktree", "list", "--porcelain").output.contains(".git/conductor/worktrees/"))
        _ = try sandbox.fixture.fsck()
    }

    @Test("a path-traversal edit and a .git write are rejected, fed back, never written")
    func rejectedEdits() throws {
        let escape = "../outside.txt\n```\npwned\n```\n"
        let gitWrite = ".git/config\n```\n[core]\n```\n"
        let (sandbox, script) = try Self.project(answers: [escape, gitWrite, Self.edit("-", "+", promise: true)])
        let result = try Self.run(sandbox, script: script)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("edits rejected"), "\(result)")
        #expect(!FileManager.default.fileExists(atPath: sandbox.path + "/../outside.txt"))
        let log = try jsonArray(sandbox.conductorOK("log", "--json").stdout)
        let id = try #require(log.first?["id"] as? String)
        let request = try sandbox.git("show", "orchestrator-state:\(runDirectory(id))/iterations/2/request.json").stdout
        #expect(request.contains("not applied"), "the rejection is fed back to the model")
        #expect(try sandbox.git("config", "--get", "core.bare").output == "false")
    }

    @Test("a verify command that does not exist fails precheck (exit 11) and writes no task branch")
    func precheck() throws {
        let (sandbox, script) = try Self.project(answers: [Self.edit("-", "+")])
        let result = try sandbox.run(Tool.conductor, ["run", "Fix it", "--script", script, "--verify", "no-such-tool --check", "--mode", "fast"])
        #expect(result.status == 11, "\(result)")
        #expect(result.stdout.contains("no-such-tool"), "\(result)")
        #expect(try Self.taskBranch(sandbox).isEmpty)
        let log = try jsonArray(sandbox.conductorOK("log", "--json").stdout)
        #expect(log.first?["status"] as? String == "failed" && log.first?["failure_reason"] as? String == "precheck", "\(log)")
    }

    @Test("credentials in the environment never reach verify commands or the state branch")
    func secretsStayOut() throws {
        let (sandbox, script) = try Self.project(answers: [Self.edit("-", "+", promise: true)])
        let secret = "sk-test-\(UUID().uuidString)"
        let result = try sandbox.run(
            Tool.conductor,
            ["run", "Fix add.sh so that it adds", "--script", script, "--mode", "fast", "--verify", #"test -z "$OPENAI_API_KEY$ANTHROPIC_API_KEY""#, "--verify", "sh test.sh"],
            environment: ["OPENAI_API_KEY": secret, "ANTHROPIC_API_KEY": secret]
        )
        #expect(result.status == 0, "\(result)")
        let everything = try sandbox.git("log", "-p", "--all", "--notes=conductor").stdout
        #expect(!everything.contains(secret))
    }

    @Test("streamlined (the default): an invalid plan is refused with its problems, the next is accepted; spec.md and plan.md are recorded and the plan is checked off")
    func streamlined() throws {
        let badPlan = #"{"spec": "Make add.sh add.", "steps": [{"description": "Fix it", "files": ["../add.sh"]}]}"#
        let goodPlan = "Here is the plan:\n```json\n" + #"{"spec": "add.sh prints the sum of its arguments.", "steps": [{"description": "Use + in add.sh", "files": ["add.sh"]}]}"# + "\n```\n"
        let (sandbox, script) = try Self.project(answers: [badPlan, goodPlan, Self.edit("-", "+", promise: true)])
        let result = try sandbox.run(Tool.conductor, ["run", "Fix add.sh so that it adds", "--script", script, "--verify", "sh test.sh"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("PRECHECK -> PLANNING") && result.stdout.contains("PLANNING -> BUILDING"), "\(result)")
        #expect(result.stdout.contains("plan attempt 1 refused") && result.stdout.contains("'../add.sh'"), "\(result)")
        let log = try jsonArray(sandbox.conductorOK("log", "--json").stdout)
        #expect(log.first?["mode"] as? String == "streamlined" && log.first?["status"] as? String == "complete", "\(log)")
        let id = try #require(log.first?["id"] as? String)
        let directory = "orchestrator-state:\(runDirectory(id))"
        #expect(try sandbox.git("show", "\(directory)/spec.md").stdout.contains("add.sh prints the sum"))
        let commit = try sandbox.git("rev-parse", "--short=7", Self.taskBranch(sandbox)).output
        #expect(try sandbox.git("show", "\(directory)/plan.md").stdout.contains("- [x] \(commit) Use + in add.sh (`add.sh`)"))
        let retry = try sandbox.git("show", "\(directory)/planning/2/request.json").stdout
        #expect(retry.contains("refused") && retry.contains("../add.sh"), "the problem goes back to the model")
        let build = try sandbox.git("show", "\(directory)/iterations/1/request.json").stdout
        #expect(build.contains("Use + in add.sh"), "the plan is part of the build prompt")
    }

    @Test("a run whose process died mid-run shows as interrupted in log and show")
    func interrupted() throws {
        let (sandbox, script) = try Self.project(answers: [Self.edit("-", "+", promise: true)])
        // The verify command's parent is git-conductor itself: kill it mid-run.
        let result = try sandbox.run(Tool.conductor, ["run", "Fix it", "--script", script, "--mode", "fast", "--verify", "kill -9 $PPID"])
        #expect(result.status != 0, "\(result)")
        let log = try jsonArray(sandbox.conductorOK("log", "--json").stdout)
        #expect(log.first?["status"] as? String == "interrupted", "\(log)")
        #expect(try lines(sandbox.conductorOK("log", "--oneline", "--status", "interrupted").stdout).count == 1)
        let id = try #require(log.first?["id"] as? String)
        #expect(try sandbox.conductorOK("show", id).stdout.contains("interrupted"))
        _ = try sandbox.fixture.fsck()
    }

    @Test("without a provider configured or detected, run says how to configure one (exit 8) and records nothing")
    func noProvider() throws {
        let sandbox = try Sandbox()
        _ = try sandbox.fixture.commit("Init", files: ["a": "a\n"])
        let result = try sandbox.run(Tool.conductor, ["run", "Fix it", "--verify", "true"], environment: ["PATH": "/usr/bin:/bin"], removing: ["OPENAI_API_KEY", "ANTHROPIC_API_KEY"])
        #expect(result.status == 8, "\(result)")
        for hint in ["--provider", "--script", "conductor.yml", "docs/configuration.md", "demo"] {
            #expect(result.stderr.contains(hint), "\(hint): \(result)")
        }
        #expect(try sandbox.stateTip() == nil)
    }
}

extension RunCommandTests {
    @Test("after a run, git gc --auto packs the repository when git's own limits say so")
    func collectsGarbage() throws {
        let (sandbox, script) = try Self.project(answers: [Self.edit("-", "+", promise: true)])
        // Two packs and a limit of one: git's heuristic asks for a repack on the next gc --auto.
        try sandbox.git("repack", "-q")
        _ = try sandbox.fixture.commit("More", files: ["more.txt": "more\n"])
        try sandbox.git("repack", "-q")
        try sandbox.git("config", "gc.autoPackLimit", "1")
        try sandbox.git("config", "gc.autoDetach", "false")
        let packs = { try sandbox.git("count-objects", "-v").output.split(separator: "\n").first { $0.hasPrefix("packs: ") } }
        #expect(try packs() == "packs: 2")
        let result = try Self.run(sandbox, script: script)
        #expect(result.status == 0, "\(result)")
        #expect(try packs() == "packs: 1")
        let loose = try sandbox.git("count-objects", "-v").output.split(separator: "\n").first { $0.hasPrefix("count: ") }
        #expect(loose == "count: 0", "the run's loose objects were packed too")
        _ = try sandbox.fixture.fsck()
    }
}
