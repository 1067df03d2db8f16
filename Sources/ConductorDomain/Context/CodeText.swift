/// A source file split into lines, with a second copy of its bytes in which comments and the
/// insides of string literals are blanked out (replaced by spaces, newlines kept). Scanners
/// look for declarations and count braces in the blanked copy, so a `{` in a string or a
/// `class` in a comment does not count, and take signatures from the original.
///
/// The lexing is deliberately approximate — no interpolation, no preprocessor — because it
/// only has to keep brace counts and line starts right on ordinary code, fast.
struct CodeText {
    let original: [UInt8]
    let code: [UInt8]
    /// Offsets of each line's first byte; line `n` (1-based) spans `lineStarts[n - 1]` up to the
    /// next start (or the end), its newline included.
    let lineStarts: [Int]
    /// Whether each line begins inside a comment or a string that started on an earlier line,
    /// so its indentation means nothing.
    let startsInLiteral: [Bool]

    var lineCount: Int { lineStarts.count }

    /// The lexical rules of a language family.
    struct Rules {
        var lineComments: [[UInt8]] = [Array("//".utf8)]
        var blockComments = true
        /// `/* /* */ */` nests (Swift, Rust, Kotlin).
        var nestedBlockComments = false
        /// `"""…"""` (Swift, Kotlin, Python) and `'''…'''` (Python).
        var tripleQuotes = false
        /// `'…'` is a string; otherwise `'x'` and `'\n'` are character literals and a lone `'`
        /// (a Rust lifetime) is ordinary text.
        var singleQuoteStrings = false
        /// `` `…` `` is a string that may span lines (JavaScript templates, Go raw strings).
        var backtickStrings = false
        /// A plain `"…"` may span lines (Rust).
        var multilineStrings = false

        static func of(_ language: SourceLanguage) -> Rules {
            switch language {
            case .swift: Rules(nestedBlockComments: true, tripleQuotes: true)
            case .kotlin: Rules(nestedBlockComments: true, tripleQuotes: true)
            case .rust: Rules(nestedBlockComments: true, multilineStrings: true)
            case .python: Rules(lineComments: [[UInt8(ascii: "#")]], blockComments: false, tripleQuotes: true, singleQuoteStrings: true)
            case .ruby: Rules(lineComments: [[UInt8(ascii: "#")]], blockComments: false, singleQuoteStrings: true)
            case .javascript, .typescript: Rules(singleQuoteStrings: true, backtickStrings: true)
            case .go: Rules(backtickStrings: true)
            case .php: Rules(lineComments: [Array("//".utf8), [UInt8(ascii: "#")]], singleQuoteStrings: true)
            case .c, .cpp, .java, .csharp: Rules()
            }
        }
    }

    init(_ bytes: [UInt8], rules: Rules) {
        original = bytes
        var starts = [0]
        var inLiteral = [false]
        var code = bytes
        let count = bytes.count
        var index = 0
        let slash = UInt8(ascii: "/"), star = UInt8(ascii: "*"), newline = UInt8(ascii: "\n")
        let quote = UInt8(ascii: "\""), apostrophe = UInt8(ascii: "'"), backtick = UInt8(ascii: "`")
        let backslash = UInt8(ascii: "\\"), space = UInt8(ascii: " ")

        /// Blanks `from..<to`, keeping newlines.
        @inline(__always) func blank(_ from: Int, _ to: Int) {
            var position = from
            while position < to {
                if code[position] != newline { code[position] = space }
                position += 1
            }
        }
        /// Records the lines that start inside the literal or comment spanning `from..<to`.
        @inline(__always) func crossLines(_ from: Int, _ to: Int) {
            var position = from
            while position < to {
                if bytes[position] == newline {
                    starts.append(position + 1)
                    inLiteral.append(true)
                }
                position += 1
            }
        }
        @inline(__always) func matches(_ token: [UInt8], at position: Int) -> Bool {
            guard position + token.count <= count else { return false }
            for (offset, byte) in token.enumerated() where bytes[position + offset] != byte { return false }
            return true
        }
        /// The end of a string starting at `start` (just past its opening delimiter), closed by
        /// `delimiter`; stops at a newline unless the string may span lines.
        func stringEnd(from start: Int, delimiter: [UInt8], spansLines: Bool) -> Int {
            var position = start
            while position < count {
                let byte = bytes[position]
                if byte == backslash {
                    position += 2
                    continue
                }
                if byte == newline, !spansLines { return position }
                if matches(delimiter, at: position) { return position + delimiter.count }
                position += 1
            }
            return count
        }

        while index < count {
            let byte = bytes[index]
            if byte == newline {
                starts.append(index + 1)
                inLiteral.append(false)
                index += 1
                continue
            }
            if rules.blockComments, byte == slash, index + 1 < count, bytes[index + 1] == star {
                var depth = 1
                var position = index + 2
                while position < count, depth > 0 {
                    if bytes[position] == star, position + 1 < count, bytes[position + 1] == slash {
                        depth -= 1
                        position += 2
                    } else if rules.nestedBlockComments, bytes[position] == slash, position + 1 < count, bytes[position + 1] == star {
                        depth += 1
                        position += 2
                    } else {
                        position += 1
                    }
                }
                blank(index, position)
                crossLines(index, position)
                index = position
                continue
            }
            if rules.lineComments.contains(where: { matches($0, at: index) }) {
                var position = index
                while position < count, bytes[position] != newline { position += 1 }
                blank(index, position)
                index = position
                continue
            }
            if rules.tripleQuotes, byte == quote || byte == apostrophe, index + 2 < count,
               bytes[index + 1] == byte, bytes[index + 2] == byte,
               byte == quote || rules.singleQuoteStrings {
                let end = stringEnd(from: index + 3, delimiter: [byte, byte, byte], spansLines: true)
                blank(index + 3, max(index + 3, end - 3))
                crossLines(index, end)
                index = end
                continue
            }
            if byte == quote || (byte == backtick && rules.backtickStrings) || (byte == apostrophe && rules.singleQuoteStrings) {
                let spans = byte == backtick || (byte == quote && rules.multilineStrings)
                let end = stringEnd(from: index + 1, delimiter: [byte], spansLines: spans)
                blank(index + 1, max(index + 1, end - 1))
                crossLines(index, end)
                index = end
                continue
            }
            if byte == apostrophe {
                // A character literal: 'x', '\n', '\u{41}'; anything else (a Rust lifetime) is text.
                if index + 2 < count, bytes[index + 1] != backslash, bytes[index + 2] == apostrophe {
                    blank(index + 1, index + 2)
                    index += 3
                    continue
                }
                if index + 1 < count, bytes[index + 1] == backslash {
                    var position = index + 2
                    while position < count, position < index + 12, bytes[position] != apostrophe, bytes[position] != newline { position += 1 }
                    if position < count, bytes[position] == apostrophe {
                        blank(index + 1, position)
                        index = position + 1
                        continue
                    }
                }
            }
            index += 1
        }
        // A final newline does not start a line of its own.
        if starts.count > 1, starts.last == count {
            starts.removeLast()
            inLiteral.removeLast()
        }
        self.code = code
        lineStarts = starts
        startsInLiteral = inLiteral
    }

    /// Byte range of line `number` (1-based) without its newline (and carriage return).
    func range(ofLine number: Int) -> Range<Int> {
        let start = lineStarts[number - 1]
        var end = number < lineStarts.count ? lineStarts[number] : original.count
        if end > start, original[end - 1] == UInt8(ascii: "\n") { end -= 1 }
        if end > start, original[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return start..<end
    }

    /// The original text of line `number`, trimmed of surrounding whitespace.
    func trimmedLine(_ number: Int) -> String {
        var range = range(ofLine: number)
        while range.lowerBound < range.upperBound, Self.isSpace(original[range.lowerBound]) { range = (range.lowerBound + 1)..<range.upperBound }
        while range.lowerBound < range.upperBound, Self.isSpace(original[range.upperBound - 1]) { range = range.lowerBound..<(range.upperBound - 1) }
        return String(decoding: original[range], as: UTF8.self)
    }

    @inline(__always) static func isSpace(_ byte: UInt8) -> Bool {
        byte == 32 || byte == 9 || byte == 13 || byte == 12 || byte == 11
    }

    @inline(__always) static func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= 97 && byte <= 122) || (byte >= 65 && byte <= 90) || (byte >= 48 && byte <= 57) || byte == 95 || byte >= 128
    }
}
