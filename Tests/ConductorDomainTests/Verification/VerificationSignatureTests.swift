import ConductorDomain
import Testing

@Suite("Verification: output normalization and failure signatures")
struct VerificationSignatureTests {
    @Test("normalizes what changes between runs", arguments: [
        ("2026-11-25T14:15:47.634Z error: boom", "<time> error: boom"),
        ("2026-11-25T14:15:47+02:00 error: boom", "<time> error: boom"),
        ("Test Suite 'All tests' failed at 2026-11-25 14:15:47.634", "Test Suite 'All tests' failed at <time>"),
        ("[14:15:47] ERROR something", "[<time>] ERROR something"),
        ("Date: Tue, 25 Nov 2026 14:15:47 GMT", "Date: <time>"),
        ("Nov 25 14:15:47 host app[123]: failed", "<time> host app[#]: failed"),
        ("crash at 0x00007ffd5fbff8c0 in main", "crash at 0x# in main"),
        ("error: commit 9fceb02d0ae598e95dc970b74767f19372d61af8 not found", "error: commit <hex> not found"),
        ("request 3f2504e0-4f89-11d3-9a0c-0305e82c3301 failed", "request <uuid> failed"),
        ("/tmp/conductor-x1/Sources/App/Parser.swift:12:5: error: oops", "Parser.swift:#:#: error: oops"),
        ("error: cannot open '/home/ci/work/.build/debug/App'", "error: cannot open 'App'"),
        ("error: open ~/Library/Caches/thing.db", "error: open thing.db"),
        ("see src/lib.rs:12:26", "see src/lib.rs:#:#"),
        ("--- FAIL: TestSub (0.00s)", "--- FAIL: TestSub (<duration>)"),
        ("took 12 ms, then 3.5s, then (1.23 seconds), then 10µs", "took <duration>, then <duration>, then (<duration>), then <duration>"),
        ("Executed 4 tests, with 1 test skipped and 1 failure (0 unexpected) in 0.002 (0.002) seconds",
         "Executed # test, with # test skipped and # failure (# unexpected) in # (#) seconds"),
        ("expected test42 to equal utf8", "expected test42 to equal utf8"),
        ("created tmpa1b2c3d4 and tmp.Xy12Ab9Q", "created <tmp> and <tmp>"),
        ("thread 'tests::fails' (8601) panicked at src/lib.rs:12:26:", "thread 'tests::fails' (#) panicked at src/lib.rs:#:#:"),
        ("ratio 3/4 of a 64bit word", "ratio #/# of a #bit word"),
        ("  lots   of\tspace  ", "lots of space"),
        ("// a comment, not a path", "// a comment, not a path"),
    ] as [(String, String)])
    func normalize(line: String, expected: String) {
        #expect(OutputNormalizer.normalize(line) == expected)
    }

    static func signature(_ output: String, command: String = "swift test", outcome: VerifyOutcome = .failed) -> FailureSignature {
        FailureSignature.of(outcome: outcome, command: command, output: output)
    }

    @Test("outputs that differ only in volatile parts have the same signature", arguments: [
        ("2026-11-25T14:15:47.634Z error: connection refused\n", "2027-01-02T03:04:05.000Z error: connection refused\n"),
        ("Fatal error: Unexpectedly found nil at 0x00007ffd5fbff8c0\n", "Fatal error: Unexpectedly found nil at 0x00005581aa01b2c0\n"),
        ("/tmp/conductor-1a2b/Sources/App/Parser.swift:12:5: error: cannot find 'x' in scope\n",
         "/home/ci/work/Sources/App/Parser.swift:14:5: error: cannot find 'x' in scope\n"),
        ("--- FAIL: TestSub (0.00s)\n    math_test.go:14: Sub(3, 1) = 1; want 2\nFAIL\texample.com/calc\t0.004s\n",
         "--- FAIL: TestSub (1.25s)\n    math_test.go:14: Sub(3, 1) = 1; want 2\nFAIL\texample.com/calc\t2.917s\n"),
        ("thread 'tests::fails' (8601) panicked at src/lib.rs:12:26:\nassertion `left == right` failed\n",
         "thread 'tests::fails' (16190) panicked at src/lib.rs:12:26:\nassertion `left == right` failed\n"),
        ("error: cannot read /tmp/tmpa1b2c3d4/data.json\n", "error: cannot read /tmp/tmpzz9y8x7w/data.json\n"),
        ("error: request 3f2504e0-4f89-11d3-9a0c-0305e82c3301 failed\n", "error: request 6ba7b810-9dad-11d1-80b4-00c04fd430c8 failed\n"),
        ("error: commit 9fceb02d0ae598e95dc970b74767f19372d61af8 missing\n", "error: commit 0123456789abcdef0123456789abcdef01234567 missing\n"),
        ("Date: Tue, 25 Nov 2026 14:15:47 GMT error 503\n", "Date: Wed, 26 Nov 2026 09:01:02 GMT error 503\n"),
        ("error:   value   mismatch\n", "error: value mismatch\n"),
        // Parallel runners print failures in any order, and repeat them.
        ("✘ Test a() failed after 0.001 seconds with 1 issue.\n✘ Test b() failed after 0.002 seconds with 2 issues.\n",
         "✘ Test b() failed after 0.020 seconds with 2 issues.\n✘ Test a() failed after 0.011 seconds with 1 issue.\n✘ Test a() failed after 0.011 seconds with 1 issue.\n"),
        // Lines that say nothing about the failure do not count when failure lines exist.
        ("Compiling App main.swift\nerror: oops\n", "Compiling App other.swift\nLinking App\nerror: oops\n"),
        // Without any failure line, the tail stands in.
        ("step 1 of 3 at 14:15:47\nstep 3 of 3 done in 12ms\n", "step 2 of 7 at 09:01:02\nstep 3 of 3 done in 480ms\n"),
    ] as [(String, String)])
    func sameSignature(first: String, second: String) {
        #expect(Self.signature(first) == Self.signature(second))
    }

    @Test("a different failure has a different signature", arguments: [
        (#"XCTests.swift:5: error: ArithmeticXCTests.testAddFails : XCTAssertEqual failed: ("4") is not equal to ("5")"#,
         #"XCTests.swift:5: error: ArithmeticXCTests.testSubFails : XCTAssertEqual failed: ("4") is not equal to ("5")"#),
        ("Parser.swift:12:5: error: cannot find 'x' in scope", "Parser.swift:12:5: error: cannot find 'y' in scope"),
        ("Parser.swift:12:5: error: cannot find 'x' in scope", "Lexer.swift:12:5: error: cannot find 'x' in scope"),
        ("✘ Test a() recorded an issue at T.swift:8:30: Expectation failed: (add(0, 0) → 0) == 1",
         "✘ Test a() recorded an issue at T.swift:8:30: Expectation failed: (sub(0, 0) → 0) == 1"),
        ("error: oops", "error: oops\nerror: and another"),
    ] as [(String, String)])
    func differentSignature(first: String, second: String) {
        #expect(Self.signature(first) != Self.signature(second))
    }

    @Test("the command and the outcome are part of the signature")
    func commandAndOutcome() {
        let output = "error: oops\n"
        #expect(Self.signature(output, command: "swift test") != Self.signature(output, command: "swift build"))
        #expect(Self.signature(output, outcome: .failed) != Self.signature(output, outcome: .timedOut))
    }

    @Test("real runs of the same failure at different times agree")
    func realOutput() {
        let first = VerificationFixtures.cargoTestFailing
        let second = first.replacingAll("(16190)", with: "(23)").replacingAll("finished in 0.00s", with: "finished in 4.20s")
            .replacingAll("rs-a35a48c092d3f767", with: "rs-0f1e2d3c4b5a6978")
        #expect(first != second)
        #expect(Self.signature(first, command: "cargo test") == Self.signature(second, command: "cargo test"))
        let otherAssertion = first.replacingAll("failed: two and two", with: "failed: sums differ")
        #expect(Self.signature(first, command: "cargo test") != Self.signature(otherAssertion, command: "cargo test"))
    }

    @Test("signatures are 64-bit FNV-1a in 16 lowercase hex digits")
    func fnv() throws {
        // Published FNV-1a 64-bit test vectors.
        #expect(FNV1a64.hash("") == 0xCBF2_9CE4_8422_2325)
        #expect(FNV1a64.hash("a") == 0xAF63_DC4C_8601_EC8C)
        #expect(FNV1a64.hash("foobar") == 0x8594_4171_F739_67E8)
        let signature = Self.signature("error: x\n")
        #expect(signature.rawValue.count == 16)
        #expect(FailureSignature(signature.rawValue) == signature)
        #expect(FailureSignature("ABCDEF0123456789") == nil)
        #expect(FailureSignature("abc") == nil)
        // Fixed forever: a change here breaks comparisons with signatures already stored.
        #expect(FailureSignature.of(outcome: .failed, command: "swift test", lines: ["error: x"]).rawValue
            == String(FNV1a64.hash("failed\nswift test\nerror: x"), radix: 16).leftPadded(to: 16))
    }

    @Test("failure lines are recognised by their words, in any case")
    func failureLines() {
        for line in ["error: x", "FAILED test_x", "AssertionError", "thread panicked", "Fatal error", "✘ Test", "Segmentation fault (core dumped)"] {
            #expect(FailureLineCollector.indicatesFailure(line), "\(line)")
        }
        for line in ["Compiling App", "ok  \texample.com/x\t0.1s", "Build complete!", "✔ Test run with 5 tests passed"] {
            #expect(!FailureLineCollector.indicatesFailure(line), "\(line)")
        }
    }

    @Test("memory is bounded however many failure lines there are")
    func bounded() {
        var collector = FailureLineCollector(maximumLines: 10, tailLines: 3)
        for number in 0..<10_000 { collector.consume("error: case_\(String(number, radix: 26)) failed") }
        #expect(collector.signatureLines.count == 10)
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound] + replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }

    func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
