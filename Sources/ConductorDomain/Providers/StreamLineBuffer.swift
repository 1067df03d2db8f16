/// Cuts a streamed answer into lines as its chunks arrive: a chunk may end in the middle of a
/// line, or even between the `\r` and `\n` of one line end.
///
/// Ends are `\n`, `\r\n` and a lone `\r`, as server-sent events define them; newline-delimited
/// JSON (Ollama) only uses `\n`, which this covers. Unlike ``LineSplitter``, which is made for
/// terminal output, nothing is stripped from a line and nothing is cut: a line of JSON is
/// only useful whole. A line longer than `maximumLineBytes` is an error instead, so a server
/// that never sends a newline cannot make it grow without bound.
public struct StreamLineBuffer: Sendable {
    public struct LineTooLong: Error, Equatable, Sendable {
        public let limit: Int

        public init(limit: Int) {
            self.limit = limit
        }
    }

    public let maximumLineBytes: Int
    private var pending: [UInt8] = []
    /// The last chunk ended with `\r`: a `\n` opening the next one belongs to that line end.
    private var skipLineFeed = false

    public init(maximumLineBytes: Int = 16 << 20) {
        self.maximumLineBytes = max(1, maximumLineBytes)
    }

    /// Appends a chunk and returns the lines it completed, without their line ends.
    public mutating func append(_ bytes: some Sequence<UInt8>) throws(LineTooLong) -> [String] {
        var lines: [String] = []
        for byte in bytes {
            if skipLineFeed {
                skipLineFeed = false
                if byte == 0x0A { continue }
            }
            switch byte {
            case 0x0A:
                lines.append(takeLine())
            case 0x0D:
                lines.append(takeLine())
                skipLineFeed = true
            default:
                guard pending.count < maximumLineBytes else { throw LineTooLong(limit: maximumLineBytes) }
                pending.append(byte)
            }
        }
        return lines
    }

    /// The last line, when the stream ended without a line end after it.
    public mutating func finish() -> String? {
        skipLineFeed = false
        return pending.isEmpty ? nil : takeLine()
    }

    private mutating func takeLine() -> String {
        defer { pending.removeAll(keepingCapacity: true) }
        return String(decoding: pending, as: UTF8.self)
    }
}
