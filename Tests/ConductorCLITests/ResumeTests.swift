import ConductorTesting
import Foundation
import Testing

/// `git conductor resume`: a run whose process is killed right after it records each state
/// (`CONDUCTOR_CRASH_AT`) continues in a new process to the same end as an uninterrupted
/// run, with no iteration, commit or paid answer duplicated, and a clean repository.
@Suite("git conductor resume")
struct ResumeTests {
    static let plan = #"{"spec": "add.sh adds its two arguments.", "steps": [{"description": "Make add.sh add", "files": ["add.sh"]}]}"#

    /// A plan, a wrong fix that fails BIST, then the right one.
    static var answers: [String] {
        [plan, RunCommandTests.edit("-", "*"), RunCommandTests.edit("*", "+", promise: true)]
    }

    static func start(_ sandbox: Sandbox, script: String, crashAt state: String?, _ extra: [String] = []) throws -> ProcessResult {
        try sandbox.run(
            Tool.conductor, ["run", "Fix add.sh so that it adds", "--script", script, "--verify", "sh test.sh"] + extra,
            environment: state.map { ["CONDUCTOR_CRASH_AT": $0] } ?? [:]
        )
    }

    static func onlyRun(_ sandbox: Sandbox) throws -> [String: Any] {
        let log = try jsonArray(sandbox.conductorOK("log", "--json").stdout)
        try #require(log.count == 1, "\(log)")
        return log[0]
    }

    /// The run's events as plain git reads them, in stamp order.
    static func events(_ sandbox: Sandbox, _ id: String) throws -> [[String: Any]] {
        let files = try sandbox.filesOnBranch(under: runDirectory(id) + "/events/")
        return try files.keys.sorted().map { try jsonObject(files[$0]!) }
    }

    @Test("killed right after recording each state, the run resumes to COMPLETE with nothing done twice",
          arguments: ["PRECHECK", "PLANNING", "BUILDING", "VERIFYING", "REPAIRING"])
    func crashAndResume(state: String) throws {
        let (sandbox, script) = try RunCommandTests.project(answers: Self.answers)
        let before = try sandbox.fixture.fingerprint()
        let crashed = try Self.start(sandbox, script: script, crashAt: state)
        #expect(crashed.terminatedBySignal && crashed.status == SIGKILL, "\(crashed)")
        let interrupted = try Self.onlyRun(sandbox)
        #expect(interrupted["status"] as? String == "interrupted", "\(interrupted)")
        let id = try #require(interrupted["id"] as? String)

        let resumed = try sandbox.conductor("resume", String(id.prefix(10)))
        #expect(resumed.status == 0, "\(resumed)")
        #expect(resumed.stdout.contains("resumed at \(state)"), "\(resumed)")
        #expect(try Self.onlyRun(sandbox)["status"] as? String == "complete")

        let branch = try RunCommandTests.taskBranch(sandbox)
        let bodies = try sandbox.git("log", "--format=%B%x00", "main..\(branch)").stdout
            .split(separator: "\0").filter { !$0.allSatisfy(\.isWhitespace) }
        let iterations = bodies.compactMap { $0.split(separator: "\n").first { $0.hasPrefix("Conductor-Iteration: ") } }
        #expect(iterations.sorted() == ["Conductor-Iteration: 1", "Conductor-Iteration: 2"], "\(bodies)")
        #expect(try sandbox.git("show", "\(branch):add.sh").output == "#!/bin/sh\necho $(( $1 + $2 ))")

        let events = try Self.events(sandbox, id)
        let started = events.filter { $0["kind"] as? String == "iteration" }.compactMap { $0["number"] as? Int }
        #expect(started == [1, 2], "each iteration starts once: \(started)")
        #expect(events.filter { $0["kind"] as? String == "usage" }.count == 3, "each answer is asked for and paid once")
        let path = events.filter { $0["kind"] as? String == "transition" }.compactMap { $0["to"] as? String }
        #expect(path.last == "COMPLETE" && path.filter { $0 == "COMPLETE" }.count == 1, "\(path)")
        let plan = try sandbox.fileOnBranch(runDirectory(id) + "/plan.md")
        #expect(plan.contains("[x] "), "\(plan)")
        #expect(try sandbox.fixture.fingerprint() == before)
        #expect(try sandbox.git("notes", "--ref=conductor", "show", branch).output.contains("BIST: pass"))
        _ = try sandbox.fixture.fsck()
    }

    @Test("a run whose worktree was deleted resumes in a worktree recreated from its task branch")
    func recreatesWorktree() throws {
        let (sandbox, script) = try RunCommandTests.project(answers: Self.answers)
        _ = try Self.start(sandbox, script: script, crashAt: "REPAIRING")
        let id = try #require(try Self.onlyRun(sandbox)["id"] as? String)
        try FileManager.default.removeItem(atPath: sandbox.gitDirectory + "/conductor/worktrees/" + id)
        let resumed = try sandbox.conductor("resume", id)
        #expect(resumed.status == 0, "\(resumed)")
        #expect(try Self.onlyRun(sandbox)["iterations"] as? Int == 2)
        _ = try sandbox.fixture.fsck()
    }

    @Test("a paused run resumes where it paused")
    func pauseThenResume() throws {
        let (sandbox, script) = try RunCommandTests.project(answers: Self.answers)
        // Paused before the run starts building: the pause is read before the first iteration.
        _ = try Self.start(sandbox, script: script, crashAt: "BUILDING")
        let id = try #require(try Self.onlyRun(sandbox)["id"] as? String)
        try sandbox.conductorOK("pause", id)
        let paused = try sandbox.conductor("resume", id)
        #expect(paused.status == 14 && paused.stdout.contains("PAUSED"), "\(paused)")
        #expect(try Self.onlyRun(sandbox)["status"] as? String == "paused")
        let resumed = try sandbox.conductor("resume", id)
        #expect(resumed.status == 0 && resumed.stdout.contains("PAUSED -> BUILDING"), "\(resumed)")
        #expect(try Self.onlyRun(sandbox)["status"] as? String == "complete")
    }

    @Test("resume refuses a finished run (13), an unknown one (4) and one a live process holds (9)")
    func refusals() throws {
        let (sandbox, script) = try RunCommandTests.project(answers: Self.answers)
        #expect(try Self.start(sandbox, script: script, crashAt: nil).status == 0)
        let id = try #require(try Self.onlyRun(sandbox)["id"] as? String)
        let tip = try sandbox.stateTip()
        let finished = try sandbox.conductor("resume", id)
        #expect(finished.status == 13 && finished.stderr.contains("already ended"), "\(finished)")
        let unknown = try sandbox.conductor("resume", "zzzz")
        #expect(unknown.status == 4, "\(unknown)")
        #expect(try sandbox.stateTip() == tip)

        let (other, otherScript) = try RunCommandTests.project(answers: Self.answers)
        _ = try Self.start(other, script: otherScript, crashAt: "BUILDING")
        let otherID = try #require(try Self.onlyRun(other)["id"] as? String)
        // A lock naming this (live) test process stands for a process still working on the run.
        let hostname = try runProcess("hostname", [], in: other.path).output
        try "\(getpid()) \(hostname)\n".write(toFile: other.gitDirectory + "/conductor/locks/" + otherID, atomically: true, encoding: .utf8)
        let busy = try other.conductor("resume", otherID)
        #expect(busy.status == 9 && busy.stderr.contains("being worked on by process \(getpid())"), "\(busy)")
    }
}
