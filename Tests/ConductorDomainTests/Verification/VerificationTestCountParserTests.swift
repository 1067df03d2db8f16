import ConductorDomain
import Testing

@Suite("Verification: test counts from runner output")
struct VerificationTestCountParserTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let output: String
        let counts: TestCounts?
        let runners: [TestRunner]
        var testDescription: String { name }
    }

    static let fixtures: [Case] = [
        Case(
            name: "swift test, failing: XCTest and Swift Testing added",
            output: VerificationFixtures.swiftTestFailing,
            // XCTest: 4 run, 1 skipped, 1 failed. Swift Testing: 5, 1 skipped, 2 failed (3 issues).
            counts: TestCounts(passed: 4, failed: 3, skipped: 2, total: 9), runners: [.xctest, .swiftTesting]
        ),
        Case(
            name: "swift test, passing",
            output: VerificationFixtures.swiftTestPassing,
            counts: TestCounts(passed: 7, failed: 0, skipped: 2, total: 9), runners: [.xctest, .swiftTesting]
        ),
        Case(
            name: "pytest: failed and error are failures, skipped and xfailed are skips",
            output: VerificationFixtures.pytestFailing,
            counts: TestCounts(passed: 4, failed: 3, skipped: 2, total: 9), runners: [.pytest]
        ),
        Case(
            name: "pytest -q",
            output: VerificationFixtures.pytestQuiet,
            counts: TestCounts(passed: 4, failed: 3, skipped: 2, total: 9), runners: [.pytest]
        ),
        Case(
            name: "pytest: deselected tests are not counted",
            output: VerificationFixtures.pytestPassingWithDeselected,
            counts: TestCounts(passed: 4, failed: 0, skipped: 0, total: 4), runners: [.pytest]
        ),
        Case(
            name: "cargo test: one result line per test binary, added",
            output: VerificationFixtures.cargoTestFailing,
            counts: TestCounts(passed: 3, failed: 2, skipped: 1, total: 6), runners: [.cargoTest]
        ),
        Case(
            name: "go test -v: tests and subtests",
            output: VerificationFixtures.goTestVerbose,
            counts: TestCounts(passed: 3, failed: 3, skipped: 2, total: 8), runners: [.goTest]
        ),
        Case(
            name: "go test without -v counts packages",
            output: VerificationFixtures.goTestQuietFailing,
            counts: TestCounts(passed: 1, failed: 1, skipped: 0, total: 2), runners: [.goPackages]
        ),
        Case(
            name: "go test with a package that does not build",
            output: VerificationFixtures.goTestBuildFailed,
            counts: TestCounts(passed: 1, failed: 1, skipped: 0, total: 2), runners: [.goPackages]
        ),
        Case(
            name: "go test, all packages passing",
            output: VerificationFixtures.goTestQuietPassing,
            counts: TestCounts(passed: 2, failed: 0, skipped: 0, total: 2), runners: [.goPackages]
        ),
        Case(
            name: "output of no known runner",
            output: "Building for debugging...\nok then\nFAIL: something odd\n== 3 things in a list ==\nBuild complete!\n",
            counts: nil, runners: []
        ),
    ]

    @Test("parses realistic runner output", arguments: fixtures)
    func fixture(_ fixture: Case) {
        let parsed = TestCountParser.parse(fixture.output)
        #expect(parsed?.counts == fixture.counts)
        #expect(parsed?.runners ?? [] == fixture.runners)
    }

    @Test("fed in small chunks, the streaming analyzer finds the same counts", arguments: fixtures)
    func streaming(_ fixture: Case) {
        let bytes = Array(fixture.output.utf8)
        for chunkSize in [1, 7, 4096] {
            var analyzer = OutputAnalyzer()
            var start = 0
            while start < bytes.count {
                analyzer.feed(Array(bytes[start..<min(start + chunkSize, bytes.count)]))
                start += chunkSize
            }
            analyzer.finish()
            #expect(analyzer.counts == TestCountParser.parse(fixture.output), "chunks of \(chunkSize)")
        }
    }

    @Test("XCTest: only the outermost suite's line counts, and two runs add up")
    func xctestTopLevel() {
        let run = """
            Test Suite 'Selected tests' started at 2026-11-25 14:15:47.634
            Test Case 'A.testOne' failed (0.001 seconds)
            Test Suite 'A' failed at 2026-11-25 14:15:47.642
            \t Executed 3 tests, with 2 failures (0 unexpected) in 0.002 (0.002) seconds
            Test Suite 'Selected tests' failed at 2026-11-25 14:15:47.642
            \t Executed 3 tests, with 2 failures (0 unexpected) in 0.002 (0.002) seconds

            """
        // One test failed twice: failures count assertions, failed test cases count tests.
        #expect(TestCountParser.parse(run)?.counts == TestCounts(passed: 2, failed: 1, skipped: 0, total: 3))
        #expect(TestCountParser.parse(run + run)?.counts == TestCounts(passed: 4, failed: 2, skipped: 0, total: 6))
    }

    @Test("Swift Testing: singular wording and a run without failures")
    func swiftTestingSingular() {
        let output = "◇ Test run started.\n✔ Test only() passed after 0.001 seconds.\n✔ Test run with 1 test passed after 0.001 seconds.\n"
        #expect(TestCountParser.parse(output) == ParsedTestCounts(counts: TestCounts(passed: 1, failed: 0, skipped: 0), runners: [.swiftTesting]))
    }

    @Test("pytest: 'no tests ran' and long durations")
    func pytestEdges() {
        #expect(TestCountParser.parse("============================ no tests ran in 0.01s =============================\n")?.counts == .zero)
        #expect(TestCountParser.parse("=== 120 passed, 1 warning in 75.20s (0:01:15) ===\n")?.counts == TestCounts(passed: 120, failed: 0, skipped: 0))
        #expect(TestCountParser.parse("3 passed, 2 bananas in 0.1s\n") == nil)
    }

    @Test("coloured output is read once the escape codes are gone")
    func colours() {
        let output = "test result: \u{1B}[31mFAILED\u{1B}[0m. 3 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.02s\r\n"
        #expect(TestCountParser.parse(output)?.counts == TestCounts(passed: 3, failed: 1, skipped: 0))
    }
}
