/// A point in wall-clock time, in whole milliseconds since the Unix epoch (UTC).
///
/// Wall-clock time is for display only; order between events comes from ``EventStamp``.
/// Stored as an RFC 3339 string (`2026-11-25T13:07:48.123Z`) so state files stay readable.
public struct Timestamp: Hashable, Comparable, Sendable, TextCodable, CustomStringConvertible {
    public static let codingName = "RFC 3339 UTC time"

    public let milliseconds: Int64

    public init(milliseconds: Int64) {
        self.milliseconds = milliseconds
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.milliseconds < rhs.milliseconds }

    /// `YYYY-MM-DDTHH:MM:SS.mmmZ`.
    public var description: String {
        let (days, dayMilliseconds) = milliseconds.floorDivided(by: 86_400_000)
        let (year, month, day) = Self.civil(fromDays: days)
        let seconds = dayMilliseconds / 1000
        return "\(Self.pad(year, 4))-\(Self.pad(month, 2))-\(Self.pad(day, 2))T"
            + "\(Self.pad(seconds / 3600, 2)):\(Self.pad(seconds / 60 % 60, 2)):\(Self.pad(seconds % 60, 2))."
            + "\(Self.pad(dayMilliseconds % 1000, 3))Z"
    }

    /// Parses the form written by ``description``; fractional seconds are optional and any
    /// digits past milliseconds are ignored. Rejects impossible dates rather than rolling over.
    public init?(rfc3339 text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes.last == UInt8(ascii: "Z"),
              bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"),
              bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
              let year = Self.number(bytes, 0, 4), let month = Self.number(bytes, 5, 2),
              let day = Self.number(bytes, 8, 2), let hour = Self.number(bytes, 11, 2),
              let minute = Self.number(bytes, 14, 2), let second = Self.number(bytes, 17, 2),
              (1...12).contains(month), (1...Self.daysIn(month: month, year: year)).contains(day),
              hour < 24, minute < 60, second < 61
        else { return nil }
        var fraction: Int64 = 0
        if bytes.count > 20 {
            let width = bytes.count - 21
            guard bytes[19] == UInt8(ascii: "."), width > 0, Self.number(bytes, 20, width, limit: 0) != nil,
                  let milliseconds = Self.number(bytes, 20, min(width, 3))
            else { return nil }
            fraction = milliseconds * Self.power(10, 3 - min(width, 3))
        }
        let days = Self.days(fromCivil: year, month, day)
        milliseconds = ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + fraction
    }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    public init?(_ text: String) {
        self.init(rfc3339: text)
    }

    public var rawValue: String { description }

    // Howard Hinnant's days-from-civil algorithms, exact for the proleptic Gregorian calendar.
    static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthPrime = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthPrime + 2) / 5 + 1
        let month = monthPrime < 10 ? monthPrime + 3 : monthPrime - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// The decimal number in `bytes[start..<start+count]`, or nil when any byte is not a digit.
    /// Only the first `limit` digits are accumulated, so a long run of digits cannot overflow.
    private static func number(_ bytes: [UInt8], _ start: Int, _ count: Int, limit: Int = 4) -> Int64? {
        guard count > 0, start + count <= bytes.count else { return nil }
        var value: Int64 = 0
        for (index, byte) in bytes[start..<start + count].enumerated() {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            if index < limit { value = value * 10 + Int64(byte - UInt8(ascii: "0")) }
        }
        return value
    }

    private static func power(_ base: Int64, _ exponent: Int) -> Int64 {
        (0..<max(0, exponent)).reduce(1) { result, _ in result * base }
    }
}

extension Int64 {
    /// Division rounding toward negative infinity, with a non-negative remainder.
    func floorDivided(by divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        let remainder = ((self % divisor) + divisor) % divisor
        return ((self - remainder) / divisor, remainder)
    }
}
