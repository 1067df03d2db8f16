/// When a server asks to be called again: `retry-after-ms` (OpenAI and Azure, milliseconds)
/// or `Retry-After` (RFC 9110: delta-seconds or an HTTP date).
///
/// The millisecond header wins when both are present, because it is the more precise of the
/// two. Fractional seconds are accepted in `Retry-After`, since some proxies send them. A wait
/// in the past, or a header that cannot be read, asks for no particular wait (nil), which
/// leaves the retry to the backoff schedule.
public enum RetryAfter {
    /// Seconds to wait, from the two headers' values, or nil when neither says.
    /// - Parameter now: the time the answer arrived, to turn an HTTP date into a wait.
    public static func seconds(retryAfterMilliseconds: String?, retryAfter: String?, now: Timestamp) -> Double? {
        if let text = retryAfterMilliseconds, let milliseconds = number(text) {
            return milliseconds / 1000
        }
        guard let text = retryAfter?.trimmed, !text.isEmpty else { return nil }
        if let seconds = number(text) { return seconds }
        guard let date = httpDate(text) else { return nil }
        return max(0, Double(date.milliseconds - now.milliseconds) / 1000)
    }

    /// A non-negative decimal number of digits with at most one point.
    static func number(_ text: String) -> Double? {
        let text = text.trimmed
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
              text.filter({ $0 == "." }).count <= 1, let value = Double(text), value.isFinite
        else { return nil }
        return value
    }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// Parses the IMF-fixdate HTTP uses (`Sun, 06 Nov 1994 08:49:37 GMT`) and, as RFC 9110 asks
    /// of recipients, the obsolete RFC 850 (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime
    /// (`Sun Nov  6 08:49:37 1994`) forms. The weekday is not checked.
    public static func httpDate(_ text: String) -> Timestamp? {
        var words = text.split(whereSeparator: { $0 == " " || $0 == "," }).map { String($0).lowercased() }
        guard words.count >= 4 else { return nil }
        words.removeFirst()  // the weekday
        let day: Int64, month: Int64, year: Int64, time: String
        if words.count >= 4, let parsedDay = Int64(words[0]), let index = months.firstIndex(of: words[1]), let parsedYear = Int64(words[2]) {
            (day, month, year, time) = (parsedDay, Int64(index + 1), parsedYear, words[3])  // IMF-fixdate
        } else if words.count >= 2, case let parts = words[0].split(separator: "-"), parts.count == 3,
                  let parsedDay = Int64(parts[0]), let index = months.firstIndex(of: String(parts[1])), let shortYear = Int64(parts[2]) {
            // RFC 850: a two-digit year below 50 is taken as 20xx, any other as 19xx.
            (day, month, year, time) = (parsedDay, Int64(index + 1), shortYear < 50 ? 2000 + shortYear : 1900 + shortYear, words[1])
        } else if words.count >= 4, let index = months.firstIndex(of: words[0]), let parsedDay = Int64(words[1]), let parsedYear = Int64(words[3]) {
            (day, month, year, time) = (parsedDay, Int64(index + 1), parsedYear, words[2])  // asctime
        } else {
            return nil
        }
        let clock = time.split(separator: ":").compactMap { Int64($0) }
        guard clock.count == 3, (1...Timestamp.daysIn(month: month, year: year)).contains(day),
              (0..<24).contains(clock[0]), (0..<60).contains(clock[1]), (0..<61).contains(clock[2])
        else { return nil }
        let days = Timestamp.days(fromCivil: year, month, day)
        return Timestamp(milliseconds: ((days * 24 + clock[0]) * 60 + clock[1]) * 60_000 + clock[2] * 1000)
    }
}

extension String {
    /// Without leading and trailing spaces and tabs (headers are ASCII; Foundation is not here).
    fileprivate var trimmed: String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
        return String(slice)
    }
}
