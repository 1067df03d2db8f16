/// Counts tests in a JUnit XML report from its elements, as an XML parser reports them.
///
/// The XML itself is read in ConductorKit (Foundation's `XMLParser`); the rules live here so
/// they are tested with plain values. JUnit has no single schema, and generators disagree on
/// the summary attributes (Swift Testing's `--xunit-output` writes `failures` as the number of
/// issues and leaves skipped tests out of `tests`), so counting `<testcase>` elements wins:
/// a test case with a `<failure>` or `<error>` child failed, one with `<skipped>` was skipped,
/// any other passed, however many children it has. Only a report without any test case falls
/// back to the `tests`/`failures`/`errors`/`skipped` attributes of the outermost
/// `<testsuites>`, or else the sum over the outermost `<testsuite>` elements.
public struct JUnitTally: Sendable {
    private var path: [String] = []
    private var sawReport = false
    private var passed = 0, failed = 0, skipped = 0
    private var caseFailed = false, caseSkipped = false
    private var rootTotals: TestCounts?
    private var suiteTotals: TestCounts?

    public init() {}

    /// An element opened. `name` may carry a namespace prefix; only the local name counts.
    public mutating func start(_ name: String, attributes: [String: String]) {
        let local = Self.localName(name)
        switch local {
        case "testsuites":
            sawReport = true
            if path.isEmpty { rootTotals = Self.totals(attributes) }
        case "testsuite":
            sawReport = true
            if !path.contains("testsuite"), let totals = Self.totals(attributes) {
                suiteTotals = (suiteTotals ?? .zero) + totals
            }
        case "testcase":
            sawReport = true
            caseFailed = false
            caseSkipped = false
        case "failure", "error":
            if path.last == "testcase" { caseFailed = true }
        case "skipped":
            if path.last == "testcase" { caseSkipped = true }
        default:
            break
        }
        path.append(local)
    }

    public mutating func end(_ name: String) {
        let local = Self.localName(name)
        if local == "testcase" {
            if caseFailed {
                failed += 1
            } else if caseSkipped {
                skipped += 1
            } else {
                passed += 1
            }
        }
        if let last = path.lastIndex(of: local) { path.removeSubrange(last...) }
    }

    /// The report's counts; nil when no `testsuites`, `testsuite` or `testcase` element was seen.
    public var counts: TestCounts? {
        guard sawReport else { return nil }
        if passed + failed + skipped > 0 { return TestCounts(passed: passed, failed: failed, skipped: skipped) }
        return rootTotals ?? suiteTotals ?? .zero
    }

    static func totals(_ attributes: [String: String]) -> TestCounts? {
        func value(_ key: String) -> Int? { attributes[key].flatMap { Int($0.filter { $0 != " " }) } }
        func number(_ key: String) -> Int { value(key) ?? 0 }
        guard let tests = value("tests") else { return nil }
        let failed = number("failures") + number("errors")
        let skipped = number("skipped") + number("disabled")
        return TestCounts(passed: tests - failed - skipped, failed: failed, skipped: skipped, total: tests)
    }

    static func localName(_ name: String) -> String {
        guard let colon = name.lastIndex(of: ":") else { return name }
        return String(name[name.index(after: colon)...])
    }
}
