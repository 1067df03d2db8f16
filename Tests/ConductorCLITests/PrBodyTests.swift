import ConductorTesting
import Foundation
import Testing

/// `git conductor pr-body` on real runs: finding the run from an id, the current branch or
/// `--branch`, also after history was rewritten so that notes no longer match.
@Suite("git conductor pr-body")
struct PrBodyTests {
    /// A completed fail-repair-pass run; returns the sandbox, run id and task branch.
    static func completedRun() throws -> (Sandbox, String, String) {
        let (sandbox, script) = try RunCommandTests.project(answers: ResumeTests.answers)
        #expect(try ResumeTests.start(sandbox, script: script, crashAt: nil).status == 0)
        let id = try #require(try jsonArray(sandbox.conductorOK("log", "--json").stdout).first?["id"] as? String)
        return (sandbox, id, try RunCommandTests.taskBranch(sandbox))
    }

    static func foundThrough(_ body: String) -> String? {
        body.split(separator: "\n").first { $0.hasPrefix("- **Run:**") }.flatMap { line in
            line.range(of: "(found through ").map { String(line[$0.upperBound...].dropLast()) }
        }
    }

    @Test("by id: every section, the plan checked off with the commit, the real diff stat, the marker")
    func byID() throws {
        let (sandbox, id, branch) = try Self.completedRun()
        let body = try sandbox.conductorOK("pr-body", String(id.prefix(8))).stdout
        let tip = try sandbox.git("rev-parse", "--short=7", branch).output
        #expect(body.hasPrefix("# Fix add.sh so that it adds\n"), "\(body)")
        for heading in ["## Summary", "## Plan", "## Changes", "## Verification", "## Iterations", "## Provenance"] {
            #expect(body.contains("\n\(heading)\n"), "\(heading) missing")
        }
        #expect(body.contains("- [x] `\(tip)` Make add.sh add"), "\(body)")
        let numstat = try sandbox.git("diff", "--numstat", "main...\(branch)").output
        #expect(numstat == "1\t1\tadd.sh")
        #expect(body.contains("| `add.sh` | modified | 1 | 1 |"))
        #expect(body.contains("**History:** failed 1 time, then passed"))
        #expect(body.contains("<!-- conductor-run: \(id) -->"))
        #expect(Self.foundThrough(body) == "argument")
    }

    @Test("on the task branch with no argument, and with --branch: found through the notes")
    func byBranch() throws {
        let (sandbox, id, branch) = try Self.completedRun()
        let named = try sandbox.conductorOK("pr-body", "--branch", branch).stdout
        #expect(Self.foundThrough(named) == "note" && named.contains(id))
        try sandbox.git("checkout", "-q", branch)
        let current = try sandbox.conductorOK("pr-body").stdout
        #expect(current == named)
    }

    @Test("after a rebase, an amend and a squash the run is still found, and the body says how")
    func rewrittenHistory() throws {
        let (sandbox, id, branch) = try Self.completedRun()
        // notes.rewriteRef is not set here (no init), so rewritten commits lose their notes.
        _ = try sandbox.fixture.commit("Unrelated work on main", files: ["README": "hello\n"])
        try sandbox.git("checkout", "-q", branch)
        try sandbox.git("rebase", "-q", "main")
        let rebased = try sandbox.conductorOK("pr-body").stdout
        #expect(Self.foundThrough(rebased) == "trailer" && rebased.contains(id), "\(rebased)")

        try sandbox.git("commit", "-q", "--amend", "-m", "Make add.sh add\n\nConductor-Run: \(id)")
        #expect(Self.foundThrough(try sandbox.conductorOK("pr-body").stdout) == "trailer")

        try sandbox.git("checkout", "-q", "-b", "squashed", "main")
        try sandbox.git("merge", "-q", "--squash", branch)
        try sandbox.git("commit", "-q", "-m", "Fix add.sh")
        #expect(try sandbox.conductor("pr-body").status == 4, "a squash with a new message keeps no trace")
        try sandbox.git("branch", "-q", "-m", "squashed", "squashed-elsewhere")
        try sandbox.git("checkout", "-q", "-B", branch, "squashed-elsewhere")
        let squashed = try sandbox.conductorOK("pr-body").stdout
        #expect(Self.foundThrough(squashed) == "state branch" && squashed.contains(id), "\(squashed)")
    }

    @Test("--format json carries the same facts, schema 1")
    func json() throws {
        let (sandbox, id, _) = try Self.completedRun()
        let object = try jsonObject(sandbox.conductorOK("pr-body", id, "--format", "json").stdout)
        #expect(object["schema"] as? Int == 1 && object["run"] as? String == id)
        #expect((object["iterations"] as? [[String: Any]])?.map { $0["outcome"] as? String } == ["fail", "pass"])
        #expect((object["verification"] as? [String: Any])?["commands"] as? [String] == ["sh test.sh"])
        #expect(object["state"] as? String == "COMPLETE")
    }

    @Test("--template renders through the user's Mustache file; --print-template prints the built-in one")
    func template() throws {
        let (sandbox, id, _) = try Self.completedRun()
        let builtIn = try sandbox.conductorOK("pr-body", "--print-template").stdout
        #expect(builtIn.contains("{{{summary}}}") && builtIn.contains("{{{marker}}}"))
        let path = sandbox.scratch.appending("pr.mustache")
        try "{{{title}}} ({{state}}, {{tokens}} tokens, {{cost}})\n{{#steps}}* {{{description}}} {{commit}}\n{{/steps}}".write(toFile: path, atomically: true, encoding: .utf8)
        let custom = try sandbox.conductorOK("pr-body", id, "--template", path).stdout
        #expect(custom.hasPrefix("Fix add.sh so that it adds (COMPLETE, 360 tokens, $0.0030)\n* Make add.sh add "), "\(custom)")
        try "{{#a}}\n{{/b}}\n".write(toFile: path, atomically: true, encoding: .utf8)
        let bad = try sandbox.conductor("pr-body", id, "--template", path)
        #expect(bad.status == 64 && bad.stderr.contains("\(path):2:"), "\(bad)")
    }

    @Test("no run for the branch (4), no such branch (64), detached HEAD (4), no state branch (3)")
    func errors() throws {
        let (sandbox, _, _) = try Self.completedRun()
        let none = try sandbox.conductor("pr-body")
        #expect(none.status == 4 && none.stderr.contains("no run made branch main"), "\(none)")
        #expect(try sandbox.conductor("pr-body", "--branch", "nope").status == 64)
        try sandbox.git("checkout", "-q", "--detach")
        #expect(try sandbox.conductor("pr-body").status == 4)
        let empty = try Sandbox()
        _ = try empty.fixture.commit("Init", files: ["a": "a\n"])
        #expect(try empty.conductor("pr-body").status == 3)
    }
}
