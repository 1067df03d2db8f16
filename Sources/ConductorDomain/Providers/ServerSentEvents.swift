/// One server-sent event: its `event:` type (nil when the server named none, which means
/// "message") and its `data:` lines joined by newlines.
public struct ServerSentEvent: Sendable, Equatable {
    public let type: String?
    public let data: String

    public init(type: String? = nil, data: String) {
        self.type = type
        self.data = data
    }
}

/// Turns the lines of a `text/event-stream` into events, following the WHATWG rules that
/// OpenAI and Anthropic streams use: `field: value` lines (one space after the colon is
/// optional and dropped), `:` comment lines (keep-alives) ignored, several `data:` lines
/// joined with `\n`, and a blank line ending the event. Fields other than `event` and `data`
/// (`id`, `retry`) do not matter for a single answer and are ignored.
public struct ServerSentEventParser: Sendable {
    private var type: String?
    private var data: [String] = []

    public init() {}

    /// Feeds one line (without its line end); returns the event a blank line completes.
    public mutating func feed(line: String) -> ServerSentEvent? {
        if line.isEmpty { return dispatch() }
        if line.hasPrefix(":") { return nil }
        let field: Substring, value: Substring
        if let colon = line.firstIndex(of: ":") {
            field = line[..<colon]
            let rest = line[line.index(after: colon)...]
            value = rest.hasPrefix(" ") ? rest.dropFirst() : rest
        } else {
            (field, value) = (Substring(line), "")
        }
        switch field {
        case "event": type = String(value)
        case "data": data.append(String(value))
        default: break
        }
        return nil
    }

    /// The event still open when the stream ended. The standard drops it; servers that close
    /// right after their last `data:` line are common enough that it is kept.
    public mutating func finish() -> ServerSentEvent? {
        dispatch()
    }

    private mutating func dispatch() -> ServerSentEvent? {
        defer { (type, data) = (nil, []) }
        guard !data.isEmpty else { return nil }
        return ServerSentEvent(type: type, data: data.joined(separator: "\n"))
    }
}
