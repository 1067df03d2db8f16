/// Test counts found in a command's output, and which runners reported them.
public struct ParsedTestCounts: Sendable, Equatable {
    public var counts: TestCounts
    /// Every runner whose summary was found, in a fixed order. `swift test` reports through
    /// both XCTest and Swift Testing; their counts are added.
    public var runners: [TestRunner]

    public init(counts: TestCounts, runners: [TestRunner]) {
        self.counts = counts
        self.runners = runners
    }
}

/// Reads test counts from the output of `swift test` (XCTest and Swift Testing), pytest,
/// `go test` and `cargo test`, one line at a time.
///
/// It is fed every line as the command runs (see ``LineSplitter``), not the kept head and tail
/// of the output, so counts that come from one line per test stay exact however long the
/// output grows. A verify command may run several runners or the same runner several times
/// (`cargo test` prints one result line per test binary); their counts are added.
public struct TestCountParser: Sendable {
    private var xctest = XCTestTally()
    private var swiftTesting = SwiftTestingTally()
    private var pytest = PytestTally()
    private var go = GoTestTally()
    private var cargo = CargoTestTally()

    public init() {}

    /// Reads one line of output (without its newline).
    public mutating func consume(_ line: String) {
        // Byte checks first: this runs for every line of outputs that can have millions.
        let utf8 = line.utf8
        var start = utf8.startIndex
        while start != utf8.endIndex, utf8[start] == UInt8(ascii: " ") || utf8[start] == UInt8(ascii: "\t") {
            utf8.formIndex(after: &start)
        }
        guard start != utf8.endIndex else { return }
        let first = utf8[start]
        let trimmed = line[start...]
        switch first {
        case UInt8(ascii: "T"):
            xctest.consume(trimmed)
            cargo.consume(trimmed)
        case UInt8(ascii: "E"):
            xctest.consume(trimmed)
        case UInt8(ascii: "-"), UInt8(ascii: "="):
            go.consumeTestLine(trimmed)
            pytest.consume(trimmed)
        case UInt8(ascii: "o"), UInt8(ascii: "F"), UInt8(ascii: "?"):
            go.consumePackageLine(trimmed)
        case UInt8(ascii: "t"):
            cargo.consume(trimmed)
        default:
            break
        }
        if first >= 0x80 { swiftTesting.consume(trimmed) }
        if first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9") || first == UInt8(ascii: "n") {
            pytest.consume(trimmed)
        }
    }

    /// The counts of every runner seen, added; nil when no known summary appeared.
    public var result: ParsedTestCounts? {
        var total: TestCounts?
        var runners: [TestRunner] = []
        let found: [(TestRunner, TestCounts?)] = [
            (.xctest, xctest.counts), (.swiftTesting, swiftTesting.counts), (.pytest, pytest.counts),
            (go.countsArePackages ? .goPackages : .goTest, go.counts), (.cargoTest, cargo.counts),
        ]
        for case let (runner, counts?) in found {
            total = (total ?? .zero) + counts
            runners.append(runner)
        }
        return total.map { ParsedTestCounts(counts: $0, runners: runners) }
    }

    /// The counts in a whole output.
    public static func parse(_ output: String) -> ParsedTestCounts? {
        var parser = TestCountParser()
        for line in LineSplitter.lines(of: output) { parser.consume(line) }
        return parser.result
    }
}

// MARK: - Runners

/// XCTest prints `Executed N tests, with [K tests skipped and] M failures (U unexpected) in …`
/// after every suite; the one after `Test Suite 'All tests'` (or `'Selected tests'` with
/// `--filter`) is the run's total. `M` counts failed assertions, not tests, so failed tests are
/// counted from `Test Case '…' failed (…)` lines.
private struct XCTestTally: Sendable {
    private var topLevel: TestCounts?
    private var lastExecuted: TestCounts?
    private var nextIsTopLevel = false
    private var failedCases = 0
    private var failureCount = 0

    mutating func consume(_ line: Substring) {
        if line.hasPrefix("Test Suite '") {
            nextIsTopLevel = (line.hasPrefix("Test Suite 'All tests' ") || line.hasPrefix("Test Suite 'Selected tests' "))
                && (line.contains("' passed at ") || line.contains("' failed at "))
        } else if line.hasPrefix("Test Case '") {
            if line.contains("' failed (") { failedCases += 1 }
        } else if line.hasPrefix("Executed "), let executed = Self.executed(line) {
            lastExecuted = executed.counts
            if nextIsTopLevel {
                topLevel = (topLevel ?? .zero) + executed.counts
                failureCount += executed.failures
            }
            nextIsTopLevel = false
        }
    }

    var counts: TestCounts? {
        guard let basis = topLevel ?? lastExecuted else { return nil }
        let runnable = basis.total - basis.skipped
        let failed = min(runnable, failedCases > 0 ? failedCases : min(failureCount, runnable))
        return TestCounts(passed: runnable - failed, failed: failed, skipped: basis.skipped, total: basis.total)
    }

    /// Parses `Executed 4 tests, with 1 test skipped and 1 failure (0 unexpected) in …`.
    static func executed(_ line: Substring) -> (counts: TestCounts, failures: Int)? {
        var scanner = TextScanner(line)
        guard scanner.skip("Executed "), let total = scanner.integer(),
              scanner.skip(" test"), scanner.skip(to: ", with "), let first = scanner.integer()
        else { return nil }
        var skipped = 0
        var failures = first
        if scanner.skip(" test skipped and ") || scanner.skip(" tests skipped and ") {
            skipped = first
            guard let count = scanner.integer() else { return nil }
            failures = count
        }
        guard scanner.skip(" failure") else { return nil }
        return (TestCounts(passed: total - skipped, failed: 0, skipped: skipped, total: total), failures)
    }
}

/// Swift Testing ends with `✘ Test run with N tests in S suites failed after … with K issues.`
/// (`✔ … passed after …`). `K` counts issues, not tests, so failed and skipped tests are
/// counted from their own lines: `✘ Test name() failed after …`, `➜ Test name() skipped…`.
private struct SwiftTestingTally: Sendable {
    private var total = 0
    private var sawRun = false
    private var failed = 0
    private var skipped = 0

    mutating func consume(_ line: Substring) {
        // Every event line starts with a symbol (◇ ✔ ✘ ➜ ↳, or SF Symbols on macOS) and a space.
        guard let space = line.firstIndex(of: " ") else { return }
        let body = line[line.index(after: space)...]
        guard body.hasPrefix("Test ") else { return }
        if body.hasPrefix("Test run with ") {
            var scanner = TextScanner(body)
            if scanner.skip("Test run with "), let count = scanner.integer(), scanner.skip(" test") {
                total += count
                sawRun = true
            }
        } else if body.hasPrefix("Test case ") {
            return
        } else if body.contains(" failed after ") {
            failed += 1
        } else if body.hasSuffix(" skipped.") || body.hasSuffix(" skipped") || body.contains(" skipped: ") {
            skipped += 1
        }
    }

    var counts: TestCounts? {
        guard sawRun else { return nil }
        let failedTests = min(failed, total)
        let skippedTests = min(skipped, total - failedTests)
        return TestCounts(passed: total - failedTests - skippedTests, failed: failedTests, skipped: skippedTests, total: total)
    }
}

/// pytest ends with `==== 2 failed, 4 passed, 1 skipped, 1 xfailed, 1 error in 0.87s ====`
/// (without the `=` rule under `-q`), or `no tests ran in 0.01s`.
private struct PytestTally: Sendable {
    private var sum: TestCounts?

    mutating func consume(_ line: Substring) {
        if let counts = Self.summary(line) { sum = (sum ?? .zero) + counts }
    }

    var counts: TestCounts? { sum }

    static func summary(_ line: Substring) -> TestCounts? {
        // The line ends with the duration (`0.87s`, `(0:01:15)`) and maybe a `=` rule.
        let ending = line.utf8.reversed().first { $0 != UInt8(ascii: "=") && $0 != UInt8(ascii: " ") }
        guard ending == UInt8(ascii: "s") || ending == UInt8(ascii: ")") else { return nil }
        var text = line
        while let first = text.first, first == "=" || first == " " { text = text.dropFirst() }
        while let last = text.last, last == "=" || last == " " { text = text.dropLast() }
        // The duration: `in 0.87s`, and after a minute also `(0:01:02)`.
        if text.hasSuffix(")"), let open = text.lastIndex(of: "(") {
            text = text[..<open]
            while text.last == " " { text = text.dropLast() }
        }
        guard text.hasSuffix("s"), let inRange = text.lastRange(of: " in ") else { return nil }
        let seconds = text[inRange.upperBound...].dropLast()
        guard !seconds.isEmpty, seconds.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }) else { return nil }
        let items = text[..<inRange.lowerBound]
        if items == "no tests ran" { return .zero }
        var passed = 0, failed = 0, skipped = 0
        for item in items.split(separator: ",") {
            let parts = item.split(separator: " ")
            guard parts.count == 2, let count = Int(parts[0]) else { return nil }
            switch parts[1] {
            case "passed", "xpassed": passed += count
            case "failed", "error", "errors": failed += count
            case "skipped", "xfailed": skipped += count
            case "deselected", "warning", "warnings", "rerun", "reruns", "subtests": break
            default: return nil
            }
        }
        return TestCounts(passed: passed, failed: failed, skipped: skipped)
    }
}

/// `go test -v` prints `--- PASS: TestName (0.00s)` (and `FAIL`, `SKIP`) for every test and
/// subtest; without `-v` only failures get such a line, so then packages are counted instead:
/// `ok  	example.com/pkg	0.012s` and `FAIL	example.com/pkg	0.012s`.
private struct GoTestTally: Sendable {
    private var verbose = false
    private var passed = 0, failed = 0, skipped = 0
    private var packagesPassed = 0, packagesFailed = 0

    mutating func consumeTestLine(_ line: Substring) {
        if line.hasPrefix("=== RUN ") {
            verbose = true
        } else if line.hasPrefix("--- PASS: ") {
            passed += 1
        } else if line.hasPrefix("--- FAIL: ") {
            failed += 1
        } else if line.hasPrefix("--- SKIP: ") {
            skipped += 1
        }
    }

    mutating func consumePackageLine(_ line: Substring) {
        let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard fields.count >= 3 else { return }
        let detail = fields[2]
        let looksLikeResult = detail == "(cached)" || detail.hasPrefix("[")
            || (detail.hasSuffix("s") && detail.first?.isNumber == true)
        guard looksLikeResult else { return }
        switch fields[0] {
        case "ok": packagesPassed += 1
        case "FAIL": packagesFailed += 1
        default: break
        }
    }

    /// Whether the counts are packages: no line per passing test was printed.
    var countsArePackages: Bool {
        !(verbose || passed > 0) && packagesPassed + packagesFailed > 0
    }

    var counts: TestCounts? {
        if countsArePackages {
            return TestCounts(passed: packagesPassed, failed: packagesFailed, skipped: 0)
        }
        guard passed + failed + skipped > 0 || verbose else { return nil }
        return TestCounts(passed: passed, failed: failed, skipped: skipped)
    }
}

/// `cargo test` prints `test result: FAILED. 1 passed; 2 failed; 1 ignored; 0 measured; 0 filtered
/// out; finished in 0.13s` once per test binary (unit tests, each integration test, doc tests).
private struct CargoTestTally: Sendable {
    private var sum: TestCounts?

    mutating func consume(_ line: Substring) {
        guard line.hasPrefix("test result: ") else { return }
        let body = line.dropFirst("test result: ".count)
        guard let period = body.firstIndex(of: "."), ["ok", "FAILED"].contains(body[..<period]) else { return }
        var passed = 0, failed = 0, ignored = 0
        for item in body[body.index(after: period)...].split(separator: ";") {
            let parts = item.split(separator: " ")
            guard parts.count >= 2, let count = Int(parts[0]) else { continue }
            switch parts[1] {
            case "passed": passed = count
            case "failed": failed = count
            case "ignored": ignored = count
            default: break
            }
        }
        sum = (sum ?? .zero) + TestCounts(passed: passed, failed: failed, skipped: ignored)
    }

    var counts: TestCounts? { sum }
}

/// A cursor over one line, for the fixed phrases runners print.
struct TextScanner {
    private var rest: Substring

    init(_ text: Substring) { rest = text }

    /// Consumes `literal` when the text continues with it.
    mutating func skip(_ literal: String) -> Bool {
        guard rest.hasPrefix(literal) else { return false }
        rest = rest.dropFirst(literal.count)
        return true
    }

    /// Consumes everything up to and including the next `literal`.
    mutating func skip(to literal: String) -> Bool {
        guard let range = rest.firstRange(of: literal) else { return false }
        rest = rest[range.upperBound...]
        return true
    }

    /// Consumes a non-negative decimal number (at most 18 digits, so it cannot overflow).
    mutating func integer() -> Int? {
        let digits = rest.prefix(while: { $0.isASCII && $0.isNumber })
        guard !digits.isEmpty, digits.count <= 18, let value = Int(digits) else { return nil }
        rest = rest.dropFirst(digits.count)
        return value
    }
}

extension Substring {
    /// The last occurrence of `literal`, searching from the end.
    func lastRange(of literal: String) -> Range<Index>? {
        let needle = Array(literal.utf8)
        let bytes = Array(utf8)
        guard !needle.isEmpty, bytes.count >= needle.count else { return nil }
        var start = bytes.count - needle.count
        while start >= 0 {
            if bytes[start..<start + needle.count].elementsEqual(needle) {
                let lower = utf8.index(utf8.startIndex, offsetBy: start)
                return lower..<utf8.index(lower, offsetBy: needle.count)
            }
            start -= 1
        }
        return nil
    }
}
