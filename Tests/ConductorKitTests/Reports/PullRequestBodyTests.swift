import ConductorDomain
import ConductorKit
import Foundation
import Testing

/// `pr-body`'s Markdown and JSON for typical runs, compared with reviewed golden files in
/// Golden/. Set UPDATE_GOLDEN=1 to write them anew, then read the diff before committing.
@Suite("pull-request body")
struct PullRequestBodyTests {
    static let base = "aa896c6dee098bbd4f0d9cce92425b34279b8599"
    static let run = RunID("01m89q4twpjcr0acbdxedhcb9c")!
    static let machine = MachineID("m1a2b3c4")!

    /// Events of a run: a transition path, iterations with their usage, in time order.
    struct Script {
        var events: [Event] = []
        var clock: UInt64 = 0
        var time: Int64 = 1_790_000_000_000

        mutating func add(_ payload: EventPayload, after milliseconds: Int64 = 500) {
            clock += 1
            time += milliseconds
            events.append(Event(stamp: EventStamp(clock: clock, machine: PullRequestBodyTests.machine, sequence: 0), time: Timestamp(milliseconds: time), payload: payload))
        }

        mutating func move(_ from: RunState?, _ to: RunState, reason: FailureReason? = nil, _ detail: String? = nil) {
            add(.transition(from: from, to: to, reason: reason, detail: detail))
        }

        mutating func iteration(_ number: Int, cost: Double?) {
            add(.iterationStarted(number: number))
            add(.usage(TokenUsage(model: "claude-sonnet-4-5", tokensIn: 1200 * number, tokensOut: 300, costUSD: cost)), after: 4200)
        }
    }

    static func record(prompt: String = "fix add.sh so that it adds its two arguments.", mode: RunMode = .streamlined) -> RunRecord {
        RunRecord(
            id: run, prompt: prompt, mode: mode, baseCommit: base, taskBranch: "conductor/fix-add-sh-cb9c",
            provider: "anthropic", model: nil, createdAt: Timestamp(milliseconds: 1_790_000_000_000), machine: machine, toolVersion: "0.1.0"
        )
    }

    static func result(_ command: String, _ outcome: VerifyOutcome, output: String = "", passed: Int, failed: Int, attempt: Int = 1) -> CommandResult {
        CommandResult(
            command: command, attempt: attempt, exitCode: outcome == .passed ? 0 : 1, signal: nil, durationMilliseconds: 1800,
            timeoutMilliseconds: 600_000, timedOut: false,
            output: CapturedOutput(head: output, tail: "", omittedBytes: 0, totalBytes: output.utf8.count),
            counts: TestCounts(passed: passed, failed: failed, skipped: 0), outcome: outcome
        )
    }

    static let plan = Plan(spec: "add.sh prints the sum of its two arguments.", steps: [.init(description: "Make add.sh add", files: ["add.sh"])])
    static let changes = [RunDigest.FileChange(path: "add.sh", oldPath: nil, status: "modified", insertions: 1, deletions: 1, binary: false)]

    static func digest(
        record: RunRecord = record(), events: [Event], reports: [Int: BISTReport], plan: Plan? = plan, planMarkdown: String? = nil,
        verify: [String] = ["sh test.sh"]
    ) -> RunDigest {
        RunDigestAssembler(
            record: record, events: events, plan: plan, planMarkdown: planMarkdown, verifyCommands: verify,
            reports: reports, changes: changes, tipCommit: "6eda414aa896c6dee098bbd4f0d9cce92425b345", foundThrough: .argument
        ).digest()
    }

    /// Fail, repair, pass, in streamlined mode, with known costs.
    static var completed: RunDigest {
        var script = Script()
        script.move(nil, .precheck)
        script.move(.precheck, .planning)
        script.move(.planning, .building)
        script.iteration(1, cost: 0.0081)
        script.move(.building, .verifying, "commit b99fd9e")
        script.move(.verifying, .repairing, "fail: 1 of 3 tests")
        script.move(.repairing, .building)
        script.iteration(2, cost: 0.0093)
        script.move(.building, .verifying, "commit 6eda414")
        script.move(.verifying, .complete, "pass: 3 tests")
        return digest(events: script.events, reports: [
            1: BISTReport(results: [result("sh test.sh", .failed, output: "FAIL: add 2 3 gave 6, expected 5\n", passed: 2, failed: 1)]),
            2: BISTReport(results: [result("sh test.sh", .passed, passed: 3, failed: 0)]),
        ], planMarkdown: "# Plan\n\n- [x] 6eda414 Make add.sh add (`add.sh`)\n")
    }

    static var failed: RunDigest {
        var script = Script()
        script.move(nil, .precheck)
        script.move(.precheck, .building)
        for number in 1...3 {
            script.iteration(number, cost: 0.01)
            script.move(.building, .verifying, "commit abc000\(number)")
            script.move(.verifying, .repairing, "fail: 1 of 3 tests")
            if number < 3 { script.move(.repairing, .building) }
        }
        script.move(.repairing, .failed, reason: .loopDetected, "repeated attempt again after escalation (iteration 3)")
        let report = BISTReport(results: [result("sh test.sh", .failed, output: "FAIL: add 2 3 gave 6, expected 5\n  at test.sh:2\n", passed: 2, failed: 1)])
        return digest(record: record(mode: .fast), events: script.events, reports: [1: report, 2: report, 3: report], plan: nil)
    }

    static var flaky: RunDigest {
        var script = Script()
        script.move(nil, .precheck)
        script.move(.precheck, .building)
        script.iteration(1, cost: 0.02)
        script.move(.building, .verifying, "commit 6eda414")
        script.move(.verifying, .complete, "flaky: passed on re-run")
        let report = BISTReport(results: [
            result("swift test", .failed, output: "Test timedOut() failed\n", passed: 40, failed: 1),
            result("swift test", .flaky, passed: 41, failed: 0, attempt: 2),
        ])
        return digest(record: record(mode: .fast), events: script.events, reports: [1: report], plan: nil, verify: ["swift test"])
    }

    static var unknownCost: RunDigest {
        var script = Script()
        script.move(nil, .precheck)
        script.move(.precheck, .building)
        script.iteration(1, cost: nil)
        script.move(.building, .verifying, "commit 6eda414")
        script.move(.verifying, .complete, "pass: 3 tests")
        return digest(record: record(mode: .fast), events: script.events, reports: [1: BISTReport(results: [result("sh test.sh", .passed, passed: 3, failed: 0)])], plan: nil)
    }

    static let cases: [(name: String, digest: RunDigest)] = [
        ("completed", completed), ("failed", failed), ("flaky", flaky), ("unknown-cost", unknownCost),
    ]

    static func golden(_ name: String, _ actual: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/\(name)").path
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try actual.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOfFile: path, encoding: .utf8)
        #expect(actual == expected, "differs from Golden/\(name)", sourceLocation: sourceLocation)
    }

    @Test("Markdown matches the reviewed golden files", arguments: cases.indices)
    func markdown(index: Int) throws {
        let (name, digest) = Self.cases[index]
        try Self.golden("\(name).md", try PullRequestBody(redact: { $0 }).markdown(for: digest))
    }

    @Test("JSON matches the reviewed golden files and decodes back to the digest", arguments: cases.indices)
    func json(index: Int) throws {
        let (name, digest) = Self.cases[index]
        let json = try PullRequestBody(redact: { $0 }).json(for: digest)
        try Self.golden("\(name).json", json + "\n")
        #expect(try JSONDecoder().decode(RunDigest.self, from: Data(json.utf8)) == digest)
    }

    @Test("the digest folds iterations, verification history, flaky commands and unknown cost")
    func digestFacts() {
        let completed = Self.completed
        #expect(completed.iterations.map(\.outcome) == ["fail", "pass"])
        #expect(completed.iterations.map(\.commit) == ["b99fd9e", "6eda414"])
        #expect(completed.iterations.map(\.durationMilliseconds) == [6200, 5200], "from each iteration event to the next, or to the end")
        #expect(completed.verification.history == "failed 1 time, then passed")
        #expect(completed.plan.first?.status == .done && completed.plan.first?.commit == "6eda414")
        #expect(completed.costUSD.map { abs($0 - 0.0174) < 1e-9 } == true)
        #expect(Self.failed.verification.history == "failed 3 times")
        #expect(Self.failed.failureReason == .loopDetected)
        #expect(Self.flaky.verification.flakyCommands == ["swift test"])
        #expect(Self.flaky.verification.history == "passed on the first attempt (flaky: only on a re-run)")
        #expect(Self.unknownCost.costUSD == nil && Self.unknownCost.iterations.first?.costUSD == nil)
    }
}

extension PullRequestBodyTests {
    /// Lines outside fenced code blocks: where Markdown structure lives.
    static func structuralLines(_ markdown: String) -> [String] {
        var fence: String?
        var lines: [String] = []
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let ticks = String(line.prefix { $0 == "`" })
            if ticks.count >= 3 {
                if fence == nil { fence = ticks; continue }
                if ticks == fence, line.allSatisfy({ $0 == "`" }) { fence = nil; continue }
            }
            if fence == nil { lines.append(line) }
        }
        return lines
    }

    @Test("fences, HTML, mentions, issue references and an API key in recorded text cannot break or act through the body")
    func injection() throws {
        let key = "sk-ant-api03-" + String(repeating: "Q7x", count: 12)
        let nasty = "Fix it @octocat, fixes #12 <script>alert(1)</script> | ## Heading\n```\n## Not a heading\n```` key \(key)"
        var digest = Self.completed
        digest.prompt = nasty
        digest.title = RunDigestAssembler.title(for: nasty)
        digest.plan[0].description = nasty
        digest.failureDetail = nasty
        var last = try #require(digest.verification.last)
        last.results = [Self.result("sh test.sh", .failed, output: nasty + "\n```\n</details>\n", passed: 0, failed: 1)]
        last.outcome = .failed
        last.summary = nasty
        digest.verification.last = last
        digest.state = .failed
        digest.iterations[1].bist = nasty
        let redaction = SecretRedactor(environment: ["ANTHROPIC_API_KEY": key])
        let body = try PullRequestBody(redact: redaction.redact).markdown(for: digest)
        #expect(!body.contains(key) && body.contains("[REDACTED]"))
        let structure = Self.structuralLines(body)
        let headings = structure.filter { $0.hasPrefix("#") }
        #expect(headings == ["# Fix it @\u{200B}octocat, fixes \\#\u{200B}12 &lt;script&gt;alert(1)&lt;/script&gt; \\| \\#\\# Heading",
                             "## Summary", "## Plan", "## Changes", "## Verification", "## Iterations", "## Provenance"], "\(headings)")
        #expect(!structure.joined().contains("<script>"), "HTML outside code is escaped")
        #expect(!structure.joined().contains("@octocat"), "mentions are neutralised")
        #expect(!structure.joined().contains("#12"), "issue references are neutralised")
        #expect(structure.filter { $0 == "</details>" }.count == structure.filter { $0.hasPrefix("<details>") }.count)
        #expect(body.hasSuffix("<!-- conductor-run: \(Self.run) -->\n"))
    }

    @Test("200 iterations with huge outputs: under GitHub's limit, and the cut sections say so")
    func sizeLimit() throws {
        var digest = Self.failed
        let huge = String(repeating: "error: something went wrong in a very long line of output\n", count: 4000)
        var last = try #require(digest.verification.last)
        last.results = [Self.result("swift test", .failed, output: huge, passed: 10, failed: 90)]
        digest.verification.last = last
        digest.iterations = (1...200).map { number in
            RunDigest.Iteration(number: number, outcome: "fail", bist: "fail: 90 of 100 tests " + String(repeating: "x", count: 300),
                                tests: nil, commit: nil, tokensIn: 1000, tokensOut: 100, costUSD: 0.01, durationMilliseconds: 30_000)
        }
        digest.changes = (1...3000).map { RunDigest.FileChange(path: "Sources/Module\($0)/File\($0).swift", oldPath: nil, status: "added", insertions: $0, deletions: 0, binary: false) }
        let body = try PullRequestBody(redact: { $0 }).markdown(for: digest)
        #expect(body.count <= PullRequestBody.limit, "\(body.count) characters")
        #expect(body.contains("iterations are not listed to keep this body within GitHub's limit; `git conductor report \(Self.run)` lists them all"))
        #expect(body.contains("more files not listed"))
        #expect(body.contains("| 200 | fail |"), "the last iterations stay")
        #expect(body.hasSuffix("<!-- conductor-run: \(Self.run) -->\n"), "the marker survives")
    }

    @Test("a template that does not parse is refused with its path, line and column")
    func badTemplate() {
        #expect(throws: ConductorError.invalidTemplate(path: "pr.mustache", line: 2, column: 11, detail: "sectionCloseNameIncorrect")) {
            _ = try PullRequestBody(templateText: "{{title}}\n{{#a}}x{{/b}}\n", source: "pr.mustache", redact: { $0 })
        }
    }
}
