import ConductorTesting
import Foundation
import Testing

@Suite("git conductor demo")
struct DemoCommandTests {
    @Test("the demo fails once, repairs, passes, and prints log, timeline, notes and the state path")
    func demo() throws {
        let sandbox = try Sandbox()
        let before = try sandbox.fixture.fingerprint()
        let result = try sandbox.run(Tool.conductor, ["demo"])
        #expect(result.status == 0, "\(result)")
        for expected in [
            "VERIFYING -> REPAIRING", "VERIFYING -> COMPLETE", "$ git conductor log", "$ git conductor show",
            "BIST: fail", "BIST: pass",
            "START -> PRECHECK -> BUILDING -> VERIFYING -> REPAIRING -> BUILDING -> VERIFYING -> COMPLETE",
        ] {
            #expect(result.stdout.contains(expected), "missing \(expected)")
        }
        // Started inside a repository, the demo leaves that repository alone.
        #expect(try sandbox.fixture.fingerprint() == before)
        #expect(try sandbox.gitResult("rev-parse", "--verify", "refs/heads/orchestrator-state").status != 0)
    }

    @Test("--dir keeps a repository that plain git reads: state branch, task branch, notes, fsck clean")
    func keep() throws {
        let sandbox = try Sandbox()
        let directory = sandbox.scratch.appending("demo")
        let result = try sandbox.run(Tool.conductor, ["demo", "--dir", directory], in: sandbox.scratch.path)
        #expect(result.status == 0, "\(result)")
        let git = { (arguments: [String]) throws -> ProcessResult in
            try runProcess("git", arguments, in: directory, environment: sandbox.environment)
        }
        let branch = try git(["for-each-ref", "--format=%(refname:short)", "refs/heads/conductor/"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(branch.hasPrefix("conductor/fix-add-sh"))
        let notes = try git(["log", "--notes=conductor", "--format=%N", branch]).stdout
        #expect(notes.contains("BIST: pass") && notes.contains("BIST: fail"), "\(notes)")
        #expect(try git(["log", "--format=%s", "orchestrator-state"]).stdout.contains("VERIFYING -> COMPLETE"))
        #expect(try git(["fsck", "--strict"]).status == 0)
        let again = try sandbox.run(Tool.conductor, ["demo", "--dir", directory], in: sandbox.scratch.path)
        #expect(again.status != 0 && again.stderr.contains("not empty"), "\(again)")
    }
}
