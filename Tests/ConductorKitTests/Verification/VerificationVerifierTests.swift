import ConductorDomain
import ConductorKit
import ConductorTesting
import Foundation
import Testing

@Suite("Verification: the verifier")
struct VerificationVerifierTests {
    struct FixedClock: ConductorKit.Clock {
        func now() -> Timestamp { Timestamp(milliseconds: 1_764_079_200_000) }
    }

    static func verifier(rerun: Bool = false, stopAtFirstFailure: Bool = true, head: Int = 16 * 1024, tail: Int = 64 * 1024) -> ProcessVerifier {
        ProcessVerifier(
            options: VerifyOptions(
                rerunOnFailure: rerun, stopAtFirstFailure: stopAtFirstFailure,
                gracePeriod: VerificationProcesses.grace, headBytes: head, tailBytes: tail
            ),
            environment: VerificationProcesses.environment, clock: FixedClock()
        )
    }

    static let cargoPass = #"printf 'test result: ok. 5 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s\n'"#

    @Test("a passing command: counts parsed from its output, a one-line summary")
    func passing() throws {
        let worktree = try TemporaryDirectory(prefix: "conductor-verify")
        let report = Self.verifier().verify([VerifyCommand(Self.cargoPass, timeoutMilliseconds: 5000)], in: worktree.path)
        #expect(report.outcome == .passed)
        #expect(report.summary == "pass (6 tests, 1 skipped)")
        #expect(report.counts == TestCounts(passed: 5, failed: 0, skipped: 1))
        #expect(report.failureSignature == nil)
        #expect(report.startedAt == FixedClock().now())
        let result = try #require(report.results.first)
        #expect(result.exitCode == 0 && result.signal == nil && !result.timedOut)
        #expect(result.countedBy == [.cargoTest])
        #expect(result.output.head.hasPrefix("test result: ok."))
    }

    @Test("a failing command: its exit status, a failure signature, and the commands after it not run")
    func failing() throws {
        let worktree = try TemporaryDirectory(prefix: "conductor-verify")
        let commands = [VerifyCommand("echo 'error: something broke'; exit 1"), VerifyCommand("echo never"), VerifyCommand("true")]
        let report = Self.verifier().verify(commands, in: worktree.path)
        #expect(report.outcome == .failed)
        #expect(report.results.count == 1)
        #expect(report.notRun == ["echo never", "true"])
        #expect(report.summary == "fail: exit 1 from echo 'error: something broke'; exit 1")
        let signature = try #require(report.failureSignature)
        #expect(report.results[0].failureSignature == signature)
        // The same failure in another worktree, later, has the same signature.
        let otherWorktree = try TemporaryDirectory(prefix: "conductor-verify")
        let again = Self.verifier().verify(commands, in: otherWorktree.path)
        #expect(again.failureSignature == signature)

        let all = Self.verifier(stopAtFirstFailure: false).verify(commands, in: worktree.path)
        #expect(all.results.map(\.outcome) == [.failed, .passed, .passed])
        #expect(all.outcome == .failed)
    }

    static let flakyCommand = "if [ -f .marker ]; then echo ok; else touch .marker; echo 'error: first run fails'; exit 1; fi"

    @Test("failing, then passing on re-run, is flaky and never a plain pass")
    func flaky() throws {
        let worktree = try TemporaryDirectory(prefix: "conductor-verify")
        let report = Self.verifier(rerun: true).verify([VerifyCommand(Self.flakyCommand)], in: worktree.path)
        #expect(report.results.map(\.outcome) == [.failed, .flaky])
        #expect(report.results.map(\.attempt) == [1, 2])
        #expect(report.outcome == .flaky)
        #expect(report.summary == "flaky: passed on re-run")
        #expect(report.failureSignature != nil)
        #expect(report.failureSignature == report.results[0].failureSignature)

        // Without re-runs the same command is a plain failure.
        let otherWorktree = try TemporaryDirectory(prefix: "conductor-verify")
        let once = Self.verifier().verify([VerifyCommand(Self.flakyCommand)], in: otherWorktree.path)
        #expect(once.outcome == .failed)
        #expect(once.results.count == 1)
    }

    @Test("a command failing twice stays failed")
    func failsTwice() throws {
        let worktree = try TemporaryDirectory(prefix: "conductor-verify")
        let report = Self.verifier(rerun: true).verify([VerifyCommand("exit 2")], in: worktree.path)
        #expect(report.results.map(\.outcome) == [.failed, .failed])
        #expect(report.outcome == .failed)
    }

    @Test("a timeout is reported with its limit")
    func timeout() throws {
        let worktree = try TemporaryDirectory(prefix: "conductor-verify")
        let report = Self.verifier(rerun: true).verify([VerifyCommand("sleep 1000", timeoutMilliseconds: 300)], in: worktree.path)
        #expect(report.outcome == .timedOut)
        #expect(report.results.count == 1, "timeouts are not re-run")
        #expect(report.results[0].timedOut)
        #expect(report.results[0].signal == 15)
        #expect(report.summary == "timeout after 0.3 s (sleep 1000)")
    }

    @Test("a command that cannot start: missing worktree, or a program the shell cannot find")
    func couldNotStart() throws {
        let missing = Self.verifier().verify([VerifyCommand("true")], in: "/nonexistent/worktree")
        #expect(missing.outcome == .couldNotStart)
        #expect(missing.results[0].problems.contains { $0.contains("/nonexistent/worktree") })
        #expect(missing.failureSignature != nil)

        let worktree = try TemporaryDirectory(prefix: "conductor-verify")
        let notFound = Self.verifier().verify([VerifyCommand("no-such-tool-for-conductor --check")], in: worktree.path)
        #expect(notFound.outcome == .couldNotStart)
        #expect(notFound.results[0].exitCode == 127)
        #expect(notFound.summary == "could not start: no-such-tool-for-conductor --check")
    }

    @Test("exit status 0 with failed tests in the output is a failure")
    func countsOverrideExitStatus() throws {
        let worktree = try TemporaryDirectory(prefix: "conductor-verify")
        let command = #"printf 'test result: FAILED. 1 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s\n'"#
        let report = Self.verifier().verify([VerifyCommand(command)], in: worktree.path)
        #expect(report.outcome == .failed)
        #expect(report.summary == "fail: 2 of 3 tests")
        #expect(report.results[0].problems == ["exit status 0, but 2 of 3 tests failed"])
    }

    @Test("counts come from the JUnit file the command wrote")
    func junit() throws {
        let worktree = try TemporaryDirectory(prefix: "conductor-verify")
        try VerificationJUnitFixtures.pytestJUnit.write(toFile: worktree.appending("fixture.xml"), atomically: true, encoding: .utf8)
        let command = VerifyCommand(
            "mkdir -p reports && cp fixture.xml reports/junit.xml && echo '3 failed, 4 passed in 0.1s' && exit 1",
            junitPath: "reports/junit.xml"
        )
        let report = Self.verifier().verify([command], in: worktree.path)
        #expect(report.results[0].countedBy == [.junit])
        #expect(report.counts == TestCounts(passed: 4, failed: 3, skipped: 2, total: 9))
        #expect(report.summary == "fail: 3 of 9 tests")
        #expect(report.results[0].problems.isEmpty)
    }

    @Test("a JUnit file this run did not write is not used")
    func staleJUnit() throws {
        let worktree = try TemporaryDirectory(prefix: "conductor-verify")
        try FileManager.default.createDirectory(atPath: worktree.appending("reports"), withIntermediateDirectories: true)
        try VerificationJUnitFixtures.pytestJUnit.write(toFile: worktree.appending("reports/junit.xml"), atomically: true, encoding: .utf8)
        let report = Self.verifier().verify([VerifyCommand(Self.cargoPass, junitPath: "reports/junit.xml")], in: worktree.path)
        #expect(report.outcome == .passed)
        #expect(report.results[0].countedBy == [.cargoTest])
        #expect(report.results[0].problems == ["the JUnit file reports/junit.xml was not written by this run; counts come from the output"])

        let broken = Self.verifier().verify([VerifyCommand("echo '<testsuite' > junit.xml", junitPath: "junit.xml")], in: worktree.path)
        #expect(broken.results[0].counts == nil)
        #expect(broken.results[0].problems.first?.contains("not well-formed XML") == true)

        let outside = Self.verifier().verify([VerifyCommand("true", junitPath: "../junit.xml")], in: worktree.path)
        #expect(outside.results[0].problems.first?.contains("inside the worktree") == true)
    }

    @Test("the report keeps the head and tail of a large output")
    func boundedOutput() throws {
        let worktree = try TemporaryDirectory(prefix: "conductor-verify")
        let report = Self.verifier(head: 100, tail: 100).verify([VerifyCommand(#"head -c 300000 /dev/zero | tr '\0' y"#)], in: worktree.path)
        let output = report.results[0].output
        #expect(output.totalBytes == 300_000)
        #expect(output.omittedBytes == 300_000 - 200)
        #expect(output.head == String(repeating: "y", count: 100))
        #expect(output.tail == String(repeating: "y", count: 100))
    }

    @Test("bist.json: written like every state document, read back the same")
    func bistJSON() throws {
        let worktree = try TemporaryDirectory(prefix: "conductor-verify")
        let report = Self.verifier(rerun: true).verify([VerifyCommand(Self.flakyCommand), VerifyCommand(Self.cargoPass)], in: worktree.path)
        let bytes = report.jsonBytes
        #expect(bytes.last == UInt8(ascii: "\n"))
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains(#""summary" : "flaky: passed on re-run (6 tests, 1 skipped)""#))
        #expect(text.contains(#""omitted_bytes" : 0"#))
        #expect(try BISTReport.decode(bytes) == report)
        #expect(BISTReport.artifactPath(iteration: 3) == "iterations/3/bist.json")
        #expect(throws: ConductorError.self) { try BISTReport.decode(Array(#"{"format": 99}"#.utf8)) }
    }
}
