/// One JSON object of scalar members, as a line of ctags' JSON output is: string members in
/// `strings`, integral numbers in `integers`; booleans, nulls, other numbers and nested
/// values are read past and dropped. Anything that is not exactly one well-formed object
/// fails, so a line of garbage is told from a tag. Hand-written because the domain has no
/// Foundation, and because a tag line is small and there are tens of thousands of them.
struct FlatJSONObject {
    var strings: [String: String] = [:]
    var integers: [String: Int] = [:]

    init?(_ bytes: ArraySlice<UInt8>) {
        var reader = Reader(bytes: bytes)
        guard reader.take(UInt8(ascii: "{")) else { return nil }
        reader.skipSpace()
        if reader.take(UInt8(ascii: "}")) {
            guard reader.atEnd else { return nil }
            return
        }
        while true {
            reader.skipSpace()
            guard let key = reader.string() else { return nil }
            reader.skipSpace()
            guard reader.take(UInt8(ascii: ":")) else { return nil }
            reader.skipSpace()
            guard let first = reader.peek else { return nil }
            if first == UInt8(ascii: "\"") {
                guard let value = reader.string() else { return nil }
                strings[key] = value
            } else if first == UInt8(ascii: "-") || (first >= 48 && first <= 57) {
                guard let number = reader.number() else { return nil }
                if let integer = number { integers[key] = integer }
            } else {
                guard reader.skipValue() else { return nil }
            }
            reader.skipSpace()
            if reader.take(UInt8(ascii: ",")) { continue }
            guard reader.take(UInt8(ascii: "}")) else { return nil }
            reader.skipSpace()
            guard reader.atEnd else { return nil }
            return
        }
    }

    private struct Reader {
        let bytes: ArraySlice<UInt8>
        var index: Int

        init(bytes: ArraySlice<UInt8>) {
            self.bytes = bytes
            index = bytes.startIndex
        }

        var atEnd: Bool { index >= bytes.endIndex }
        var peek: UInt8? { atEnd ? nil : bytes[index] }

        mutating func take(_ byte: UInt8) -> Bool {
            guard peek == byte else { return false }
            index += 1
            return true
        }

        mutating func skipSpace() {
            while let byte = peek, byte == 32 || byte == 9 || byte == 10 || byte == 13 { index += 1 }
        }

        /// A string, unescaped; nil when malformed.
        mutating func string() -> String? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            var plainStart = index
            var result = ""
            while let byte = peek {
                if byte == UInt8(ascii: "\"") {
                    result += String(decoding: bytes[plainStart..<index], as: UTF8.self)
                    index += 1
                    return result
                }
                if byte < 32 { return nil }
                if byte == UInt8(ascii: "\\") {
                    result += String(decoding: bytes[plainStart..<index], as: UTF8.self)
                    index += 1
                    guard let escape = peek else { return nil }
                    index += 1
                    switch escape {
                    case UInt8(ascii: "\""): result += "\""
                    case UInt8(ascii: "\\"): result += "\\"
                    case UInt8(ascii: "/"): result += "/"
                    case UInt8(ascii: "b"): result += "\u{08}"
                    case UInt8(ascii: "f"): result += "\u{0C}"
                    case UInt8(ascii: "n"): result += "\n"
                    case UInt8(ascii: "r"): result += "\r"
                    case UInt8(ascii: "t"): result += "\t"
                    case UInt8(ascii: "u"):
                        guard var code = hex4() else { return nil }
                        if code >= 0xD800, code < 0xDC00 {
                            // A surrogate pair: the low half must follow.
                            guard take(UInt8(ascii: "\\")), take(UInt8(ascii: "u")), let low = hex4(), low >= 0xDC00, low < 0xE000 else { return nil }
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        }
                        result.unicodeScalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
                    default:
                        return nil
                    }
                    plainStart = index
                    continue
                }
                index += 1
            }
            return nil
        }

        mutating func hex4() -> UInt32? {
            guard index + 4 <= bytes.endIndex else { return nil }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                let digit: UInt32
                switch byte {
                case 48...57: digit = UInt32(byte - 48)
                case 97...102: digit = UInt32(byte - 87)
                case 65...70: digit = UInt32(byte - 55)
                default: return nil
                }
                value = value << 4 | digit
                index += 1
            }
            return value
        }

        /// A number: `.some(integer)` when integral and in range, `.some(nil)` for any other
        /// well-formed number, nil when malformed.
        mutating func number() -> Int?? {
            let start = index
            _ = take(UInt8(ascii: "-"))
            var digits = 0
            var integral = true
            while let byte = peek, (byte >= 48 && byte <= 57) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") {
                if byte >= 48 && byte <= 57 { digits += 1 } else { integral = false }
                index += 1
            }
            guard digits > 0 else { return nil }
            guard integral else { return .some(nil) }
            return .some(Int(String(decoding: bytes[start..<index], as: UTF8.self)))
        }

        /// `true`, `false`, `null`, or a nested array or object (its strings respected).
        mutating func skipValue() -> Bool {
            for word in ["true", "false", "null"] where bytes[index...].starts(with: word.utf8) {
                index += word.utf8.count
                return true
            }
            guard let open = peek, open == UInt8(ascii: "[") || open == UInt8(ascii: "{") else { return false }
            var depth = 0
            while let byte = peek {
                switch byte {
                case UInt8(ascii: "\""):
                    guard string() != nil else { return false }
                    continue
                case UInt8(ascii: "["), UInt8(ascii: "{"): depth += 1
                case UInt8(ascii: "]"), UInt8(ascii: "}"):
                    depth -= 1
                    if depth == 0 {
                        index += 1
                        return true
                    }
                default: break
                }
                index += 1
            }
            return false
        }
    }
}
