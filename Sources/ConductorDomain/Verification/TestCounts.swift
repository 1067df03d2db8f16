/// How many tests passed, failed and were skipped, as reported by a test runner or a JUnit file.
///
/// `total` is stored rather than derived: runners report it themselves, and it is the number
/// people compare across runs.
public struct TestCounts: Sendable, Equatable, Hashable, Codable {
    public var passed: Int
    /// Failed or errored tests (JUnit `<failure>` and `<error>`, pytest `failed` and `error`).
    public var failed: Int
    /// Skipped, ignored, disabled or expected-to-fail tests.
    public var skipped: Int
    public var total: Int

    public init(passed: Int, failed: Int, skipped: Int, total: Int? = nil) {
        self.passed = max(0, passed)
        self.failed = max(0, failed)
        self.skipped = max(0, skipped)
        self.total = max(0, total ?? passed + failed + skipped)
    }

    public static let zero = TestCounts(passed: 0, failed: 0, skipped: 0)

    /// Counts from two runners or commands, added.
    public static func + (lhs: TestCounts, rhs: TestCounts) -> TestCounts {
        TestCounts(
            passed: lhs.passed + rhs.passed, failed: lhs.failed + rhs.failed,
            skipped: lhs.skipped + rhs.skipped, total: lhs.total + rhs.total
        )
    }
}

/// Where a command's counts came from, so `bist.json` says how far to trust them.
public enum TestRunner: String, Codable, Sendable, CaseIterable {
    case xctest
    case swiftTesting = "swift-testing"
    case pytest
    /// `go test -v`: one `--- PASS/FAIL/SKIP` line per test and subtest.
    case goTest = "go-test"
    /// `go test` without `-v` prints no line for passing tests, only one per package, so the
    /// counts are packages, not tests.
    case goPackages = "go-packages"
    case cargoTest = "cargo-test"
    /// A JUnit XML file the command wrote.
    case junit
}
