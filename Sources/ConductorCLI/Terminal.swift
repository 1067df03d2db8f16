import ConductorDomain
import Foundation

/// The one seam through which commands print: text for people, JSON for scripts.
enum Terminal {
    static func standardOutput(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// Writes `text` as is, without a newline: for the live status line, redrawn in place.
    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// Whether standard output is a terminal (not a pipe, file or /dev/null).
    static var standardOutputIsTerminal: Bool {
        isatty(STDOUT_FILENO) != 0
    }

    /// The width in columns of the terminal on standard output; nil when it is not one.
    static var width: Int? {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }

    static func standardError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Errors and warnings often quote recorded text (a run's file, a remote's words), so
    /// their control characters are shown, never obeyed.
    static func error(_ message: String) {
        standardError("error: \(TerminalText.visible(message))")
    }

    static func warning(_ message: String) {
        standardError("warning: \(TerminalText.visible(message))")
    }

    /// Prints `value` as one line of JSON with sorted keys (JSON Lines streams).
    static func json<Value: Encodable>(line value: Value) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { preconditionFailure("unencodable output \(Value.self)") }
        standardOutput(TerminalText.escapingJSON(String(decoding: data, as: UTF8.self)))
    }

    /// Prints `value` as indented JSON with sorted keys.
    static func json<Value: Encodable>(_ value: Value) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { preconditionFailure("unencodable output \(Value.self)") }
        standardOutput(TerminalText.escapingJSON(String(decoding: data, as: UTF8.self)))
    }
}

/// Human-facing formatting shared by the listing commands.
enum Display {
    /// "just now", "5 minutes ago", "3 days ago", like `git log --date=relative`.
    static func age(of time: Timestamp, now: Timestamp) -> String {
        let seconds = max(0, (now.milliseconds - time.milliseconds) / 1000)
        let units: [(Int64, String)] = [(31_536_000, "year"), (2_592_000, "month"), (604_800, "week"), (86_400, "day"), (3600, "hour"), (60, "minute")]
        for (size, name) in units where seconds >= size {
            let count = seconds / size
            return "\(count) \(name)\(count == 1 ? "" : "s") ago"
        }
        return seconds < 10 ? "just now" : "\(seconds) seconds ago"
    }

    /// Left-aligned columns separated by two spaces; the last column is not padded. Cells
    /// hold recorded text (titles, event details), so each is made one safe line first
    /// (``TerminalText/line(_:)``), which also keeps the columns aligned.
    static func table(_ rows: [[String]]) -> String {
        let rows = rows.map { $0.map(TerminalText.line) }
        guard let columns = rows.map(\.count).max() else { return "" }
        let widths = (0..<columns).map { column in rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
