import ConductorDomain
import Testing

@Suite("Stream parsing")
struct StreamParsingTests {
    static func lines(_ chunks: [String], limit: Int = 1 << 20) throws -> [String] {
        var buffer = StreamLineBuffer(maximumLineBytes: limit)
        var lines: [String] = []
        for chunk in chunks { lines += try buffer.append(Array(chunk.utf8)) }
        if let last = buffer.finish() { lines.append(last) }
        return lines
    }

    @Test("lines are cut wherever the chunks end, with \\n, \\r\\n or a lone \\r")
    func lineEnds() throws {
        #expect(try Self.lines(["da", "ta: 1\n", "\ndata: 2\r", "\n\r", "\nlast"]) == ["data: 1", "", "data: 2", "", "last"])
        #expect(try Self.lines(["a\rb\r\nc\n"]) == ["a", "b", "c"])
        #expect(try Self.lines(["é€", "\n"]) == ["é€"])
    }

    @Test("multi-byte characters split across chunks come out whole")
    func utf8AcrossChunks() throws {
        let bytes = Array("ok: €\n".utf8)
        var buffer = StreamLineBuffer()
        var lines = try buffer.append(bytes[..<5])
        lines += try buffer.append(bytes[5...])
        #expect(lines == ["ok: €"])
    }

    @Test("a line longer than the limit is an error, not unbounded memory")
    func tooLong() {
        #expect(throws: StreamLineBuffer.LineTooLong(limit: 8)) { _ = try Self.lines(["0123456789"], limit: 8) }
    }

    static func events(_ text: String) -> [ServerSentEvent] {
        var parser = ServerSentEventParser()
        var buffer = StreamLineBuffer()
        var events: [ServerSentEvent] = []
        for line in (try? buffer.append(Array(text.utf8))) ?? [] {
            if let event = parser.feed(line: line) { events.append(event) }
        }
        if let line = buffer.finish(), let event = parser.feed(line: line) { events.append(event) }
        if let event = parser.finish() { events.append(event) }
        return events
    }

    @Test("events: named or not, comments skipped, data lines joined, the space after the colon optional")
    func serverSentEvents() {
        let text = """
            : keep-alive

            event: message_start
            data: {"type":"message_start"}

            data:{"a":1}
            data: {"b":2}
            id: 7
            retry: 1000

            event: ping

            data: [DONE]
            """
        #expect(Self.events(text) == [
            ServerSentEvent(type: "message_start", data: #"{"type":"message_start"}"#),
            ServerSentEvent(data: "{\"a\":1}\n{\"b\":2}"),
            ServerSentEvent(data: "[DONE]"),
        ])
    }

    @Test("an event type without data is not an event; one at the very end without a blank line still is")
    func edges() {
        #expect(Self.events("event: ping\n\n").isEmpty)
        #expect(Self.events("data: last") == [ServerSentEvent(data: "last")])
        #expect(Self.events("data\n\n") == [ServerSentEvent(data: "")])
    }
}
