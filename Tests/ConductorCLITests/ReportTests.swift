import ConductorTesting
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// `git conductor report` on real runs: one run's timeline and iterations, totals over
/// several, the HTML page checked with an XML parser.
@Suite("git conductor report")
struct ReportTests {
    /// Counts elements of an XML document, failing on anything not well-formed.
    final class ElementCounter: NSObject, XMLParserDelegate {
        var counts: [String: Int] = [:]
        var classes: [String: Int] = [:]

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            counts[name, default: 0] += 1
            if let value = attributes["class"] { classes["\(name).\(value)", default: 0] += 1 }
        }

        static func parse(_ path: String) throws -> ElementCounter {
            let counter = ElementCounter()
            let parser = try #require(XMLParser(contentsOf: URL(fileURLWithPath: path)))
            parser.delegate = counter
            #expect(parser.parse(), "not well-formed: \(String(describing: parser.parserError))")
            return counter
        }
    }

    @Test("one run: the timeline of states, the iterations, and an HTML page with one bar per iteration")
    func oneRun() throws {
        let (sandbox, id, _) = try PrBodyTests.completedRun()
        let text = try sandbox.conductorOK("report", id).stdout
        for state in ["PRECHECK", "PLANNING", "BUILDING", "VERIFYING", "REPAIRING", "COMPLETE"] {
            #expect(text.contains("\n  \(state) "), "\(state) missing from \(text)")
        }
        #expect(text.contains("verification failed 1 time, then passed"), "\(text)")
        let rows = text.components(separatedBy: "Iterations\n").last?.split(separator: "\n").dropFirst() ?? []
        #expect(rows.count == 2 && rows.first?.contains("fail") == true && rows.last?.contains("pass") == true, "\(rows)")

        let json = try jsonObject(sandbox.conductorOK("report", id, "--json").stdout)
        let timeline = try #require(json["timeline"] as? [[String: Any]])
        #expect(timeline.compactMap { $0["state"] as? String } == ["PRECHECK", "PLANNING", "BUILDING", "VERIFYING", "REPAIRING", "BUILDING", "VERIFYING", "COMPLETE"])
        #expect(timeline.dropLast().allSatisfy { $0["duration_ms"] is Int })

        let page = sandbox.scratch.appending("run.html")
        try sandbox.conductorOK("report", id, "--html", page)
        let counter = try ElementCounter.parse(page)
        #expect(counter.counts["svg"] == 2)
        #expect(counter.classes["rect.bar tokens"] == 2 && counter.classes["rect.bar cost"] == 2, "\(counter.classes)")
        #expect(counter.counts["line"] == 2, "an iteration tick each")
        let html = try String(contentsOfFile: page, encoding: .utf8)
        #expect(!html.contains("src=") && !html.contains("href=") && !html.contains("<script"), "self-contained")
        #expect(html.contains("@media print"))
    }

    @Test("many runs: rows, totals, filters and JSON; unknown cost stays unknown")
    func manyRuns() throws {
        let (sandbox, script) = try RunCommandTests.project(answers: ResumeTests.answers)
        #expect(try ResumeTests.start(sandbox, script: script, crashAt: nil).status == 0)
        let failing = sandbox.scratch.appending("failing.json")
        let bad = [["text": ResumeTests.plan], ["text": RunCommandTests.edit("-", "*")]]
        try JSONSerialization.data(withJSONObject: ["responses": bad]).write(to: URL(fileURLWithPath: failing))
        #expect(try sandbox.run(Tool.conductor, ["run", "Break add.sh", "--script", failing, "--verify", "sh test.sh", "--max-iterations", "1"]).status == 10)

        let text = try sandbox.conductorOK("report").stdout
        #expect(text.contains("Runs: 2 (complete 1, failed 1)"), "\(text)")
        #expect(text.contains("Success rate: 50 %") && text.contains("Median iterations to complete: 2"), "\(text)")
        #expect(text.contains("Cost per completed run: $0.0030"), "\(text)")
        #expect(text.contains("Failure reasons: budget 1"), "\(text)")
        #expect(text.contains("  sh test.sh: "), "slowest verify commands: \(text)")
        let failedLine = text.split(separator: "\n").first { $0.contains("failed (budget)") }
        #expect(failedLine?.contains("unknown") == true && !text.contains("$0.0000"), "\(text)")

        let json = try jsonObject(sandbox.conductorOK("report", "--json").stdout)
        let totals = try #require(json["totals"] as? [String: Any])
        #expect(totals["success_rate"] as? Double == 0.5 && totals["runs"] as? Int == 2)
        #expect(totals["cost_per_completed_run"] as? Double == 0.003)
        let failedRow = try #require((json["rows"] as? [[String: Any]])?.first { $0["status"] as? String == "failed" })
        #expect(failedRow["cost_usd"] == nil && failedRow["tokens"] as? Int ?? 0 > 0, "answers without a price: unknown, not 0")
        let failed = try jsonObject(sandbox.conductorOK("report", "--json", "--status", "failed").stdout)
        #expect((failed["rows"] as? [[String: Any]])?.count == 1)
        #expect(try sandbox.conductorOK("report", "--since", "2999-01-01").stdout == "no runs match\n")

        let page = sandbox.scratch.appending("runs.html")
        try sandbox.conductorOK("report", "--html", page)
        #expect(try ElementCounter.parse(page).classes["rect.bar tokens"] == 2)
    }

    @Test("no state branch: 'no runs yet' and exit 0; a corrupt run is skipped and named")
    func emptyAndCorrupt() throws {
        let sandbox = try Sandbox()
        _ = try sandbox.fixture.commit("Init", files: ["a": "a\n"])
        #expect(try sandbox.conductorOK("report").stdout == "no runs yet\n")
        #expect((try jsonObject(sandbox.conductorOK("report", "--json").stdout)["rows"] as? [Any])?.isEmpty == true)

        let ids = try sandbox.populate(3)
        try sandbox.replaceOnBranch(runDirectory(ids[1]) + "/run.json", with: "{not json")
        let result = try sandbox.conductorOK("report")
        #expect(result.stdout.contains("Runs: 2 ") && result.stdout.contains("Skipped (unreadable)\n  \(ids[1])"), "\(result)")
        #expect(!result.stdout.split(separator: "\n").contains { $0.hasPrefix(ids[1] + " ") })
    }

    @Test("a summary cache line that does not decode lists the run the slow way instead of dropping it")
    func undecodableCacheLine() throws {
        let sandbox = try Sandbox()
        let ids = try sandbox.populate(2)
        _ = try sandbox.conductorOK("log")
        let cache = sandbox.cacheDirectory + "/run-summaries-v3"
        let lines = try String(contentsOfFile: cache, encoding: .utf8).split(separator: "\n")
        let damaged = [String(lines[0]), lines[1].split(separator: "\t").prefix(5).joined(separator: "\t")] + lines.dropFirst(2).map(String.init)
        try (damaged.joined(separator: "\n") + "\n").write(toFile: cache, atomically: true, encoding: .utf8)
        let listed = try jsonArray(sandbox.conductorOK("log", "--json").stdout).compactMap { $0["id"] as? String }
        #expect(listed == ids)
    }
}
