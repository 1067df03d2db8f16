import ConductorDomain
import Foundation
import Testing

@Suite("Verification: BIST report, outcome and summary")
struct VerificationReportTests {
    static func result(
        _ command: String = "swift test", attempt: Int = 1, exit: Int32? = 0, signal: Int32? = nil,
        timeout: Int = 120_000, timedOut: Bool = false, counts: TestCounts? = nil, runners: [TestRunner] = [],
        outcome: VerifyOutcome = .passed, signature: String? = nil
    ) -> CommandResult {
        CommandResult(
            command: command, attempt: attempt, exitCode: exit, signal: signal, durationMilliseconds: 10,
            timeoutMilliseconds: timeout, timedOut: timedOut, output: .empty, counts: counts, countedBy: runners,
            outcome: outcome, failureSignature: signature.flatMap(FailureSignature.init)
        )
    }

    static let fortyTwo = TestCounts(passed: 42, failed: 0, skipped: 0)

    @Test("the note summary says what happened in one line", arguments: [
        ([result(counts: fortyTwo)], "pass (42 tests)"),
        ([result(counts: TestCounts(passed: 40, failed: 0, skipped: 2))], "pass (42 tests, 2 skipped)"),
        ([result(counts: TestCounts(passed: 1, failed: 0, skipped: 0))], "pass (1 test)"),
        ([result("make lint"), result(counts: fortyTwo)], "pass (42 tests)"),
        ([result()], "pass"),
        ([result(counts: TestCounts(passed: 3, failed: 0, skipped: 0), runners: [.goPackages])], "pass (3 packages)"),
        ([], "pass (no verify commands)"),
        ([result(exit: 1, counts: TestCounts(passed: 40, failed: 2, skipped: 0), outcome: .failed)], "fail: 2 of 42 tests"),
        ([result("swift build", exit: 1, outcome: .failed)], "fail: exit 1 from swift build"),
        ([result("./crash", exit: nil, signal: 11, outcome: .failed)], "fail: signal 11 from ./crash"),
        ([result(exit: nil, signal: 15, timedOut: true, outcome: .timedOut)], "timeout after 120 s (swift test)"),
        ([result(exit: nil, signal: 9, timeout: 1500, timedOut: true, outcome: .timedOut)], "timeout after 1.5 s (swift test)"),
        ([result(exit: 1, outcome: .failed), result(attempt: 2, outcome: .flaky)], "flaky: passed on re-run"),
        ([result(exit: 1, outcome: .failed), result(attempt: 2, counts: fortyTwo, outcome: .flaky)], "flaky: passed on re-run (42 tests)"),
        ([result("nosuchtool --check", exit: 127, outcome: .couldNotStart)], "could not start: nosuchtool --check"),
        ([result(String(repeating: "long ", count: 20), exit: 2, outcome: .failed)], "fail: exit 2 from long long long long long long long long…"),
    ] as [([CommandResult], String)])
    func summary(results: [CommandResult], expected: String) {
        #expect(BISTReport(results: results).summary == expected)
    }

    @Test("the overall outcome: the first failing command decides, a flaky pass is flagged")
    func outcome() {
        #expect(BISTReport(results: [Self.result(), Self.result("b")]).outcome == .passed)
        #expect(BISTReport(results: [Self.result(), Self.result("b", exit: 1, outcome: .failed)]).outcome == .failed)
        #expect(BISTReport(results: [Self.result(exit: 1, outcome: .failed), Self.result(attempt: 2, outcome: .flaky)]).outcome == .flaky)
        #expect(BISTReport(results: [Self.result(exit: 1, outcome: .failed), Self.result(attempt: 2, exit: 1, outcome: .failed)]).outcome == .failed)
        #expect(BISTReport(results: [Self.result("a", exit: 127, outcome: .couldNotStart), Self.result("b", exit: 1, outcome: .failed)]).outcome == .couldNotStart)
        #expect(BISTReport(results: [Self.result("a", exit: 1, outcome: .failed), Self.result("a", attempt: 2, outcome: .flaky), Self.result("b", timedOut: true, outcome: .timedOut)]).outcome == .timedOut)
    }

    @Test("counts come from the last attempt of each command, added")
    func counts() {
        let report = BISTReport(results: [
            Self.result("unit", exit: 1, counts: TestCounts(passed: 9, failed: 1, skipped: 0), outcome: .failed),
            Self.result("unit", attempt: 2, counts: TestCounts(passed: 10, failed: 0, skipped: 0), outcome: .flaky),
            Self.result("integration", counts: TestCounts(passed: 4, failed: 0, skipped: 1)),
        ])
        #expect(report.counts == TestCounts(passed: 14, failed: 0, skipped: 1))
        #expect(report.summary == "flaky: passed on re-run (15 tests, 1 skipped)")
    }

    @Test("the failure signature is the failing command's; a flaky pass keeps its failed attempt's")
    func signature() {
        let failed = Self.result(exit: 1, outcome: .failed, signature: "00000000000000aa")
        #expect(BISTReport(results: [failed]).failureSignature?.rawValue == "00000000000000aa")
        #expect(BISTReport(results: [failed, Self.result(attempt: 2, outcome: .flaky)]).failureSignature?.rawValue == "00000000000000aa")
        #expect(BISTReport(results: [Self.result()]).failureSignature == nil)
        let two = BISTReport(results: [failed, Self.result("b", exit: 1, outcome: .failed, signature: "00000000000000bb")])
        #expect(two.failureSignature != nil && two.failureSignature?.rawValue != "00000000000000aa")
    }

    @Test("bist.json uses snake_case keys and reads back to the same report")
    func json() throws {
        let report = BISTReport(
            results: [Self.result(exit: 1, counts: TestCounts(passed: 40, failed: 2, skipped: 0), runners: [.swiftTesting], outcome: .failed, signature: "0123456789abcdef")],
            notRun: ["make lint"], startedAt: Timestamp(milliseconds: 1_764_079_200_000), durationMilliseconds: 1234
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = String(decoding: try encoder.encode(report), as: UTF8.self)
        for key in ["\"started_at\":\"2025-11-25T14:00:00.000Z\"", "\"duration_ms\":1234", "\"not_run\":[\"make lint\"]",
                    "\"failure_signature\":\"0123456789abcdef\"", "\"exit_code\":1", "\"timed_out\":false",
                    "\"timeout_ms\":120000", "\"counted_by\":[\"swift-testing\"]", "\"omitted_bytes\":0",
                    "\"outcome\":\"failed\"", "\"summary\":\"fail: 2 of 42 tests\"", "\"format\":1"] {
            #expect(text.contains(key), "\(key) in \(text)")
        }
        #expect(!text.contains("\"signal\""), "absent values are left out")
        #expect(try JSONDecoder().decode(BISTReport.self, from: Data(text.utf8)) == report)
    }

    @Test("the summary goes into the git note's BIST line")
    func note() {
        let report = BISTReport(results: [Self.result(counts: Self.fortyTwo)])
        let note = ConductorNote(runID: RunID("01hf7yat00abcdefghjkmnpqrs")!, iteration: 2, bist: report.summary)
        #expect(note.text.contains("\nBIST: pass (42 tests)\n"))
    }

    @Test("a command's outcome follows its exit status, signal, timeout and counts", arguments: [
        (Int32?(0), Int32?.none, false, TestCounts?.none, VerifyOutcome.passed, false),
        (1, nil, false, nil, .failed, false),
        (nil, 9, false, nil, .failed, false),
        (nil, 15, true, nil, .timedOut, false),
        (127, nil, false, nil, .couldNotStart, true),
        (126, nil, false, nil, .couldNotStart, true),
        (0, nil, false, TestCounts(passed: 3, failed: 2, skipped: 0), .failed, true),
        (0, nil, false, TestCounts(passed: 3, failed: 0, skipped: 1), .passed, false),
    ] as [(Int32?, Int32?, Bool, TestCounts?, VerifyOutcome, Bool)])
    func classify(exit: Int32?, signal: Int32?, timedOut: Bool, counts: TestCounts?, expected: VerifyOutcome, hasNote: Bool) {
        let (outcome, note) = VerifyOutcome.classify(exitCode: exit, signal: signal, timedOut: timedOut, counts: counts)
        #expect(outcome == expected)
        #expect((note != nil) == hasNote)
    }

    @Test("a JUnit path must stay inside the worktree", arguments: [
        ("reports/junit.xml", true), ("junit.xml", true), ("/tmp/junit.xml", false), ("../junit.xml", false),
        ("a/../../b.xml", false), ("./junit.xml", false), ("", false),
    ] as [(String, Bool)])
    func junitPath(path: String, contained: Bool) {
        #expect(VerifyCommand("x", junitPath: path).junitPathIsContained == contained)
    }
}
