import ConductorDomain
import ConductorKit
import ConductorTesting
import Foundation
import Testing

@Suite("Verification: JUnit XML files")
struct VerificationJUnitReaderTests {
    @Test("Swift Testing's file: test cases counted, its inconsistent totals ignored")
    func swiftTesting() throws {
        // The file says tests="4" failures="3" (issues); its test cases say 5 tests, 2 failed.
        let counts = try JUnitReader.counts(in: Data(VerificationJUnitFixtures.swiftTestingJUnit.utf8))
        #expect(counts == TestCounts(passed: 2, failed: 2, skipped: 1, total: 5))
    }

    @Test("pytest's file: errors are failures, skips and xfails are skipped")
    func pytest() throws {
        let worktree = try TemporaryDirectory(prefix: "conductor-junit")
        let path = worktree.appending("junit.xml")
        try VerificationJUnitFixtures.pytestJUnit.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try JUnitReader.counts(atPath: path) == TestCounts(passed: 4, failed: 3, skipped: 2, total: 9))
    }

    @Test("a summary-only file uses the totals; entities and CDATA are fine")
    func totalsOnly() throws {
        let xml = """
            <?xml version="1.0"?>
            <testsuites name="a &amp; b" tests="12" failures="1" errors="1" skipped="2">
              <testsuite name="x" tests="12"><system-out><![CDATA[<testcase> in text is not an element]]></system-out></testsuite>
            </testsuites>
            """
        #expect(try JUnitReader.counts(in: Data(xml.utf8)) == TestCounts(passed: 8, failed: 2, skipped: 2, total: 12))
    }

    @Test("malformed XML, other XML and a missing file are errors")
    func errors() throws {
        #expect {
            try JUnitReader.counts(in: Data("<testsuite><testcase></testsuite>".utf8), path: "r.xml")
        } throws: { error in
            guard case .malformed(path: "r.xml", _, _)? = error as? JUnitError else { return false }
            return true
        }
        #expect(throws: JUnitError.notJUnit(path: "r.xml")) {
            try JUnitReader.counts(in: Data("<html><body/></html>".utf8), path: "r.xml")
        }
        #expect {
            try JUnitReader.counts(atPath: "/nonexistent/junit.xml")
        } throws: { error in
            guard case .unreadable(path: "/nonexistent/junit.xml", _)? = error as? JUnitError else { return false }
            return true
        }
    }
}
