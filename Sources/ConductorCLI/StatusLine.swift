import ConductorDomain

/// The text of the live status line: state, iteration N/M, the last BIST result, tokens so
/// far and elapsed time, e.g.
///
///     VERIFYING · iteration 2/8 · BIST fail: exit 1 from sh test.sh · 1,240 tokens ($0.0030) · 1m05s
///
/// A pure function of a ``LiveProgress``, the elapsed seconds and whether colour is on, so what
/// a terminal shows is unit-tested without one. Drawing it in place is ``LiveStatus``'s job.
enum StatusLine {
    static let separator = " · "

    /// The line for `progress`, cut to fit `width` columns when given (a line that wraps
    /// cannot be redrawn in place: `\r` only returns to the start of the last row).
    static func text(_ progress: LiveProgress, elapsedSeconds: Int, colour: Bool, width: Int? = nil) -> String {
        let stateName = progress.state?.rawValue ?? "STARTING"
        var parts = [stateName]
        if let iteration = progress.iteration { parts.append("iteration \(iteration)" + (progress.maxIterations.map { "/\($0)" } ?? "")) }
        if let bist = progress.lastBIST { parts.append("BIST \(TerminalText.line(bist))") }
        if let tokens = progress.tokens {
            parts.append("\(grouped(tokens)) tokens" + (progress.costUSD.map { " (\(CostFormat.dollars($0)))" } ?? ""))
        }
        parts.append(elapsed(elapsedSeconds))
        let plain = fit(parts.joined(separator: separator), width: width)
        // Only the state name is coloured, and only when it survived the cut whole.
        guard colour, let state = progress.state, plain.hasPrefix(stateName) else { return plain }
        return StatePalette.paint(state, colour: true) + plain.dropFirst(stateName.count)
    }

    /// `7s`, `1m05s`, `1h02m03s`: short, and of steady width within each unit.
    static func elapsed(_ seconds: Int) -> String {
        let seconds = max(0, seconds)
        let (hours, minutes, rest) = (seconds / 3600, seconds / 60 % 60, seconds % 60)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
        if hours > 0 { return "\(hours)h\(two(minutes))m\(two(rest))s" }
        if minutes > 0 { return "\(minutes)m\(two(rest))s" }
        return "\(rest)s"
    }

    /// `1,234,567`: digits in groups of three, the same whatever the locale.
    static func grouped(_ value: Int) -> String {
        let digits = Array(String(value.magnitude))
        var text = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return (value < 0 ? "-" : "") + text
    }

    /// `text` cut to at most `width - 1` characters, ending in `…` when cut. One column is
    /// left free because many terminals wrap as soon as the last one is written.
    static func fit(_ text: String, width: Int?) -> String {
        guard let width, width > 1 else { return text }
        let room = width - 1
        guard text.count > room else { return text }
        return String(text.prefix(max(0, room - 1))) + "…"
    }
}
