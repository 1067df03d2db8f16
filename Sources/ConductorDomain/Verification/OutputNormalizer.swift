/// Rewrites a line of output so that what changes from run to run without meaning anything
/// disappears, leaving what identifies a failure.
///
/// Replaced, in this order at each word boundary:
/// - absolute paths (`/tmp/x/Sources/App/File.swift`) by their last component (`File.swift`),
///   so worktree, temporary and home directories do not matter;
/// - dates and times: ISO 8601 / RFC 3339 (`2026-11-25T14:15:47.634Z`, `2026-11-25 14:15:47`),
///   clock times (`14:15:47`) and textual dates (`Tue, 25 Nov 2026 14:15:47 GMT`,
///   `Nov 25 14:15:47`) by `<time>`;
/// - UUIDs by `<uuid>`, hexadecimal addresses (`0x7ffd5fbff8c0`) by `0x#`, and hexadecimal ids of
///   eight or more digits with at least one letter (commit ids, hashes) by `<hex>`;
/// - temporary names (`tmpa1b2c3d4`, `tmp.Xy12Ab`) by `<tmp>`;
/// - durations (`0.123s`, `12 ms`, `1.23 seconds`) by `<duration>`;
/// - every other free-standing number by `#`, and a plural count noun after it by its singular
///   (`3 tests` and `1 test` both become `# test`).
///
/// Digits inside words (`test42`, `utf8`) are kept. Runs of spaces and tabs become one space.
/// Pure and byte-oriented, so it gives the same result on every platform.
public enum OutputNormalizer {
    public static func normalize(_ line: String) -> String {
        var normalizer = LineNormalizer(Array(line.utf8))
        return normalizer.run()
    }
}

private struct LineNormalizer {
    let bytes: [UInt8]
    var output: [UInt8] = []
    var index = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        output.reserveCapacity(bytes.count)
    }

    mutating func run() -> String {
        while index < bytes.count {
            let byte = bytes[index]
            let atBoundary = index == 0 || !Self.isWordByte(bytes[index - 1])
            if atBoundary, byte == UInt8(ascii: "/") || byte == UInt8(ascii: "~"), startsPath() {
                skipToLastPathComponent()
            } else if atBoundary, Self.isDigit(byte) {
                normalizeNumberLike()
            } else if atBoundary, Self.isLetter(byte) {
                normalizeWord()
            } else if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") {
                if let last = output.last, last != UInt8(ascii: " ") { output.append(UInt8(ascii: " ")) }
                index += 1
            } else {
                output.append(byte)
                index += 1
            }
        }
        while output.last == UInt8(ascii: " ") { output.removeLast() }
        return String(decoding: output, as: UTF8.self)
    }

    // MARK: Paths

    /// Whether an absolute (or home-relative) path starts here: `/x` or `~/x`, after a
    /// space, a quote, a bracket, `=`, `:` or `,` (not inside a relative path like `a/b`).
    func startsPath() -> Bool {
        if index > 0 {
            let before = bytes[index - 1]
            let allowed: Set<UInt8> = Set(" \t\"'`([{<=:,@".utf8)
            guard allowed.contains(before) else { return false }
        }
        if bytes[index] == UInt8(ascii: "~") {
            return index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "/")
        }
        return index + 1 < bytes.count && !Self.isPathTerminator(bytes[index + 1])
    }

    /// Drops the directories of the path starting here; scanning resumes at its last component.
    mutating func skipToLastPathComponent() {
        var end = index
        while end < bytes.count, !Self.isPathTerminator(bytes[end]) { end += 1 }
        var last = end
        while last > index, bytes[last - 1] == UInt8(ascii: "/") { last -= 1 }
        var componentStart = last
        while componentStart > index, bytes[componentStart - 1] != UInt8(ascii: "/") { componentStart -= 1 }
        if componentStart == last {
            // Only slashes: nothing to shorten.
            output.append(contentsOf: bytes[index..<end])
            index = end
            return
        }
        // The component is scanned as if it started a line, so numbers and temporary names
        // in it are normalized too.
        var component = LineNormalizer(Array(bytes[componentStart..<last]))
        output.append(contentsOf: component.run().utf8)
        index = end
    }

    static func isPathTerminator(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "`"),
             UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "<"),
             UInt8(ascii: ">"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: ":"), UInt8(ascii: "|"),
             UInt8(ascii: "{"), UInt8(ascii: "}"):
            true
        default:
            false
        }
    }

    // MARK: Numbers, times, ids

    mutating func normalizeNumberLike() {
        if let end = isoDateTime(at: index) ?? clockTime(at: index) {
            emit("<time>", upTo: end)
        } else if let end = uuid(at: index) {
            emit("<uuid>", upTo: end)
        } else if bytes[index] == UInt8(ascii: "0"), let end = hexAddress(at: index) {
            emit("0x#", upTo: end)
        } else if let end = hexIdentifier(at: index) {
            emit("<hex>", upTo: end)
        } else {
            normalizeNumber()
        }
    }

    /// A decimal number, then maybe a unit: a duration unit makes it `<duration>`.
    mutating func normalizeNumber() {
        var end = digits(from: index)
        while end + 1 < bytes.count, bytes[end] == UInt8(ascii: "."), Self.isDigit(bytes[end + 1]) {
            end = digits(from: end + 1)
        }
        let attachedUnit = letters(from: end)
        if attachedUnit > end, Self.durationUnits.contains(Array(bytes[end..<attachedUnit])),
           attachedUnit == bytes.count || !Self.isWordByte(bytes[attachedUnit]) {
            emit("<duration>", upTo: attachedUnit)
            return
        }
        if attachedUnit == end, end + 1 < bytes.count, bytes[end] == UInt8(ascii: " ") {
            let wordEnd = letters(from: end + 1)
            let word = Array(bytes[(end + 1)..<wordEnd])
            if wordEnd > end + 1, wordEnd == bytes.count || !Self.isWordByte(bytes[wordEnd]) {
                if Self.durationUnits.contains(word) {
                    emit("<duration>", upTo: wordEnd)
                    return
                }
                emit("#", upTo: end)
                output.append(UInt8(ascii: " "))
                output.append(contentsOf: Self.singular(word))
                index = wordEnd
                return
            }
        }
        emit("#", upTo: end)
    }

    /// `2026-11-25`, optionally followed by `T` or a space and a time, and a zone.
    func isoDateTime(at start: Int) -> Int? {
        guard digitCount(at: start) == 4, byte(at: start + 4) == UInt8(ascii: "-"),
              digitCount(at: start + 5) == 2, byte(at: start + 7) == UInt8(ascii: "-"),
              digitCount(at: start + 8) == 2
        else { return nil }
        var end = start + 10
        if let separator = byte(at: end), separator == UInt8(ascii: "T") || separator == UInt8(ascii: " "),
           let timeEnd = clockTime(at: end + 1, secondsRequired: false, standalone: false) {
            end = timeEnd
            if byte(at: end) == UInt8(ascii: "Z") {
                end += 1
            } else if let sign = byte(at: end), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-"),
                      digitCount(at: end + 1) == 2 {
                end += 3
                if byte(at: end) == UInt8(ascii: ":"), digitCount(at: end + 1) == 2 {
                    end += 3
                } else if digitCount(at: end) == 2 {
                    end += 2
                }
            }
        }
        return end
    }

    /// `14:15` (only when `secondsRequired` is false), `14:15:47`, `14:15:47.634`. Requiring
    /// seconds keeps `File.swift:12:34:` a line and column, not a time. A `standalone` time must
    /// not run on into a word; inside an ISO date a zone (`Z`) may follow.
    func clockTime(at start: Int, secondsRequired: Bool = true, standalone: Bool = true) -> Int? {
        let hours = digitCount(at: start)
        guard (1...2).contains(hours), byte(at: start + hours) == UInt8(ascii: ":"),
              digitCount(at: start + hours + 1) == 2
        else { return nil }
        var end = start + hours + 3
        if byte(at: end) == UInt8(ascii: ":"), digitCount(at: end + 1) == 2 {
            end += 3
            if let mark = byte(at: end), mark == UInt8(ascii: ".") || mark == UInt8(ascii: ","), digitCount(at: end + 1) > 0 {
                end = digits(from: end + 1)
            }
        } else if secondsRequired {
            return nil
        }
        if standalone, let next = byte(at: end), Self.isWordByte(next) || next == UInt8(ascii: ":") { return nil }
        return end
    }

    /// `3f2504e0-4f89-11d3-9a0c-0305e82c3301`.
    func uuid(at start: Int) -> Int? {
        var position = start
        for (number, length) in [8, 4, 4, 4, 12].enumerated() {
            guard hexCount(at: position) == length else { return nil }
            position += length
            if number < 4 {
                guard byte(at: position) == UInt8(ascii: "-") else { return nil }
                position += 1
            }
        }
        if let next = byte(at: position), Self.isWordByte(next) { return nil }
        return position
    }

    /// `0x7ffd5fbff8c0`.
    func hexAddress(at start: Int) -> Int? {
        guard let marker = byte(at: start + 1), marker == UInt8(ascii: "x") || marker == UInt8(ascii: "X") else { return nil }
        let count = hexCount(at: start + 2)
        guard count > 0 else { return nil }
        if let next = byte(at: start + 2 + count), Self.isWordByte(next) { return nil }
        return start + 2 + count
    }

    /// A whole word of at least eight hexadecimal digits with a letter and a digit in it.
    func hexIdentifier(at start: Int) -> Int? {
        var end = start
        var letters = false, digits = false
        while end < bytes.count, Self.isWordByte(bytes[end]) {
            guard Self.isHexDigit(bytes[end]) else { return nil }
            if Self.isDigit(bytes[end]) { digits = true } else { letters = true }
            end += 1
        }
        return end - start >= 8 && letters && digits ? end : nil
    }

    // MARK: Words

    mutating func normalizeWord() {
        if let end = uuid(at: index) {
            emit("<uuid>", upTo: end)
            return
        }
        var end = index
        while end < bytes.count, Self.isWordByte(bytes[end]) { end += 1 }
        // Month and weekday names are capitalised words of three to nine letters.
        if (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(bytes[index]), (3...9).contains(end - index),
           let dateEnd = textualDate(at: index) {
            emit("<time>", upTo: dateEnd)
            return
        }
        if hexIdentifier(at: index) != nil {
            emit("<hex>", upTo: end)
        } else if let tmpEnd = temporaryName(from: index, wordEnd: end) {
            emit("<tmp>", upTo: tmpEnd)
        } else {
            output.append(contentsOf: bytes[index..<end])
            index = end
        }
    }

    /// `tmpa1b2c3d4`, `tmp_x8f2k1`, `tmp.Xy12Ab9` (Python's tempfile, mktemp(1)).
    func temporaryName(from start: Int, wordEnd: Int) -> Int? {
        guard wordEnd - start >= 3 else { return nil }
        let prefix = bytes[start..<start + 3].map { $0 | 0x20 }
        guard prefix == Array("tmp".utf8) else { return nil }
        if wordEnd - start == 3 {
            guard let dot = byte(at: wordEnd), dot == UInt8(ascii: ".") || dot == UInt8(ascii: "-") else { return nil }
            var end = wordEnd + 1
            while end < bytes.count, Self.isWordByte(bytes[end]) { end += 1 }
            return end - wordEnd - 1 >= 6 ? end : nil
        }
        let rest = bytes[(start + 3)..<wordEnd]
        let random = rest.count >= 5 && rest.contains(where: Self.isDigit)
        return random ? wordEnd : nil
    }

    /// Dates written with month names: `Tue, 25 Nov 2026 14:15:47 GMT`, `Tue Nov 25 14:15:47
    /// UTC 2026`, `Nov 25 14:15:47`. Needs a month name and a clock time or a four-digit year.
    func textualDate(at start: Int) -> Int? {
        var position = start
        var lastGood: Int?
        var sawMonth = false, sawAnchor = false
        while position < bytes.count {
            let byte = bytes[position]
            if Self.isLetter(byte) {
                var end = position
                while end < bytes.count, Self.isLetter(bytes[end]) { end += 1 }
                let word = String(decoding: bytes[position..<end], as: UTF8.self)
                if Self.months.contains(word) {
                    sawMonth = true
                } else if !(Self.weekdays.contains(word) || word == "UTC" || word == "GMT") {
                    break
                }
                position = end
                lastGood = position
            } else if Self.isDigit(byte) {
                if let end = clockTime(at: position) {
                    sawAnchor = true
                    position = end
                } else {
                    let count = digitCount(at: position)
                    guard count <= 4 else { break }
                    if count == 4 { sawAnchor = true }
                    position += count
                    if let next = self.byte(at: position), Self.isWordByte(next) { break }
                }
                lastGood = position
            } else if (byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")), sawAnchor, digitCount(at: position + 1) == 4 {
                position += 5
                lastGood = position
            } else if byte == UInt8(ascii: " ") || byte == UInt8(ascii: ",") || byte == UInt8(ascii: ".") {
                position += 1
            } else {
                break
            }
        }
        guard sawMonth, sawAnchor, let lastGood else { return nil }
        return lastGood
    }

    static let months: Set<String> = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
        "January", "February", "March", "April", "June", "July", "August", "September", "October",
        "November", "December",
    ]
    static let weekdays: Set<String> = [
        "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun",
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
    ]
    static let durationUnits: Set<[UInt8]> = Set([
        "ns", "us", "µs", "ms", "s", "sec", "secs", "second", "seconds", "min", "mins", "minute", "minutes",
        "h", "hr", "hrs", "hour", "hours",
    ].map { Array($0.utf8) })

    /// `tests` → `test`, so a count's plural does not change the line. Words ending in `ss`,
    /// `us` or `is`, and words of three letters or fewer, are left alone.
    static func singular(_ word: [UInt8]) -> [UInt8] {
        guard word.count > 3, word.last == UInt8(ascii: "s") else { return word }
        let before = word[word.count - 2]
        guard before != UInt8(ascii: "s"), before != UInt8(ascii: "u"), before != UInt8(ascii: "i") else { return word }
        return Array(word.dropLast())
    }

    // MARK: Bytes

    mutating func emit(_ replacement: String, upTo end: Int) {
        output.append(contentsOf: replacement.utf8)
        index = end
    }

    func byte(at position: Int) -> UInt8? {
        position >= 0 && position < bytes.count ? bytes[position] : nil
    }

    func digits(from start: Int) -> Int {
        var end = start
        while end < bytes.count, Self.isDigit(bytes[end]) { end += 1 }
        return end
    }

    func digitCount(at start: Int) -> Int { digits(from: start) - start }

    func hexCount(at start: Int) -> Int {
        var end = start
        while end < bytes.count, Self.isHexDigit(bytes[end]) { end += 1 }
        return end - start
    }

    /// The end of a run of letters (including `µ`) starting at `start`.
    func letters(from start: Int) -> Int {
        var end = start
        while end < bytes.count {
            if Self.isLetter(bytes[end]) {
                end += 1
            } else if bytes[end] == 0xC2, byte(at: end + 1) == 0xB5 {
                end += 2
            } else {
                break
            }
        }
        return end
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    static func isLetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
    }

    static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || ((byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "f"))
    }

    static func isWordByte(_ byte: UInt8) -> Bool { isDigit(byte) || isLetter(byte) || byte == UInt8(ascii: "_") }
}
