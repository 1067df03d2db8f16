import ConductorDomain
import Foundation
import Testing

@Suite("Recorded text made safe for a terminal")
struct TerminalTextTests {
    @Test("control characters are shown, not obeyed; line feeds and tabs stay in multi-line text", arguments: [
        ("plain text, ünïcödé ✓", "plain text, ünïcödé ✓"),
        ("title\u{1b}]0;pwned\u{07}", "title^[]0;pwned^G"),
        ("\u{1b}[2J\u{1b}[H", "^[[2J^[[H"),
        ("a\u{0}b\u{8}c\u{7f}", "a^@b^Hc^?"),
        ("over\rwrite", "over^Mwrite"),
        ("8-bit \u{9b}31m CSI and \u{85} NEL", "8-bit <U+009B>31m CSI and <U+0085> NEL"),
        ("evil\u{202e}txt.exe\u{2066}", "evil<U+202E>txt.exe<U+2066>"),
        ("two\nlines\twith a tab", "two\nlines\twith a tab"),
    ] as [(String, String)])
    func visible(raw: String, shown: String) {
        #expect(TerminalText.visible(raw) == shown)
    }

    @Test("one line: each run of line breaks and tabs becomes one space, other controls are shown", arguments: [
        ("plain", "plain"),
        ("first\nsecond", "first second"),
        ("crlf\r\n\r\nbreaks", "crlf breaks"),
        ("tab\there", "tab here"),
        ("unicode\u{2028}line\u{2029}separators", "unicode line separators"),
        ("bell\u{07} and \u{1b}[31mred", "bell^G and ^[[31mred"),
    ] as [(String, String)])
    func line(raw: String, shown: String) {
        #expect(TerminalText.line(raw) == shown)
    }

    @Test("nothing that a terminal acts on is left, whatever the input")
    func everyScalar() {
        let all = String(String.UnicodeScalarView((0...0x2100).compactMap(Unicode.Scalar.init)))
        for output in [TerminalText.visible(all), TerminalText.line(all)] {
            let left = output.unicodeScalars.filter { $0.value != 0x0A && $0.value != 0x09 && ($0.value < 0x20 || (0x7F...0x9F).contains($0.value)) }
            #expect(left.isEmpty, "\(left.map(\.value))")
        }
        #expect(!TerminalText.line(all).contains("\n"))
    }
}

@Suite("JSON made safe for a terminal")
struct TerminalJSONTests {
    @Test("DEL, C1 controls and bidirectional overrides become \\u escapes, and decode to the same text")
    func escapes() throws {
        let json = "{\"title\":\"a\u{7f}b\u{9b}c\u{202e}d ✓\"}"
        let escaped = TerminalText.escapingJSON(json)
        #expect(escaped == "{\"title\":\"a\\u007fb\\u009bc\\u202ed ✓\"}")
        #expect(TerminalText.escapingJSON("{\"plain\":\"text\"}") == "{\"plain\":\"text\"}")
        let decoded = try JSONSerialization.jsonObject(with: Data(escaped.utf8)) as? [String: String]
        #expect(decoded == ["title": "a\u{7f}b\u{9b}c\u{202e}d ✓"])
    }
}
