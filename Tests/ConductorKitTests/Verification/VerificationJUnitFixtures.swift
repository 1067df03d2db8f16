/// JUnit XML files written by real runners, for the reader's tests.
enum VerificationJUnitFixtures {
    /// `swift test --xunit-output` (Swift Testing's file) for the failing run: `tests` and `failures` disagree with the test cases.
    static let swiftTestingJUnit = #"""
<?xml version="1.0" encoding="UTF-8"?>
<testsuites>
  <testsuite name="TestResults" errors="0" tests="4" failures="3" skipped="1" time="0.002652285">
    <testcase classname="LibTests.ArithmeticTests" name="adds()" time="0.001406905" />
    <testcase classname="LibTests.ArithmeticTests" name="positive(n:)" time="0.00151519" />
    <testcase classname="LibTests.ArithmeticTests" name="alsoFails()" time="0.001582778" >
      <failure message="Expectation failed: (add(0, 0) &#8594; 0) == 1 (error)" />
    </testcase>
    <testcase classname="LibTests.ArithmeticTests" name="disabled()" >
      <skipped>not yet</skipped>
    </testcase>
    <testcase classname="LibTests.ArithmeticTests" name="addsWrongly()" time="0.001659573" >
      <failure message="Expectation failed: (add(2, 2) &#8594; 4) == 5 (error)" />
      <failure message="Expectation failed: (add(1, 1) &#8594; 2) == 3 (error)" />
    </testcase>
  </testsuite>
</testsuites>
"""#

    /// `pytest --junitxml` for the failing run.
    static let pytestJUnit = #"""
<?xml version="1.0" encoding="utf-8"?><testsuites name="pytest tests"><testsuite name="pytest" errors="1" failures="2" skipped="2" tests="9" time="0.029" timestamp="2026-11-25T14:16:29.426549+00:00" hostname="vm"><testcase classname="test_sample" name="test_add" time="0.000" /><testcase classname="test_sample" name="test_fails" time="0.000"><failure message="assert [1, 2] == [1, 3]&#10;  &#10;  At index 1 diff: 2 != 3&#10;  Use -v to get more diff">def test_fails():
&gt;       assert [1, 2] == [1, 3]
E       assert [1, 2] == [1, 3]
E         
E         At index 1 diff: 2 != 3
E         Use -v to get more diff

test_sample.py:7: AssertionError</failure></testcase><testcase classname="test_sample" name="test_skipped" time="0.000"><skipped type="pytest.skip" message="later">/tmp/bistfx/py/test_sample.py:9: later</skipped></testcase><testcase classname="test_sample" name="test_xfail" time="0.000"><skipped type="pytest.xfail" message="" /></testcase><testcase classname="test_sample" name="test_param[1]" time="0.000" /><testcase classname="test_sample" name="test_param[2]" time="0.000" /><testcase classname="test_sample" name="test_param[3]" time="0.000" /><testcase classname="test_sample" name="test_error" time="0.000"><error message="failed on setup with &quot;RuntimeError: fixture exploded&quot;">@pytest.fixture
    def broken():
&gt;       raise RuntimeError("fixture exploded")
E       RuntimeError: fixture exploded

test_sample.py:23: RuntimeError</error></testcase><testcase classname="test_sample" name="test_raises" time="0.000"><failure message="KeyError: 'missing'">def test_raises():
        d = {}
&gt;       d["missing"]
E       KeyError: 'missing'

test_sample.py:30: KeyError</failure></testcase></testsuite></testsuites>
"""#
}
