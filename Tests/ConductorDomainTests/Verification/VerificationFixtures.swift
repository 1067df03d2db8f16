/// Outputs of real test runners, captured from the tools (versions noted) or, for go, written
/// to the format its documentation describes. Shared by the parser and signature tests.
enum VerificationFixtures {
    /// `swift test` (Swift 6.3.1, Linux) on a package with XCTest and Swift Testing tests, some failing.
    static let swiftTestFailing = #"""
[0/1] Planning build
Building for debugging...
[0/2] Write swift-version-6A52383ED409C6A7.txt
Build complete! (0.12s)
Test Suite 'All tests' started at 2026-11-25 14:15:47.634
Test Suite 'debug.xctest' started at 2026-11-25 14:15:47.640
Test Suite 'ArithmeticXCTests' started at 2026-11-25 14:15:47.640
Test Case 'ArithmeticXCTests.testAdd' started at 2026-11-25 14:15:47.640
Test Case 'ArithmeticXCTests.testAdd' passed (0.001 seconds)
Test Case 'ArithmeticXCTests.testAddFails' started at 2026-11-25 14:15:47.641
/tmp/bistfx/swiftpkg/Tests/LibTests/XCTests.swift:5: error: ArithmeticXCTests.testAddFails : XCTAssertEqual failed: ("4") is not equal to ("5") - two and two
Test Case 'ArithmeticXCTests.testAddFails' failed (0.0 seconds)
Test Case 'ArithmeticXCTests.testAnother' started at 2026-11-25 14:15:47.641
Test Case 'ArithmeticXCTests.testAnother' passed (0.0 seconds)
Test Case 'ArithmeticXCTests.testSkipped' started at 2026-11-25 14:15:47.641
/tmp/bistfx/swiftpkg/Tests/LibTests/XCTests.swift:6: ArithmeticXCTests.testSkipped : Test skipped - not on Linux
Test Case 'ArithmeticXCTests.testSkipped' skipped (0.0 seconds)
Test Suite 'ArithmeticXCTests' failed at 2026-11-25 14:15:47.642
	 Executed 4 tests, with 1 test skipped and 1 failure (0 unexpected) in 0.002 (0.002) seconds
Test Suite 'debug.xctest' failed at 2026-11-25 14:15:47.642
	 Executed 4 tests, with 1 test skipped and 1 failure (0 unexpected) in 0.002 (0.002) seconds
Test Suite 'All tests' failed at 2026-11-25 14:15:47.642
	 Executed 4 tests, with 1 test skipped and 1 failure (0 unexpected) in 0.002 (0.002) seconds
◇ Test run started.
↳ Testing Library Version: 6.3.1 (937120cbc281cf2)
↳ Target Platform: x86_64-unknown-linux-gnu
◇ Suite ArithmeticTests started.
◇ Test positive(n:) started.
➜ Test disabled() skipped: "not yet"
◇ Test addsWrongly() started.
◇ Test alsoFails() started.
◇ Test adds() started.
◇ Test case passing 1 argument n → 2 to positive(n:) started.
◇ Test case passing 1 argument n → 1 to positive(n:) started.
◇ Test case passing 1 argument n → 3 to positive(n:) started.
✘ Test alsoFails() recorded an issue at SwiftTests.swift:8:30: Expectation failed: (add(0, 0) → 0) == 1
✘ Test addsWrongly() recorded an issue at SwiftTests.swift:5:32: Expectation failed: (add(2, 2) → 4) == 5
✘ Test addsWrongly() recorded an issue at SwiftTests.swift:5:58: Expectation failed: (add(1, 1) → 2) == 3
✔ Test positive(n:) with 3 test cases passed after 0.001 seconds.
✘ Test alsoFails() failed after 0.001 seconds with 1 issue.
✘ Test addsWrongly() failed after 0.001 seconds with 2 issues.
✔ Test adds() passed after 0.001 seconds.
✘ Suite ArithmeticTests failed after 0.001 seconds with 3 issues.
✘ Test run with 5 tests in 1 suite failed after 0.002 seconds with 3 issues.
"""#

    /// The same package after the fixes, with `CI=true`.
    static let swiftTestPassing = #"""
[0/1] Planning build
Building for debugging...
[0/3] Write sources
[1/3] Write swift-version-6A52383ED409C6A7.txt
[3/7] Emitting module LibTests
[4/7] Compiling LibTests SwiftTests.swift
[5/8] Compiling LibTests XCTests.swift
[6/9] /tmp/bistfx/swiftpkg/.build/x86_64-unknown-linux-gnu/debug/LibPackageDiscoveredTests.derived/all-discovered-tests.swift
[7/10] Write sources
[9/12] Compiling LibPackageDiscoveredTests LibTests.swift
[10/12] Emitting module LibPackageDiscoveredTests
[11/13] Compiling LibPackageDiscoveredTests all-discovered-tests.swift
[12/14] Write Objects.LinkFileList
[13/14] Linking LibPackageTests.xctest
Build complete! (1.03s)
Test Suite 'All tests' started at 2026-11-25 14:15:53.709
Test Suite 'debug.xctest' started at 2026-11-25 14:15:53.711
Test Suite 'ArithmeticXCTests' started at 2026-11-25 14:15:53.711
Test Case 'ArithmeticXCTests.testAdd' started at 2026-11-25 14:15:53.711
Test Case 'ArithmeticXCTests.testAdd' passed (0.001 seconds)
Test Case 'ArithmeticXCTests.testAddFails' started at 2026-11-25 14:15:53.712
Test Case 'ArithmeticXCTests.testAddFails' passed (0.0 seconds)
Test Case 'ArithmeticXCTests.testAnother' started at 2026-11-25 14:15:53.712
Test Case 'ArithmeticXCTests.testAnother' passed (0.0 seconds)
Test Case 'ArithmeticXCTests.testSkipped' started at 2026-11-25 14:15:53.712
/tmp/bistfx/swiftpkg/Tests/LibTests/XCTests.swift:6: ArithmeticXCTests.testSkipped : Test skipped - not on Linux
Test Case 'ArithmeticXCTests.testSkipped' skipped (0.0 seconds)
Test Suite 'ArithmeticXCTests' passed at 2026-11-25 14:15:53.712
	 Executed 4 tests, with 1 test skipped and 0 failures (0 unexpected) in 0.001 (0.001) seconds
Test Suite 'debug.xctest' passed at 2026-11-25 14:15:53.712
	 Executed 4 tests, with 1 test skipped and 0 failures (0 unexpected) in 0.001 (0.001) seconds
Test Suite 'All tests' passed at 2026-11-25 14:15:53.712
	 Executed 4 tests, with 1 test skipped and 0 failures (0 unexpected) in 0.001 (0.001) seconds
◇ Test run started.
↳ Testing Library Version: 6.3.1 (937120cbc281cf2)
↳ Target Platform: x86_64-unknown-linux-gnu
◇ Suite ArithmeticTests started.
◇ Test positive(n:) started.
◇ Test adds() started.
➜ Test disabled() skipped: "not yet"
◇ Test alsoFails() started.
◇ Test addsWrongly() started.
◇ Test case passing 1 argument n → 1 to positive(n:) started.
◇ Test case passing 1 argument n → 2 to positive(n:) started.
◇ Test case passing 1 argument n → 3 to positive(n:) started.
✔ Test adds() passed after 0.001 seconds.
✔ Test positive(n:) with 3 test cases passed after 0.001 seconds.
✔ Test alsoFails() passed after 0.001 seconds.
✔ Test addsWrongly() passed after 0.001 seconds.
✔ Suite ArithmeticTests passed after 0.001 seconds.
✔ Test run with 5 tests in 1 suite passed after 0.001 seconds.
"""#

    /// pytest 9 with failures, an error in a fixture, a skip and an xfail.
    static let pytestFailing = #"""
============================= test session starts ==============================
platform linux -- Python 3.11.7, pytest-9.0.3, pluggy-1.6.0
benchmark: 5.2.3 (defaults: timer=time.perf_counter disable_gc=False min_rounds=5 min_time=0.000005 max_time=1.0 calibration_precision=10 warmup=False warmup_iterations=100000)
rootdir: /tmp/bistfx/py
plugins: hypothesis-6.155.2, benchmark-5.2.3
collected 9 items

test_sample.py .Fsx...EF                                                 [100%]

==================================== ERRORS ====================================
_________________________ ERROR at setup of test_error _________________________

    @pytest.fixture
    def broken():
>       raise RuntimeError("fixture exploded")
E       RuntimeError: fixture exploded

test_sample.py:23: RuntimeError
=================================== FAILURES ===================================
__________________________________ test_fails __________________________________

    def test_fails():
>       assert [1, 2] == [1, 3]
E       assert [1, 2] == [1, 3]
E         
E         At index 1 diff: 2 != 3
E         Use -v to get more diff

test_sample.py:7: AssertionError
_________________________________ test_raises __________________________________

    def test_raises():
        d = {}
>       d["missing"]
E       KeyError: 'missing'

test_sample.py:30: KeyError
=========================== short test summary info ============================
FAILED test_sample.py::test_fails - assert [1, 2] == [1, 3]
FAILED test_sample.py::test_raises - KeyError: 'missing'
ERROR test_sample.py::test_error - RuntimeError: fixture exploded
========== 2 failed, 4 passed, 1 skipped, 1 xfailed, 1 error in 0.87s ==========
"""#

    /// The same run under `pytest -q`.
    static let pytestQuiet = #"""
.Fsx...EF                                                                [100%]
==================================== ERRORS ====================================
_________________________ ERROR at setup of test_error _________________________

    @pytest.fixture
    def broken():
>       raise RuntimeError("fixture exploded")
E       RuntimeError: fixture exploded

test_sample.py:23: RuntimeError
=================================== FAILURES ===================================
__________________________________ test_fails __________________________________

    def test_fails():
>       assert [1, 2] == [1, 3]
E       assert [1, 2] == [1, 3]
E         
E         At index 1 diff: 2 != 3
E         Use -v to get more diff

test_sample.py:7: AssertionError
_________________________________ test_raises __________________________________

    def test_raises():
        d = {}
>       d["missing"]
E       KeyError: 'missing'

test_sample.py:30: KeyError
=========================== short test summary info ============================
FAILED test_sample.py::test_fails - assert [1, 2] == [1, 3]
FAILED test_sample.py::test_raises - KeyError: 'missing'
ERROR test_sample.py::test_error - RuntimeError: fixture exploded
2 failed, 4 passed, 1 skipped, 1 xfailed, 1 error in 0.58s
"""#

    /// pytest with `-k`: some tests deselected.
    static let pytestPassingWithDeselected = #"""
============================= test session starts ==============================
platform linux -- Python 3.11.7, pytest-9.0.3, pluggy-1.6.0
benchmark: 5.2.3 (defaults: timer=time.perf_counter disable_gc=False min_rounds=5 min_time=0.000005 max_time=1.0 calibration_precision=10 warmup=False warmup_iterations=100000)
rootdir: /tmp/bistfx/py
plugins: hypothesis-6.155.2, benchmark-5.2.3
collected 9 items / 5 deselected / 4 selected

test_sample.py ....                                                      [100%]

======================= 4 passed, 5 deselected in 0.86s ========================
"""#

    /// `cargo test --no-fail-fast` (cargo 1.95): unit tests failing, an integration test and a doc test passing.
    static let cargoTestFailing = #"""
    Finished `test` profile [unoptimized + debuginfo] target(s) in 0.01s
     Running unittests src/lib.rs (target/debug/deps/rs-a35a48c092d3f767)

running 4 tests
test tests::adds ... ok
test tests::fails ... FAILED
test tests::slow ... ignored
test tests::panics ... FAILED

failures:

---- tests::fails stdout ----

thread 'tests::fails' (16190) panicked at src/lib.rs:12:26:
assertion `left == right` failed: two and two
  left: 4
 right: 5
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace

---- tests::panics stdout ----

thread 'tests::panics' (16191) panicked at src/lib.rs:14:61:
index out of bounds: the len is 0 but the index is 3


failures:
    tests::fails
    tests::panics

test result: FAILED. 1 passed; 2 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.00s

error: test failed, to rerun pass `--lib`
     Running tests/integration.rs (target/debug/deps/integration-31a69c2f8c13c266)

running 1 test
test integration_ok ... ok

test result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s

   Doc-tests rs

running 1 test
test src/lib.rs - add (line 3) ... ok

test result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s

all doctests ran in 1.03s; merged doctests compilation took 1.01s
error: 1 target failed:
    `--lib`
"""#

    /// `go test -v ./...` in the format cmd/go documents: subtests indented under their parent, one package failing.
    static let goTestVerbose = #"""
=== RUN   TestAdd
--- PASS: TestAdd (0.00s)
=== RUN   TestSub
    math_test.go:14: Sub(3, 1) = 1; want 2
--- FAIL: TestSub (0.00s)
=== RUN   TestParse
=== RUN   TestParse/empty
=== RUN   TestParse/spaces
    parse_test.go:27: Parse("  ") returned error: unexpected end of input
=== RUN   TestParse/unicode
    parse_test.go:31: needs ICU
--- FAIL: TestParse (0.00s)
    --- PASS: TestParse/empty (0.00s)
    --- FAIL: TestParse/spaces (0.00s)
    --- SKIP: TestParse/unicode (0.00s)
=== RUN   TestNetwork
    net_test.go:9: skipping network test in short mode
--- SKIP: TestNetwork (0.00s)
FAIL
FAIL	example.com/calc	0.004s
=== RUN   TestFormat
--- PASS: TestFormat (0.00s)
PASS
ok  	example.com/calc/format	0.002s
?   	example.com/calc/cmd/calc	[no test files]
FAIL
"""#

    /// `go test ./...` without `-v`: only the failing test gets a line.
    static let goTestQuietFailing = #"""
--- FAIL: TestSub (0.00s)
    math_test.go:14: Sub(3, 1) = 1; want 2
FAIL
FAIL	example.com/calc	0.004s
ok  	example.com/calc/format	(cached)
?   	example.com/calc/cmd/calc	[no test files]
FAIL
"""#

    /// `go test ./...` when a test file does not compile.
    static let goTestBuildFailed = #"""
# example.com/calc [example.com/calc.test]
./math_test.go:14:9: undefined: Subtract
FAIL	example.com/calc [build failed]
ok  	example.com/calc/format	0.002s
FAIL
"""#

    /// `go test -cover ./...`, all passing.
    static let goTestQuietPassing = #"""
ok  	example.com/calc	0.004s
ok  	example.com/calc/format	0.002s	coverage: 81.2% of statements
?   	example.com/calc/cmd/calc	[no test files]
"""#
}
