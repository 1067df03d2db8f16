/// Text and terminals, both ways.
///
/// In: turning raw terminal output into plain text: escape sequences (colours, cursor moves,
/// hyperlinks) removed, invalid UTF-8 replaced. Many tools colour their output in CI
/// (`CARGO_TERM_COLOR=always`, `--color=yes`), and neither parsers nor models want the codes.
///
/// Out: making recorded text (a task's prompt, a model's or a tool's words, an error detail)
/// safe to print on a terminal. Such text may hold control characters, by accident or by
/// design: `ESC ] 0 ; … BEL` retitles the window, `ESC [ 2 J` clears the screen, and worse
/// sequences rewrite what the user reads. ``visible(_:)`` and ``line(_:)`` are the one place
/// that makes recorded text printable; every text output of the CLI passes recorded text
/// through them (docs/report.md, "Terminal safety"). JSON output keeps the text exact: JSON
/// escapes control characters itself.
public enum TerminalText {
    /// `text` with every control character shown instead of obeyed: C0 controls and DEL in
    /// caret notation (`ESC` as `^[`, `BEL` as `^G`, a lone `CR` as `^M`), C1 controls and the
    /// bidirectional overrides and isolates (which reorder what is displayed, as in "Trojan
    /// Source") as `<U+009B>`. Line feeds and tabs stay, for multi-line text.
    public static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscaping) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if needsEscaping(scalar) {
                result.append(contentsOf: shown(scalar).unicodeScalars)
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }

    /// `text` as one line, for a table cell or a one-line listing: each run of line breaks
    /// (LF, CR LF, the Unicode line and paragraph separators) and tabs becomes one space, and
    /// every other control character is shown as ``visible(_:)`` shows it.
    public static func line(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { needsEscaping($0) || isBreak($0) }) else { return text }
        var result = String.UnicodeScalarView()
        var inBreak = false
        for scalar in text.unicodeScalars {
            if isBreak(scalar) {
                if !inBreak { result.append(" ") }
                inBreak = true
                continue
            }
            inBreak = false
            if needsEscaping(scalar) {
                result.append(contentsOf: shown(scalar).unicodeScalars)
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }

    /// JSON text with the characters a terminal may act on that JSON leaves raw (DEL, the C1
    /// controls, the bidirectional overrides) written as `\u` escapes: a decoder reads the
    /// same strings, and the bytes are safe to print. C0 controls are JSON's own to escape;
    /// none of these characters can occur outside a string, so nothing else changes.
    public static func escapingJSON(_ json: String) -> String {
        guard json.unicodeScalars.contains(where: needsEscaping) else { return json }
        var result = String.UnicodeScalarView()
        for scalar in json.unicodeScalars {
            if needsEscaping(scalar), scalar.value > 0x1F {
                let hex = String(scalar.value, radix: 16)
                result.append(contentsOf: ("\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex).unicodeScalars)
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }

    /// Whether `scalar` must not reach a terminal as it is (line feed and tab may).
    static func needsEscaping(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A, 0x09: false
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    /// Line breaks and tabs, which a one-line column cannot hold. A CR counts only because
    /// CR LF is one break; a lone CR is collapsed the same way.
    static func isBreak(_ scalar: Unicode.Scalar) -> Bool {
        [0x0A, 0x0D, 0x09, 0x2028, 0x2029].contains(scalar.value)
    }

    /// How a control character is shown: `^[` for ESC, `^?` for DEL, `<U+009B>` otherwise.
    static func shown(_ scalar: Unicode.Scalar) -> String {
        switch scalar.value {
        case 0x00...0x1F: return "^" + String(UnicodeScalar(UInt8(scalar.value + 0x40)))
        case 0x7F: return "^?"
        default:
            let hex = String(scalar.value, radix: 16, uppercase: true)
            return "<U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + ">"
        }
    }

    /// `bytes` as text without terminal escape sequences.
    public static func decode(_ bytes: [UInt8]) -> String {
        String(decoding: strippingEscapes(bytes), as: UTF8.self)
    }

    /// `bytes` without ECMA-48 escape sequences: CSI (`ESC [ … final`), OSC (`ESC ] … BEL` or
    /// `ESC ] … ESC \`), and two-byte `ESC x` sequences.
    public static func strippingEscapes(_ bytes: [UInt8]) -> [UInt8] {
        let hasEscape = bytes.withUnsafeBufferPointer { buffer in
            for byte in buffer where byte == 0x1B { return true }
            return false
        }
        guard hasEscape else { return bytes }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == 0x1B else {
                result.append(byte)
                index += 1
                continue
            }
            index += 1
            guard index < bytes.count else { break }
            switch bytes[index] {
            case UInt8(ascii: "["):
                index += 1
                // Parameter and intermediate bytes, then one final byte in 0x40...0x7E.
                while index < bytes.count, (0x20...0x3F).contains(bytes[index]) { index += 1 }
                if index < bytes.count, (0x40...0x7E).contains(bytes[index]) { index += 1 }
            case UInt8(ascii: "]"):
                index += 1
                while index < bytes.count {
                    if bytes[index] == 0x07 { index += 1; break }
                    if bytes[index] == 0x1B, index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\\") {
                        index += 2
                        break
                    }
                    index += 1
                }
            default:
                index += 1
            }
        }
        return result
    }
}
