import ConductorTesting
import Foundation
import Testing

/// `git conductor log` over synthetic runs, checked against what plain git sees on the branch.
@Suite("git conductor log")
struct LogCommandTests {
    /// `conductor-synth populate` makes every fifth run (indices 0, 5, 10, …) a failure.
    static func failedTitles(count: Int) -> Set<String> {
        Set(stride(from: 0, to: count, by: 5).map { "Synthetic task \($0)" })
    }

    @Test("lists every run newest first under the documented columns")
    func listsRunsNewestFirst() throws {
        let sandbox = try Sandbox()
        let ids = try sandbox.populate(12)

        let result = try sandbox.conductorOK("log")
        #expect(result.stderr.isEmpty, "\(result)")
        let table = LogTable(result.stdout)
        #expect(table.columns == logColumns)
        #expect(table.ids == ids, "log must list exactly the runs git sees, newest first")
        #expect(table.ids == table.ids.sorted(by: >))
        #expect(Set(table.rows.map(\.status)) == ["complete", "failed"])
        for row in table.rows {
            #expect(row.line.contains("conductor/synthetic-\(row.id.suffix(6))"), "\(row.line)")
        }
    }

    @Test("--limit N shows the N newest runs")
    func limit() throws {
        let sandbox = try Sandbox()
        let ids = try sandbox.populate(12)
        let table = LogTable(try sandbox.conductorOK("log", "--limit", "5").stdout)
        #expect(table.columns == logColumns)
        #expect(table.ids == Array(ids.prefix(5)))
        #expect(lines(try sandbox.conductorOK("log", "--limit", "50", "--oneline").stdout).count == 12)
    }

    @Test("--status failed shows only the failed runs")
    func statusFilter() throws {
        let sandbox = try Sandbox()
        let ids = try sandbox.populate(12)
        let all = try jsonArray(try sandbox.conductorOK("log", "--json").stdout)
        let failed = all.filter { $0["status"] as? String == "failed" }
        #expect(Set(failed.compactMap { $0["title"] as? String }) == Self.failedTitles(count: 12))

        let table = LogTable(try sandbox.conductorOK("log", "--status", "failed").stdout)
        #expect(table.rows.count == 3)
        #expect(table.rows.allSatisfy { $0.status == "failed" })
        #expect(table.ids == failed.compactMap { $0["id"] as? String })
        #expect(table.ids == ids.filter(table.ids.contains), "still newest first")

        let complete = lines(try sandbox.conductorOK("log", "--status", "complete", "--oneline").stdout)
        #expect(complete.count == 9)
        #expect(LogTable(try sandbox.conductorOK("log", "--status", "FAILED").stdout).ids == table.ids,
                "the status is matched case-insensitively")
        let combined = LogTable(try sandbox.conductorOK("log", "--status", "failed", "--limit", "2").stdout)
        #expect(combined.ids == Array(table.ids.prefix(2)))
        #expect(try sandbox.conductorOK("log", "--status", "cancelled").stdout.isEmpty)
    }

    @Test("--oneline prints id, status and title, one run per line")
    func oneline() throws {
        let sandbox = try Sandbox()
        let ids = try sandbox.populate(12)
        let entries = try jsonArray(try sandbox.conductorOK("log", "--json").stdout)
        let output = lines(try sandbox.conductorOK("log", "--oneline").stdout)
        #expect(output.count == 12)
        #expect(output == entries.map { "\($0["id"] as? String ?? "?") \($0["status"] as? String ?? "?") \($0["title"] as? String ?? "?")" })
        #expect(output.map { String($0.prefix(26)) } == ids)
    }

    @Test("--json is an array of runs whose fields agree with the run.json and events on the branch")
    func json() throws {
        let sandbox = try Sandbox()
        let ids = try sandbox.populate(12)
        let entries = try jsonArray(try sandbox.conductorOK("log", "--json").stdout)
        #expect(entries.compactMap { $0["id"] as? String } == ids)

        let files = try sandbox.filesOnBranch(under: "runs/")
        let required: Set<String> = [
            "id", "status", "title", "mode", "task_branch", "iterations", "tokens", "cost",
            "cost_usd", "created_at", "age", "failure_reason", "last_activity", "problem",
        ]
        for entry in entries {
            let id = try #require(entry["id"] as? String)
            #expect(required.isSubset(of: Set(entry.keys)), "missing keys in \(entry.keys.sorted())")
            let record = try jsonObject(try #require(files["\(runDirectory(id))/run.json"]))
            #expect(entry["mode"] as? String == record["mode"] as? String)
            #expect(entry["task_branch"] as? String == record["task_branch"] as? String)
            #expect(entry["created_at"] as? String == record["created_at"] as? String)
            let prompt = try #require(record["prompt"] as? String)
            #expect(entry["title"] as? String == prompt.split(separator: "\n").first.map(String.init))

            // Fold the events that git holds, independently of the code under test.
            let events = try files.filter { $0.key.hasPrefix("\(runDirectory(id))/events/") }
                .sorted { $0.key < $1.key }
                .map { try jsonObject($0.value) }
            #expect(!events.isEmpty)
            let lastTransition = events.last { $0["kind"] as? String == "transition" }
            let lastState = lastTransition?["to"] as? String
            let iterations = events.filter { $0["kind"] as? String == "iteration" }.compactMap { $0["number"] as? Int }.max() ?? 0
            let usage = events.filter { $0["kind"] as? String == "usage" }
            let tokens = usage.reduce(0) { $0 + ($1["tokens_in"] as? Int ?? 0) + ($1["tokens_out"] as? Int ?? 0) }
            let cost = usage.reduce(0.0) { $0 + ($1["cost_usd"] as? Double ?? 0) }
            #expect(entry["status"] as? String == lastState?.lowercased(), "\(id)")
            #expect(entry["iterations"] as? Int == iterations, "\(id)")
            #expect(entry["tokens"] as? Int == tokens, "\(id)")
            let reportedCost = try #require(entry["cost_usd"] as? Double, "\(entry)")
            #expect(abs(reportedCost - cost) < 1e-9, "\(id): \(reportedCost) vs \(cost)")
            #expect(entry["failure_reason"] as? String == lastTransition?["reason"] as? String)
            #expect(entry["problem"] is NSNull)
        }
    }

    @Test("--limit 0, --limit abc, --status bogus and --json --oneline are usage errors naming the option")
    func usageErrors() throws {
        let sandbox = try Sandbox()
        try sandbox.populate(2)
        let cases: [(arguments: [String], mentions: [String])] = [
            (["log", "--limit", "0"], ["--limit"]),
            (["log", "--limit", "-3"], ["--limit"]),
            (["log", "--limit", "abc"], ["--limit", "abc"]),
            (["log", "--status", "bogus"], ["status", "bogus"]),
            (["log", "--json", "--oneline"], ["--json", "--oneline"]),
            (["log", "--frobnicate"], ["--frobnicate"]),
        ]
        for (arguments, mentions) in cases {
            let result = try sandbox.run(Tool.conductor, arguments)
            #expect(result.status == 64, "\(arguments): \(result)")
            #expect(result.stdout.isEmpty, "\(arguments): \(result)")
            // The first line is the error itself, not the usage summary that follows it.
            let message = lines(result.stderr).first ?? ""
            for word in mentions {
                #expect(message.contains(word), "\(arguments): the error '\(message)' should mention \(word)")
            }
        }
    }

    @Test("without a state branch: exit 0, a hint on stderr, and --json prints []")
    func withoutStateBranch() throws {
        let sandbox = try Sandbox()
        let config = try sandbox.configBytes()

        let result = try sandbox.conductor("log")
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.isEmpty, "\(result)")
        #expect(result.stderr.contains("git conductor init"), "\(result)")

        let json = try sandbox.conductor("log", "--json")
        #expect(json.status == 0, "\(json)")
        #expect(try jsonArray(json.stdout).isEmpty)
        #expect(json.output == "[]" || json.output.filter { !$0.isWhitespace } == "[]", "\(json)")

        #expect(try sandbox.stateTip() == nil, "log must not create the state branch")
        #expect(try sandbox.configBytes() == config)
    }

    @Test("a warm cache, a deleted cache and a cold listing all give the same output")
    func cacheDoesNotChangeOutput() throws {
        let sandbox = try Sandbox()
        try sandbox.populate(12)
        let queries: [[String]] = [
            ["log", "--json"],
            ["log", "--json", "--limit", "5"],
            ["log", "--json", "--status", "failed"],
            ["log", "--json", "--status", "failed", "--limit", "2"],
            ["log", "--json", "--status", "complete", "--limit", "4"],
        ]
        // Cold: the cache is deleted before every query.
        var cold: [String] = []
        for query in queries {
            try sandbox.deleteCache()
            cold.append(try normalizedLog(try sandbox.run(Tool.conductor, query).stdout))
        }
        let coldOneline = try sandbox.conductorOK("log", "--oneline").stdout

        // Warm, in several orders: partial listings first, then full ones, twice over.
        try sandbox.deleteCache()
        for order in [Array(queries.indices.reversed()), Array(queries.indices), Array(queries.indices)] {
            for index in order {
                let result = try sandbox.run(Tool.conductor, queries[index])
                #expect(result.status == 0, "\(result)")
                #expect(try normalizedLog(result.stdout) == cold[index], "\(queries[index]) differs with a warm cache")
            }
        }
        #expect(FileManager.default.fileExists(atPath: sandbox.cacheDirectory + "/run-summaries-v3"))
        let cacheFile = try String(contentsOfFile: sandbox.cacheDirectory + "/run-summaries-v3", encoding: .utf8)
        #expect(cacheFile.split(separator: "\n").first?.contains(try #require(try sandbox.stateTip())) == true,
                "the cache header names the state tip it lists")
        #expect(try sandbox.conductorOK("log", "--oneline").stdout == coldOneline)
        #expect(try sandbox.conductorOK("log", "--oneline").stdout == coldOneline)

        // Deleting the cache changes nothing either.
        try sandbox.deleteCache()
        #expect(try sandbox.conductorOK("log", "--oneline").stdout == coldOneline)
        #expect(try normalizedLog(try sandbox.conductorOK("log", "--json").stdout) == cold[0])
    }

    @Test("appended events show up at once: the cache is never stale")
    func cacheIsNeverStale() throws {
        let sandbox = try Sandbox()
        try sandbox.populate(6)
        func entries() throws -> [String: [String: Any]] {
            let array = try jsonArray(try sandbox.conductorOK("log", "--json").stdout)
            return Dictionary(uniqueKeysWithValues: array.map { ($0["id"] as? String ?? "", $0) })
        }
        func coldMatchesWarm(_ label: String) throws {
            let warm = try normalizedLog(try sandbox.conductorOK("log", "--json").stdout)
            try sandbox.deleteCache()
            let cold = try normalizedLog(try sandbox.conductorOK("log", "--json").stdout)
            #expect(warm == cold, "\(label): the warm listing differs from a cold one")
        }
        let before = try entries()
        _ = try entries() // warm the cache completely

        // A new run appears at the top, then its iterations follow appended events.
        let id = try sandbox.createRun("Appended later")
        var now = try entries()
        #expect(now.count == 7)
        #expect(try sandbox.conductorOK("log", "--oneline", "--limit", "1").stdout.hasPrefix(id))
        #expect(now[id]?["iterations"] as? Int == 0)
        // Left in PRECHECK by a process that is gone (conductor-synth), it counts as interrupted.
        #expect(now[id]?["status"] as? String == "interrupted")
        try sandbox.synth("append", id, "3")
        now = try entries()
        #expect(now[id]?["iterations"] as? Int == 3, "log --json after append: \(String(describing: now[id]))")
        try coldMatchesWarm("after appending to the newest run")

        // An older run, after a partial listing cached only the newest runs.
        let oldest = try #require(try sandbox.runIDsOnBranch().last)
        let oldIterations = try #require(before[oldest]?["iterations"] as? Int)
        _ = try sandbox.conductorOK("log", "--limit", "1")
        try sandbox.synth("append", oldest, String(oldIterations + 4))
        now = try entries()
        #expect(now[oldest]?["iterations"] as? Int == oldIterations + 4, "\(String(describing: now[oldest]))")
        for (other, entry) in before where other != oldest {
            #expect(now[other]?["iterations"] as? Int == entry["iterations"] as? Int, "\(other) changed")
        }
        try coldMatchesWarm("after appending to the oldest run")
    }

    @Test("moving the state branch back with plain git is reflected at once, warm cache or not")
    func rewoundBranch() throws {
        let sandbox = try Sandbox()
        try sandbox.conductorOK("init")
        try sandbox.synth("populate", "8", "5")
        let all = try sandbox.runIDsOnBranch()
        let tip = try #require(try sandbox.stateTip())
        _ = try sandbox.conductorOK("log") // warm
        try sandbox.git("update-ref", stateBranch, "\(tip)~1")
        let remaining = try sandbox.runIDsOnBranch()
        #expect(remaining.count == 5 && Set(remaining).isSubset(of: Set(all)))
        #expect(LogTable(try sandbox.conductorOK("log").stdout).ids == remaining)
        try sandbox.git("update-ref", stateBranch, tip)
        #expect(LogTable(try sandbox.conductorOK("log").stdout).ids == all)
    }

    /// `log` and `show` only read the state branch; the summary cache is documented as an
    /// optimisation whose failure "must never fail the command". They must keep working when
    /// `.git/conductor/` cannot be created (simulated with a plain file in its place, which
    /// blocks even root; a read-only clone or someone else's repository behaves the same).
    @Test("log and show still work when .git/conductor cannot be written")
    func unwritablePrivateDirectory() throws {
        let sandbox = try Sandbox()
        let ids = try sandbox.populate(3)
        let expected = try sandbox.conductorOK("log", "--oneline").stdout
        try FileManager.default.removeItem(atPath: sandbox.gitDirectory + "/conductor")
        try Data("not a directory\n".utf8).write(to: URL(fileURLWithPath: sandbox.gitDirectory + "/conductor"))

        let log = try sandbox.conductor("log", "--oneline")
        #expect(log.status == 0, "\(log)")
        #expect(log.stdout == expected)
        let show = try sandbox.conductor("show", ids[0])
        #expect(show.status == 0, "\(show)")
        #expect(lines(show.stdout).first == "run \(ids[0])")
    }

    /// Two run directories can hold identical trees, for example when a run's directory was
    /// copied under another id. The listing must still show each directory once, by its own id,
    /// whether or not the cache is warm.
    @Test("a run directory copied under another id is listed once each, warm or cold")
    func identicalRunTreesStayDistinct() throws {
        let sandbox = try Sandbox()
        try sandbox.conductorOK("init")
        let original = try sandbox.createRun("Copied run")
        let copy = String(original.prefix(20)) + "zzzzzz"
        let tree = try sandbox.git("rev-parse", "\(stateBranch):\(runDirectory(original))").output
        try sandbox.rewriteStateBranch(message: "Test: copy a run directory") { index in
            try sandbox.git("read-tree", "--prefix=\(runDirectory(copy))/", tree, environment: index)
        }
        #expect(try sandbox.runIDsOnBranch() == [copy, original].sorted(by: >))

        let cold = try sandbox.conductorOK("log", "--oneline")
        let coldIDs = lines(cold.stdout).map { String($0.prefix(26)) }
        #expect(coldIDs == [copy, original].sorted(by: >), "\(cold)")
        let warm = try sandbox.conductorOK("log", "--oneline")
        #expect(warm.stdout == cold.stdout, "warm cache listing differs from the cold one:\n\(warm.stdout)")
        #expect(warm.stderr == cold.stderr, "warm cache warnings differ from the cold ones:\n\(warm.stderr)")
    }
}
