import ConductorTesting
import Foundation
import Testing

/// `--mode full`: the spec and then the plan wait in AWAITING_APPROVAL for `approve`, and the
/// plan is built one step at a time, each step checked off with the commit that did it.
@Suite("git conductor run --mode full")
struct FullModeTests {
    static let plan = #"{"spec": "add.sh adds, and says how to use it.", "steps": [{"description": "Make add.sh add", "files": ["add.sh"]}, {"description": "Document add.sh", "files": ["USAGE.md"]}]}"#
    static let answers = [plan, RunCommandTests.edit("-", "+"), "USAGE.md\n```\nsh add.sh 2 3\n```\n<promise>DONE</promise>\n"]

    static func arguments(_ script: String, _ extra: [String] = []) -> [String] {
        ["run", "Fix add.sh so that it adds", "--script", script, "--verify", "sh test.sh", "--mode", "full"] + extra
    }

    /// Polls `log --json` until the run's status is `status`; fails after 20 s.
    static func waitFor(_ status: String, in sandbox: Sandbox, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            let log = try jsonArray(sandbox.conductorOK("log", "--json").stdout)
            if let run = log.first, run["status"] as? String == status, let id = run["id"] as? String { return id }
            usleep(100_000)
        }
        Issue.record("the run never became \(status)", sourceLocation: sourceLocation)
        throw CancellationError()
    }

    /// Waits for the plan to be put up for approval (plan.md is written first), then approves it.
    static func approvePlan(of id: String, in sandbox: Sandbox) throws {
        let deadline = Date().addingTimeInterval(20)
        while try sandbox.gitResult("cat-file", "-e", "\(stateBranch):\(runDirectory(id))/plan.md").status != 0, Date() < deadline {
            usleep(100_000)
        }
        _ = try waitFor("awaiting_approval", in: sandbox)
        try sandbox.conductorOK("approve", id)
    }

    static func transitions(_ sandbox: Sandbox, _ id: String) throws -> [String] {
        let files = try sandbox.filesOnBranch(under: runDirectory(id) + "/events/")
        return try files.keys.sorted().map { try jsonObject(files[$0]!) }
            .filter { $0["kind"] as? String == "transition" }
            .map { "\($0["from"] as? String ?? "START")->\($0["to"] as? String ?? "")" }
    }

    @Test("waits for approval of the spec, then of the plan, then builds step by step")
    func approvals() throws {
        let (sandbox, script) = try RunCommandTests.project(answers: Self.answers)
        let child = try ChildProcess(Tool.conductor, Self.arguments(script), in: sandbox.path, environment: sandbox.environment)
        let id = try Self.waitFor("awaiting_approval", in: sandbox)
        #expect(try sandbox.fileOnBranch(runDirectory(id) + "/spec.md").contains("add.sh adds"))
        #expect(try sandbox.gitResult("cat-file", "-e", "\(stateBranch):\(runDirectory(id))/plan.md").status != 0, "no plan before the spec is approved")
        #expect(try RunCommandTests.taskBranch(sandbox).isEmpty, "nothing is built before approval")
        try sandbox.conductorOK("approve", id)
        try Self.approvePlan(of: id, in: sandbox)
        let result = try child.wait()
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("waiting for approval of the spec") && result.stdout.contains("waiting for approval of the plan"), "\(result)")

        let path = try Self.transitions(sandbox, id)
        #expect(path == [
            "START->PRECHECK", "PRECHECK->PLANNING", "PLANNING->AWAITING_APPROVAL", "AWAITING_APPROVAL->PLANNING",
            "PLANNING->AWAITING_APPROVAL", "AWAITING_APPROVAL->BUILDING", "BUILDING->VERIFYING", "VERIFYING->BUILDING",
            "BUILDING->VERIFYING", "VERIFYING->COMPLETE",
        ], "\(path)")
        let branch = try RunCommandTests.taskBranch(sandbox)
        let commits = try lines(sandbox.git("log", "--format=%h", "main..\(branch)").output)
        #expect(commits.count == 2)
        let plan = try sandbox.fileOnBranch(runDirectory(id) + "/plan.md")
        #expect(plan.contains("- [x] \(commits[1]) Make add.sh add") && plan.contains("- [x] \(commits[0]) Document add.sh"), "\(plan)")
        let second = try sandbox.fileOnBranch(runDirectory(id) + "/iterations/2/request.json")
        #expect(second.contains("step 2 of 2"), "\(second)")
        _ = try sandbox.fixture.fsck()
    }

    @Test("--yes approves both itself and says so in the run's events")
    func autoApprove() throws {
        let (sandbox, script) = try RunCommandTests.project(answers: Self.answers)
        let result = try sandbox.run(Tool.conductor, Self.arguments(script, ["--yes"]))
        #expect(result.status == 0, "\(result)")
        let id = try #require(try jsonArray(sandbox.conductorOK("log", "--json").stdout).first?["id"] as? String)
        let events = try sandbox.filesOnBranch(under: runDirectory(id) + "/events/").values.joined()
        #expect(events.contains("the spec, by --yes") && events.contains("the plan, by --yes"), "\(events)")
    }

    @Test("a cancel while waiting ends the run CANCELLED without building")
    func cancelWhileWaiting() throws {
        let (sandbox, script) = try RunCommandTests.project(answers: Self.answers)
        let child = try ChildProcess(Tool.conductor, Self.arguments(script), in: sandbox.path, environment: sandbox.environment)
        let id = try Self.waitFor("awaiting_approval", in: sandbox)
        try sandbox.conductorOK("cancel", id)
        let result = try child.wait()
        #expect(result.status == 14, "\(result)")
        #expect(try Self.transitions(sandbox, id).last == "AWAITING_APPROVAL->CANCELLED")
        #expect(try RunCommandTests.taskBranch(sandbox).isEmpty)
    }

    @Test("killed while awaiting approval, the run resumes, waits again, and completes once approved")
    func crashWhileWaiting() throws {
        let (sandbox, script) = try RunCommandTests.project(answers: Self.answers)
        let crashed = try sandbox.run(Tool.conductor, Self.arguments(script), environment: ["CONDUCTOR_CRASH_AT": "AWAITING_APPROVAL"])
        #expect(crashed.terminatedBySignal, "\(crashed)")
        let id = try Self.waitFor("interrupted", in: sandbox)
        try sandbox.conductorOK("approve", id)
        let child = try ChildProcess(Tool.conductor, ["resume", id], in: sandbox.path, environment: sandbox.environment)
        try Self.approvePlan(of: id, in: sandbox)
        let result = try child.wait()
        #expect(result.status == 0, "\(result)")
        let events = try sandbox.filesOnBranch(under: runDirectory(id) + "/events/").values
        #expect(events.filter { $0.contains(#""kind":"usage""#) }.count == 3, "the plan was not asked for again")
        _ = try sandbox.fixture.fsck()
    }
}
