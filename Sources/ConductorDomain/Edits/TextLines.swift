/// A text split into lines, with what is needed to join it back byte for byte: the line
/// ending the file uses and whether the last line ends with one.
///
/// Splitting happens on UTF-8 bytes, not on `Character`s, because Swift treats `"\r\n"` as a
/// single `Character`: splitting a `String` on `"\n"` would miss every CRLF line break.
struct TextLines: Equatable, Sendable {
    /// The lines without their line endings.
    var lines: [String]
    /// True when the text ends with a line ending (or is empty).
    var endsWithNewline: Bool
    /// True when every line break in the text is CRLF: such files keep CRLF when edited.
    var usesCRLF: Bool

    init(lines: [String], endsWithNewline: Bool = true, usesCRLF: Bool = false) {
        self.lines = lines
        self.endsWithNewline = endsWithNewline
        self.usesCRLF = usesCRLF
    }

    /// Splits `text`. A file is CRLF when it has at least one line break and all of them are
    /// CRLF; in a file with mixed endings a stray `\r` stays part of its line, so nothing is lost.
    init(_ text: String) {
        var lines: [String] = []
        var start = text.utf8.startIndex
        var allCRLF = true
        var breaks = 0
        var index = start
        while index != text.utf8.endIndex {
            if text.utf8[index] == UInt8(ascii: "\n") {
                breaks += 1
                if index == start || text.utf8[text.utf8.index(before: index)] != UInt8(ascii: "\r") { allCRLF = false }
                lines.append(String(text[start..<index]))
                start = text.utf8.index(after: index)
            }
            index = text.utf8.index(after: index)
        }
        let endsWithNewline = start == text.utf8.endIndex
        if !endsWithNewline { lines.append(String(text[start...])) }
        let crlf = breaks > 0 && allCRLF
        if crlf {
            for position in 0..<breaks { lines[position] = lines[position].droppingCarriageReturn }
        }
        self.init(lines: lines, endsWithNewline: endsWithNewline, usesCRLF: crlf)
    }

    /// Splits an answer from the model. Its line endings carry no meaning, so a carriage
    /// return before a line feed is dropped even when the answer mixes CRLF and LF.
    static func answerLines(_ text: String) -> [String] {
        let split = TextLines(text)
        return split.usesCRLF ? split.lines : split.lines.map(\.droppingCarriageReturn)
    }

    /// The text again, with the same line ending and final newline as the original.
    var text: String {
        guard !lines.isEmpty else { return "" }
        let ending = usesCRLF ? "\r\n" : "\n"
        return lines.joined(separator: ending) + (endsWithNewline ? ending : "")
    }

    /// Lines in the form edit blocks carry them: each ends with `"\n"`, none is dropped.
    static func blockText(_ lines: some Collection<String>) -> String {
        lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
    }

    /// The lines of block text written by ``blockText(_:)``.
    static func blockLines(_ text: String) -> [String] {
        TextLines(text).lines
    }
}

extension String {
    /// The line without a final carriage return.
    var droppingCarriageReturn: String {
        utf8.last == UInt8(ascii: "\r") ? String(self[..<utf8.index(before: utf8.endIndex)]) : self
    }

    /// True when the line holds nothing but spaces and tabs.
    var isBlankLine: Bool {
        utf8.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
    }
}

extension StringProtocol where SubSequence == Substring {
    /// The leading spaces and tabs.
    var leadingIndentation: Substring {
        self[..<(firstIndex { $0 != " " && $0 != "\t" } ?? endIndex)]
    }

    /// The line without its leading spaces and tabs.
    var droppingIndentation: Substring {
        self[(firstIndex { $0 != " " && $0 != "\t" } ?? endIndex)...]
    }

    /// The line without spaces and tabs at either end.
    var trimmingBlanks: Substring {
        let rest = droppingIndentation
        return rest[..<(rest.lastIndex { $0 != " " && $0 != "\t" }.map(rest.index(after:)) ?? rest.startIndex)]
    }

    /// The line without spaces, tabs and carriage returns at its end.
    var trimmingTrailingBlanks: Substring {
        self[..<(lastIndex { $0 != " " && $0 != "\t" && $0 != "\r" }.map(index(after:)) ?? startIndex)]
    }
}
