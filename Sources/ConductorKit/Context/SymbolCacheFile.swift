import ConductorDomain

/// The symbol cache's file format, `.git/conductor/context/facts-v1`: a line-based text
/// format rather than JSON because it is read on every map (thousands of files, hundreds of
/// thousands of identifiers) and must decode in milliseconds.
///
/// ```
/// conductor-context-facts 1
/// E <key> <scanner> <symbols> <mentions>     one entry: a blob in a language, by a scanner
/// S <kind> <line> <end line> <name> <scope> <signature>     one line per symbol
/// M <name> <count> <name> <count> …           the entry's mentions, on one line
/// end <entry count>
/// ```
///
/// Fields are separated by tabs; tabs, newlines and backslashes inside a field are escaped
/// (`\t`, `\n`, `\\`); an absent end line or scope is an empty field. Decoding checks every
/// line and the final count, so a truncated or foreign file is refused as a whole.
enum SymbolCacheFile {
    static let header = "conductor-context-facts 1"

    struct Entry: Equatable {
        var scanner: String
        var facts: FileFacts
    }

    struct DecodingFailure: Error, CustomStringConvertible {
        let line: Int
        let detail: String
        var description: String { "line \(line): \(detail)" }
    }

    static func encode(_ entries: [String: Entry]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(entries.count * 4096)
        output += Array((header + "\n").utf8)
        for key in entries.keys.sorted() {
            let entry = entries[key]!
            append(["E", key, entry.scanner, String(entry.facts.symbols.count), String(entry.facts.mentions.count)], to: &output)
            for symbol in entry.facts.symbols {
                append([
                    "S", symbol.kind.rawValue, String(symbol.line), symbol.endLine.map(String.init) ?? "",
                    symbol.name, symbol.scope ?? "", symbol.signature ?? "",
                ], to: &output)
            }
            output.append(UInt8(ascii: "M"))
            for (name, count) in entry.facts.mentions {
                output.append(9)
                appendEscaped(name, to: &output)
                output.append(9)
                appendNumber(count, to: &output)
            }
            output.append(10)
        }
        output += Array("end\t\(entries.count)\n".utf8)
        return output
    }

    private static func append(_ fields: [String], to output: inout [UInt8]) {
        for (index, field) in fields.enumerated() {
            if index > 0 { output.append(9) }
            appendEscaped(field, to: &output)
        }
        output.append(10)
    }

    private static func appendEscaped(_ field: String, to output: inout [UInt8]) {
        for byte in field.utf8 {
            switch byte {
            case 9: output += [92, UInt8(ascii: "t")]
            case 10: output += [92, UInt8(ascii: "n")]
            case 13: output += [92, UInt8(ascii: "r")]
            case 92: output += [92, 92]
            default: output.append(byte)
            }
        }
    }

    private static func appendNumber(_ number: Int, to output: inout [UInt8]) {
        guard number >= 10 else {
            output.append(48 + UInt8(number))
            return
        }
        appendNumber(number / 10, to: &output)
        output.append(48 + UInt8(number % 10))
    }

    static func decode(_ bytes: [UInt8]) throws(DecodingFailure) -> [String: Entry] {
        var lines = LineReader(bytes: bytes)
        guard let first = lines.next(), String(decoding: bytes[first], as: UTF8.self) == header else {
            throw DecodingFailure(line: 1, detail: "not a symbol cache of this version")
        }
        var entries: [String: Entry] = [:]
        while true {
            guard let range = lines.next() else { throw DecodingFailure(line: lines.number, detail: "ends before its last line") }
            let fields = split(bytes, range)
            if fields.count == 2, fields[0] == "end" {
                guard Int(fields[1]) == entries.count else {
                    throw DecodingFailure(line: lines.number, detail: "counts \(fields[1]) entries, holds \(entries.count)")
                }
                guard lines.next() == nil else { throw DecodingFailure(line: lines.number, detail: "text after the last line") }
                return entries
            }
            guard fields.count == 5, fields[0] == "E", let symbolCount = Int(fields[3]), symbolCount >= 0,
                  let mentionCount = Int(fields[4]), mentionCount >= 0 else {
                throw DecodingFailure(line: lines.number, detail: "expected an entry, found \"\(String(decoding: bytes[range].prefix(40), as: UTF8.self))\"")
            }
            var symbols: [CodeSymbol] = []
            symbols.reserveCapacity(symbolCount)
            for _ in 0..<symbolCount {
                guard let range = lines.next() else { throw DecodingFailure(line: lines.number, detail: "ends inside an entry") }
                let field = split(bytes, range)
                guard field.count == 7, field[0] == "S", let kind = CodeSymbol.Kind(rawValue: field[1]), let line = Int(field[2]), line > 0,
                      !field[4].isEmpty else {
                    throw DecodingFailure(line: lines.number, detail: "expected a symbol")
                }
                let endLine = field[3].isEmpty ? nil : Int(field[3])
                guard field[3].isEmpty || endLine != nil else { throw DecodingFailure(line: lines.number, detail: "bad end line") }
                symbols.append(CodeSymbol(
                    name: field[4], kind: kind, line: line, endLine: endLine,
                    signature: field[6].isEmpty ? nil : field[6], scope: field[5].isEmpty ? nil : field[5]
                ))
            }
            guard let mentionRange = lines.next() else { throw DecodingFailure(line: lines.number, detail: "ends inside an entry") }
            guard let mentions = mentions(bytes, mentionRange, expected: mentionCount) else {
                throw DecodingFailure(line: lines.number, detail: "expected mentions")
            }
            entries[fields[1]] = Entry(scanner: fields[2], facts: FileFacts(symbols: symbols, mentions: mentions))
        }
    }

    /// A mentions line, `M` then tab-separated name and count pairs, read without splitting it
    /// into fields first (it is by far the longest line of an entry); nil when malformed.
    private static func mentions(_ bytes: [UInt8], _ range: Range<Int>, expected: Int) -> [String: Int]? {
        guard range.count >= 1, bytes[range.lowerBound] == UInt8(ascii: "M") else { return nil }
        var mentions: [String: Int] = [:]
        mentions.reserveCapacity(expected)
        var index = range.lowerBound + 1
        let end = range.upperBound
        while index < end {
            guard bytes[index] == 9 else { return nil }
            index += 1
            let nameStart = index
            while index < end, bytes[index] != 9 {
                guard bytes[index] != 92 else { return nil } // identifiers are never escaped
                index += 1
            }
            guard index < end, index > nameStart else { return nil }
            let name = String(decoding: bytes[nameStart..<index], as: UTF8.self)
            index += 1
            var count = 0
            let countStart = index
            while index < end, bytes[index] != 9 {
                let digit = bytes[index] &- 48
                guard digit < 10, index - countStart < 12 else { return nil }
                count = count * 10 + Int(digit)
                index += 1
            }
            guard count > 0 else { return nil }
            mentions[name] = count
        }
        return mentions.count == expected ? mentions : nil
    }

    /// The tab-separated fields of a line, unescaped.
    private static func split(_ bytes: [UInt8], _ range: Range<Int>) -> [String] {
        var fields: [String] = []
        var start = range.lowerBound
        var index = range.lowerBound
        var hasEscape = false
        func field(_ end: Int) -> String {
            guard hasEscape else { return String(decoding: bytes[start..<end], as: UTF8.self) }
            var unescaped: [UInt8] = []
            var position = start
            while position < end {
                if bytes[position] == 92, position + 1 < end {
                    switch bytes[position + 1] {
                    case UInt8(ascii: "t"): unescaped.append(9)
                    case UInt8(ascii: "n"): unescaped.append(10)
                    case UInt8(ascii: "r"): unescaped.append(13)
                    default: unescaped.append(bytes[position + 1])
                    }
                    position += 2
                } else {
                    unescaped.append(bytes[position])
                    position += 1
                }
            }
            return String(decoding: unescaped, as: UTF8.self)
        }
        while index < range.upperBound {
            switch bytes[index] {
            case 9:
                fields.append(field(index))
                start = index + 1
                hasEscape = false
            case 92:
                hasEscape = true
                index += 1
            default: break
            }
            index += 1
        }
        fields.append(field(min(index, range.upperBound)))
        return fields
    }

    private struct LineReader {
        let bytes: [UInt8]
        var position = 0
        var number = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        mutating func next() -> Range<Int>? {
            guard position < bytes.count else { return nil }
            var end = position
            while end < bytes.count, bytes[end] != 10 { end += 1 }
            let range = position..<end
            position = end + 1
            number += 1
            return range
        }
    }
}
