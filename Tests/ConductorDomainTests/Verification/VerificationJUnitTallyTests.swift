import ConductorDomain
import Testing

@Suite("Verification: JUnit counting rules")
struct VerificationJUnitTallyTests {
    /// A tiny event list: "<name a=b" opens, "/name" closes.
    static func tally(_ events: [String]) -> TestCounts? {
        var tally = JUnitTally()
        for event in events {
            if event.hasPrefix("/") {
                tally.end(String(event.dropFirst()))
            } else {
                let parts = event.split(separator: " ")
                var attributes: [String: String] = [:]
                for pair in parts.dropFirst() {
                    let keyValue = pair.split(separator: "=", maxSplits: 1)
                    attributes[String(keyValue[0])] = String(keyValue[1])
                }
                tally.start(String(parts[0]), attributes: attributes)
            }
        }
        return tally.counts
    }

    @Test("test cases are classified by their children, however many")
    func testCases() {
        let counts = Self.tally([
            "testsuites tests=99", "testsuite tests=99 failures=99",
            "testcase", "/testcase",
            "testcase", "failure", "/failure", "failure", "/failure", "/testcase",
            "testcase", "error", "/error", "/testcase",
            "testcase", "skipped", "/skipped", "/testcase",
            "testcase", "system-out", "/system-out", "/testcase",
            "/testsuite", "/testsuites",
        ])
        #expect(counts == TestCounts(passed: 2, failed: 2, skipped: 1))
    }

    @Test("without test cases, the outermost totals are used")
    func attributesOnly() {
        #expect(Self.tally(["testsuites tests=10 failures=2 errors=1 skipped=3", "/testsuites"])
            == TestCounts(passed: 4, failed: 3, skipped: 3, total: 10))
        // No <testsuites> root: outermost suites are added, nested ones are not counted twice.
        #expect(Self.tally([
            "testsuite tests=5 failures=1", "testsuite tests=5 failures=1", "/testsuite", "/testsuite",
            "testsuite tests=2 skipped=1", "/testsuite",
        ]) == TestCounts(passed: 5, failed: 1, skipped: 1, total: 7))
    }

    @Test("namespace prefixes are ignored, failures outside a test case are not counted")
    func namespaces() {
        #expect(Self.tally(["j:testsuite", "j:testcase", "j:failure", "/j:failure", "/j:testcase", "failure", "/failure", "/j:testsuite"])
            == TestCounts(passed: 0, failed: 1, skipped: 0))
    }

    @Test("an empty report has zero tests; other XML has none")
    func emptyAndForeign() {
        #expect(Self.tally(["testsuites", "/testsuites"]) == .zero)
        #expect(Self.tally(["html", "body", "/body", "/html"]) == nil)
    }
}
