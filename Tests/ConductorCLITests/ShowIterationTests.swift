import ConductorTesting
import Foundation
import Testing

/// `git conductor show <run> --iteration N`: what the model was asked and answered, readable.
@Suite("git conductor show --iteration")
struct ShowIterationTests {
    @Test("an iteration's context, requests and answers of every round, feedback and verification; --request and --response print one side")
    func iterationView() throws {
        let read = "Let me look first.\n<read>\nadd.sh\n</read>\n"
        let miss = "add.sh\n```sh\n<<<<<<< SEARCH\necho nothing like this\n=======\necho 1\n>>>>>>> REPLACE\n```\n"
        let (sandbox, script) = try RunCommandTests.project(answers: [read, miss, RunCommandTests.edit("-", "+", promise: true)])
        let result = try RunCommandTests.run(sandbox, script: script)
        #expect(result.status == 0, "\(result)")
        let id = try #require(try jsonArray(sandbox.conductorOK("log", "--json").stdout).first?["id"] as? String)

        let first = try sandbox.conductorOK("show", id, "--iteration", "1").stdout
        #expect(first.contains("Context (") && first.contains("add.sh (whole): named in the task"), "\(first)")
        #expect(first.contains("Round 1 request (build):") && first.contains("# Task\n\nFix add.sh so that it adds"), "\(first)")
        #expect(first.contains("Round 1 response:\nLet me look first."), "\(first)")
        #expect(first.contains("Round 2 request (build):") && first.contains("# The files you asked for"), "\(first)")
        #expect(first.contains("Edits refused:") && first.contains("SEARCH not found"), "\(first)")
        #expect(!first.contains("\u{E000}"), "the cache boundary is not shown")

        let answers = try sandbox.conductorOK("show", id, "--iteration", "1", "--response").stdout
        #expect(answers.contains("Round 1 response:") && !answers.contains("Round 1 request"), "\(answers)")
        let asked = try sandbox.conductorOK("show", id, "--iteration", "1", "--request").stdout
        #expect(asked.contains("Round 1 request") && !asked.contains("Round 1 response"), "\(asked)")

        let json = try jsonObject(sandbox.conductorOK("show", id, "--iteration", "2", "--json").stdout)
        #expect((json["exchanges"] as? [[String: Any]])?.count == 1 && json["iteration"] as? Int == 2, "\(json)")
        #expect((json["bist"] as? [String: Any]) != nil)

        // The refusal is readable in the timeline: which block, which file, which rule.
        let timeline = try sandbox.conductorOK("show", id).stdout
        #expect(timeline.contains("edits rejected: 1 problem — block 1 (line "), "\(timeline)")
        #expect(timeline.contains("add.sh: SEARCH not found"), "\(timeline)")
    }

    @Test("an iteration that was never recorded, and --request without --iteration, are clear errors")
    func badInput() throws {
        let (sandbox, script) = try RunCommandTests.project(answers: [RunCommandTests.edit("-", "+", promise: true)])
        #expect(try RunCommandTests.run(sandbox, script: script).status == 0)
        let id = try #require(try jsonArray(sandbox.conductorOK("log", "--json").stdout).first?["id"] as? String)
        let missing = try sandbox.conductor("show", id, "--iteration", "9")
        #expect(missing.status != 0 && missing.stderr.contains("recorded no iteration 9"), "\(missing)")
        let usage = try sandbox.conductor("show", id, "--response")
        #expect(usage.status == 64 && usage.stderr.contains("--iteration"), "\(usage)")
    }
}
