/// Cuts a byte stream into text lines as it arrives, so parsers can see every line of an
/// output that is far too large to keep.
///
/// Memory stays bounded: a line longer than `maximumLineBytes` is cut there and the rest of it
/// is skipped. Carriage returns are treated the way a terminal shows them (only the text after
/// the last `\r` of a line remains, so progress bars collapse), and escape sequences are removed.
public struct LineSplitter: Sendable {
    public let maximumLineBytes: Int
    private var pending: [UInt8] = []
    private var skippingRestOfLine = false
    /// The last byte seen was a `\r`.
    private var carriageReturnPending = false

    public init(maximumLineBytes: Int = 4096) {
        self.maximumLineBytes = max(1, maximumLineBytes)
    }

    /// Splits `bytes`, calling `emit` with each line completed by them.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer, _ emit: (String) -> Void) {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        let count = bytes.count
        var start = 0
        while start < count {
            var end = start
            while end < count, base[end] != 0x0A { end += 1 }
            keep(UnsafeBufferPointer(start: base + start, count: end - start))
            guard end < count else { return }
            emitPending(emit)
            start = end + 1
        }
    }

    public mutating func feed(_ bytes: [UInt8], _ emit: (String) -> Void) {
        bytes.withUnsafeBytes { feed($0, emit) }
    }

    /// Emits the last line when the stream did not end with a newline.
    public mutating func finish(_ emit: (String) -> Void) {
        if !pending.isEmpty || skippingRestOfLine { emitPending(emit) }
        carriageReturnPending = false
    }

    private mutating func keep(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard !bytes.isEmpty else { return }
        var segment = bytes[...]
        if carriageReturnPending {
            // The `\r` that ended the last chunk was not part of `\r\n`: the terminal would have
            // gone back to the start of the line.
            restartLine()
            carriageReturnPending = false
        }
        if let last = Self.lastCarriageReturn(in: segment, before: segment.endIndex) {
            if last == segment.endIndex - 1 {
                // Either `\r\n` split across chunks, or an overwrite; the next byte tells.
                carriageReturnPending = true
                if let previous = Self.lastCarriageReturn(in: segment, before: last) {
                    restartLine()
                    segment = segment[(previous + 1)..<last]
                } else {
                    segment = segment[..<last]
                }
            } else {
                restartLine()
                segment = segment[(last + 1)...]
            }
        }
        guard !skippingRestOfLine, !segment.isEmpty else { return }
        let room = maximumLineBytes - pending.count
        if segment.count > room {
            pending.append(contentsOf: segment.prefix(room))
            skippingRestOfLine = true
        } else {
            pending.append(contentsOf: segment)
        }
    }

    private static func lastCarriageReturn(in segment: Slice<UnsafeBufferPointer<UInt8>>, before end: Int) -> Int? {
        var index = end - 1
        while index >= segment.startIndex {
            if segment.base[index] == 0x0D { return index }
            index -= 1
        }
        return nil
    }

    private mutating func restartLine() {
        pending.removeAll(keepingCapacity: true)
        skippingRestOfLine = false
    }

    private mutating func emitPending(_ emit: (String) -> Void) {
        emit(TerminalText.decode(pending))
        restartLine()
        carriageReturnPending = false
    }

    /// Every line of `text`, split the same way as a stream would be.
    public static func lines(of text: String) -> [String] {
        var splitter = LineSplitter(maximumLineBytes: Int.max / 2)
        var lines: [String] = []
        splitter.feed(Array(text.utf8)) { lines.append($0) }
        splitter.finish { lines.append($0) }
        return lines
    }
}
