import ConductorTesting
import Foundation
import Testing

/// `git conductor show`, checked against the run's files on the branch.
@Suite("git conductor show")
struct ShowCommandTests {
    /// The output without the `Created:` line, whose relative age depends on the wall clock.
    static func stable(_ output: String) -> String {
        lines(output).filter { !$0.hasPrefix("Created:") }.joined(separator: "\n")
    }

    @Test("by full id: the run's header and a timeline of every event on the branch")
    func byFullID() throws {
        let sandbox = try Sandbox()
        let ids = try sandbox.populate(12)
        let id = ids[1]
        let record = try jsonObject(try sandbox.fileOnBranch("\(runDirectory(id))/run.json"))
        let eventFiles = try sandbox.eventFiles(of: id)

        let result = try sandbox.conductorOK("show", id)
        #expect(result.stderr.isEmpty, "\(result)")
        let output = lines(result.stdout)
        #expect(output.first == "run \(id)")
        let prompt = try #require(record["prompt"] as? String)
        let header: [(label: String, value: String)] = [
            ("Prompt:", String(prompt.split(separator: "\n")[0])),
            ("Mode:", try #require(record["mode"] as? String)),
            ("Branch:", try #require(record["task_branch"] as? String)),
            ("Base:", try #require(record["base_commit"] as? String)),
        ]
        for (label, value) in header {
            let line = output.first { $0.hasPrefix(label) }
            #expect(line?.hasSuffix(" " + value) == true, "\(label) line is \(String(describing: line))")
        }
        for label in ["Status:", "Created:", "Iterations:", "Tokens:", "Cost:"] {
            #expect(output.contains { $0.hasPrefix(label) }, "no \(label) line in\n\(result.stdout)")
        }
        #expect(output.contains("Timeline (\(eventFiles.count) events):"), "\(result.stdout)")
        let timeline = output.drop { !$0.hasPrefix("Timeline") }.dropFirst().filter { $0.hasPrefix("  ") }
        #expect(timeline.count == eventFiles.count)
        #expect(timeline.first?.contains("START -> PRECHECK") == true)
        #expect(timeline.contains { $0.contains("iteration 1 started") })
        #expect(timeline.last.map { $0.contains("-> COMPLETE") || $0.contains("-> FAILED") } == true)
    }

    @Test("by unique prefix, in either case, shows the same run")
    func byUniquePrefix() throws {
        let sandbox = try Sandbox()
        let ids = try sandbox.populate(12)
        let id = ids[4]
        let prefix = shortestUniquePrefix(of: id, among: ids)
        try #require(prefix.count < id.count)
        let full = try sandbox.conductorOK("show", id)

        for text in [prefix, prefix.uppercased(), String(id.prefix(prefix.count + 3))] {
            let result = try sandbox.conductorOK("show", text)
            #expect(lines(result.stdout).first == "run \(id)", "show \(text): \(result)")
            #expect(Self.stable(result.stdout) == Self.stable(full.stdout), "show \(text) differs from show \(id)")
        }
    }

    @Test("--json has run, summary, events and problems matching the branch")
    func json() throws {
        let sandbox = try Sandbox()
        let ids = try sandbox.populate(5)
        let id = ids[0]
        let record = try jsonObject(try sandbox.fileOnBranch("\(runDirectory(id))/run.json"))

        let json = try jsonObject(try sandbox.conductorOK("show", id, "--json").stdout)
        #expect(Set(json.keys) == ["run", "summary", "events", "problems"])
        let run = try #require(json["run"] as? [String: Any])
        #expect(run["id"] as? String == id)
        #expect(run["prompt"] as? String == record["prompt"] as? String)
        #expect(run["task_branch"] as? String == record["task_branch"] as? String)
        let summary = try #require(json["summary"] as? [String: Any])
        #expect(summary["id"] as? String == id)
        #expect(summary["status"] as? String == "complete")
        let events = try #require(json["events"] as? [[String: Any]])
        #expect(events.compactMap { $0["file"] as? String } == (try sandbox.eventFiles(of: id)))
        #expect(events.allSatisfy { $0["kind"] is String && $0["text"] is String })
        #expect((json["problems"] as? [Any])?.isEmpty == true)
    }

    @Test("an event of a kind from a newer version is shown by its kind, and later events order after it")
    func unknownEventKind() throws {
        let sandbox = try Sandbox()
        let ids = try sandbox.populate(2)
        let id = ids[0]
        let existing = try sandbox.eventFiles(of: id)
        let machine = try #require(existing.first?.split(separator: "-").dropFirst().first.map(String.init))
        let name = "000000000002-\(machine)-0000.json"
        let event = "{\"clock\":2,\"kind\":\"review\",\"machine\":\"\(machine)\",\"score\":7,\"seq\":0,\"time\":\"2030-01-01T00:00:00.000Z\"}"
        try sandbox.replaceOnBranch("\(runDirectory(id))/events/\(name)", with: event)

        let text = try sandbox.conductorOK("show", id)
        #expect(text.stdout.contains("Timeline (\(existing.count + 1) events):"), "\(text)")
        let last = lines(text.stdout).last { $0.hasPrefix("  ") }
        #expect(last?.contains("review") == true, "\(text)")
        let json = try jsonObject(try sandbox.conductorOK("show", id, "--json").stdout)
        let events = try #require(json["events"] as? [[String: Any]])
        #expect(events.last?["kind"] as? String == "review")
        #expect(events.last?["file"] as? String == name)
        #expect((json["problems"] as? [Any])?.isEmpty == true, "\(json)")
        #expect(try jsonArray(try sandbox.conductorOK("log", "--json").stdout).first?["status"] as? String == "complete")

        // The next writer picks a Lamport clock above the unknown event's.
        try sandbox.synth("append", id, "1")
        let newest = try #require(try sandbox.eventFiles(of: id).last)
        #expect(newest.hasPrefix("000000000003-"), "\(newest)")
    }

    @Test("an ambiguous prefix exits 5 and lists every matching run")
    func ambiguousPrefix() throws {
        let sandbox = try Sandbox()
        let ids = try sandbox.populate(12)
        let prefix = commonPrefix(of: ids)
        try #require(!prefix.isEmpty)

        let result = try sandbox.conductor("show", prefix)
        #expect(result.status == 5, "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("ambiguous"), "\(result)")
        #expect(Set(runIDs(in: result.stderr)) == Set(ids), "every candidate must be listed:\n\(result.stderr)")
    }

    @Test("an unknown id exits 4 with 'unknown run'")
    func unknownRun() throws {
        let sandbox = try Sandbox()
        try sandbox.populate(3)
        for text in ["7zzzzz", "zzzzzzzzzzzzzzzzzzzzzzzzzz", "not-a-run!"] {
            let result = try sandbox.conductor("show", text)
            #expect(result.status == 4, "show \(text): \(result)")
            #expect(result.stderr.contains("unknown run"), "\(result)")
            #expect(result.stdout.isEmpty)
        }
    }

    @Test("show without a state branch exits 3 and points at init")
    func withoutStateBranch() throws {
        let sandbox = try Sandbox()
        let result = try sandbox.conductor("show", "01")
        #expect(result.status == 3, "\(result)")
        #expect(result.stderr.contains("git conductor init"), "\(result)")
        #expect(try sandbox.stateTip() == nil)
    }

    @Test("show without a run argument is a usage error")
    func missingArgument() throws {
        let sandbox = try Sandbox()
        try sandbox.populate(1)
        let result = try sandbox.conductor("show")
        #expect(result.status == 64, "\(result)")
        #expect(result.stderr.contains("<run>"), "\(result)")
    }
}
