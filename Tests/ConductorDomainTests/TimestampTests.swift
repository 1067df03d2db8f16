import ConductorDomain
import Foundation
import Testing

@Suite("Timestamp")
struct TimestampTests {
    /// Values checked against Python's proleptic-Gregorian `datetime`.
    static let known: [(Int64, String)] = [
        (0, "1970-01-01T00:00:00.000Z"),
        (1, "1970-01-01T00:00:00.001Z"),
        (-1, "1969-12-31T23:59:59.999Z"),
        (951_782_400_000, "2000-02-29T00:00:00.000Z"),          // leap day, century divisible by 400
        (1_709_251_199_999, "2024-02-29T23:59:59.999Z"),        // last millisecond of a leap day
        (4_107_542_400_000, "2100-03-01T00:00:00.000Z"),        // 2100 is not a leap year
        (-2_208_988_800_000, "1900-01-01T00:00:00.000Z"),
        (-2_077_725_600_000, "1904-02-29T06:00:00.000Z"),       // leap day before 1970
        (-11_670_953_103_211, "1600-02-29T12:34:56.789Z"),      // leap day four centuries back
        (-62_135_596_800_000, "0001-01-01T00:00:00.000Z"),
        (253_402_300_799_999, "9999-12-31T23:59:59.999Z"),
    ]

    @Test("formats and parses known instants", arguments: known)
    func roundTrip(milliseconds: Int64, text: String) throws {
        let timestamp = Timestamp(milliseconds: milliseconds)
        #expect(timestamp.description == text)
        let parsed = try #require(Timestamp(rfc3339: text))
        #expect(parsed.milliseconds == milliseconds)
    }

    @Test("every day from 1899 to 2101 round-trips, one instant per day")
    func dailyRoundTrip() {
        var failures: [String] = []
        var previous = ""
        let start: Int64 = -2_240_524_800_000  // 1899-01-01
        for day in Int64(0)..<(203 * 366) {
            let milliseconds = start + day * 86_400_000 + (day * 7_919_777) % 86_400_000
            let text = Timestamp(milliseconds: milliseconds).description
            if Timestamp(rfc3339: text)?.milliseconds != milliseconds { failures.append(text) }
            if previous >= text { failures.append("\(previous) sorts after \(text)") }
            previous = text
        }
        #expect(failures.isEmpty, "\(failures.prefix(10))")
        #expect(previous > "2101-12-31", "the loop must cover the whole range")
    }

    @Test("fractional seconds are optional and cut to milliseconds", arguments: [
        ("1970-01-01T00:00:01Z", Int64(1000)),
        ("1970-01-01T00:00:01.5Z", 1500),
        ("1970-01-01T00:00:01.05Z", 1050),
        ("1970-01-01T00:00:01.123456Z", 1123),
        ("1969-12-31T23:59:59Z", -1000),
        ("1970-01-01T00:00:60Z", 60_000),  // a leap second reads as the next minute
    ])
    func fractions(text: String, milliseconds: Int64) {
        #expect(Timestamp(rfc3339: text)?.milliseconds == milliseconds)
    }

    @Test("parsing rejects what is not an RFC 3339 UTC time", arguments: [
        "",
        "garbage",
        "1970-01-01",
        "1970-01-01T00:00:00",          // no zone
        "1970-01-01T00:00:00+00:00",    // only Z is written
        "1970-01-01 00:00:00Z",
        "1970/01/01T00:00:00Z",
        "1970-13-01T00:00:00Z",
        "1970-00-01T00:00:00Z",
        "1970-01-00T00:00:00Z",
        "1970-01-32T00:00:00Z",
        "1970-01-01T24:00:00Z",
        "1970-01-01T00:60:00Z",
        "1970-01-01T00:00:61Z",
        "1970-01-01T00:00:00.Z",
        "1970-01-01T00:00:00,5Z",
        "1970-01-01T00:00:00.5xZ",
        "197a-01-01T00:00:00Z",
        "-970-01-01T00:00:00Z",
        "1970-01-01T00:00:00ZZ",
        "1970-1-01T00:00:00.00Z",
    ])
    func rejectsGarbage(text: String) {
        #expect(Timestamp(rfc3339: text) == nil)
    }

    @Test("parsing rejects wrong time separators", arguments: [
        "1970-01-01T00x00x00Z",
        "1970-01-01T12-34-56Z",
        "1970-01-01T12:34.56Z",
    ])
    func rejectsWrongTimeSeparators(text: String) {
        #expect(Timestamp(rfc3339: text) == nil)
    }

    @Test("parsing rejects days that do not exist in their month", arguments: [
        "2023-02-29T00:00:00Z",
        "2023-02-30T00:00:00Z",
        "2100-02-29T00:00:00Z",
        "2024-04-31T00:00:00Z",
    ])
    func rejectsImpossibleDates(text: String) {
        #expect(Timestamp(rfc3339: text) == nil)
    }

    @Test("a leap day that exists parses", arguments: ["2024-02-29T00:00:00Z", "2000-02-29T00:00:00Z"])
    func acceptsRealLeapDays(text: String) {
        #expect(Timestamp(rfc3339: text) != nil)
    }

    @Test("a very long fraction is rejected or cut, never a crash")
    func longFractionDoesNotCrash() {
        // 19 digits overflow Int64 while parsing the fraction; a trap would kill any reader
        // of a state branch that holds such a time (it is plain text in an event file). Run
        // in-process: an exit test's child can go unnoticed once the test process has adopted
        // orphans as a child subreaper (ProcessGroupRunner), which hung the suite.
        let parsed = Timestamp(rfc3339: "1970-01-01T00:00:00.9999999999999999999Z")
        #expect(parsed == nil || parsed == Timestamp(milliseconds: 999))
    }

    @Test("JSON stores the RFC 3339 string and refuses other strings")
    func codable() throws {
        let value = Timestamp(milliseconds: 951_782_400_123)
        let data = try JSONEncoder().encode([value])
        #expect(String(decoding: data, as: UTF8.self) == #"["2000-02-29T00:00:00.123Z"]"#)
        #expect(try JSONDecoder().decode([Timestamp].self, from: data) == [value])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([Timestamp].self, from: Data(#"["yesterday"]"#.utf8))
        }
    }

    @Test("timestamps order by instant")
    func ordering() {
        #expect(Timestamp(milliseconds: -5) < Timestamp(milliseconds: 0))
        #expect(Timestamp(milliseconds: 0) < Timestamp(milliseconds: 1))
        #expect(!(Timestamp(milliseconds: 1) < Timestamp(milliseconds: 1)))
    }
}
