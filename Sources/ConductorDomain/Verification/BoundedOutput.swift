/// Keeps the first `headLimit` and the last `tailLimit` bytes of a stream and counts the bytes
/// in between, so a command that prints gigabytes costs a fixed amount of memory while what
/// matters survives: the start (what ran, early errors) and the end (the failure, the summary).
///
/// Storage never exceeds `headLimit + tailLimit` bytes: the tail is a ring buffer that is
/// allocated once and then overwritten in place.
public struct BoundedOutput: Sendable {
    public let headLimit: Int
    public let tailLimit: Int
    /// Every byte appended so far, kept or not.
    public private(set) var totalBytes = 0
    private var head: [UInt8] = []
    private var tail: [UInt8] = []
    /// Once the tail is full, the index of its oldest byte.
    private var tailStart = 0

    public init(headLimit: Int, tailLimit: Int) {
        self.headLimit = max(0, headLimit)
        self.tailLimit = max(0, tailLimit)
    }

    /// Bytes dropped between the head and the tail.
    public var omittedBytes: Int { totalBytes - head.count - tail.count }

    /// Bytes held right now; at most `headLimit + tailLimit`.
    public var storedBytes: Int { head.count + tail.count }

    /// Bytes reserved by the storage, for checking the memory bound.
    public var storageCapacity: Int { head.capacity + tail.capacity }

    public mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        totalBytes += bytes.count
        var rest = bytes
        if head.count < headLimit {
            if head.isEmpty { head.reserveCapacity(headLimit) }
            let taken = min(headLimit - head.count, rest.count)
            head.append(contentsOf: UnsafeRawBufferPointer(rebasing: rest[rest.startIndex..<rest.startIndex + taken]))
            rest = UnsafeRawBufferPointer(rebasing: rest[(rest.startIndex + taken)...])
        }
        appendToTail(rest)
    }

    private mutating func appendToTail(_ bytes: UnsafeRawBufferPointer) {
        guard tailLimit > 0, !bytes.isEmpty else { return }
        // Only the last `tailLimit` bytes of this chunk can survive it.
        var rest = bytes.count > tailLimit
            ? UnsafeRawBufferPointer(rebasing: bytes[(bytes.endIndex - tailLimit)...]) : bytes
        if tail.count < tailLimit {
            if tail.isEmpty { tail.reserveCapacity(tailLimit) }
            let taken = min(tailLimit - tail.count, rest.count)
            tail.append(contentsOf: UnsafeRawBufferPointer(rebasing: rest[rest.startIndex..<rest.startIndex + taken]))
            rest = UnsafeRawBufferPointer(rebasing: rest[(rest.startIndex + taken)...])
        }
        while !rest.isEmpty {
            let run = min(tailLimit - tailStart, rest.count)
            tail.withUnsafeMutableBytes { storage in
                storage.baseAddress!.advanced(by: tailStart).copyMemory(from: rest.baseAddress!, byteCount: run)
            }
            tailStart = (tailStart + run) % tailLimit
            rest = UnsafeRawBufferPointer(rebasing: rest[(rest.startIndex + run)...])
        }
    }

    /// The kept head bytes.
    public var headBytes: [UInt8] { head }

    /// The kept tail bytes, oldest first.
    public var tailBytes: [UInt8] {
        tail.count < tailLimit || tailStart == 0 ? tail : Array(tail[tailStart...] + tail[..<tailStart])
    }

    /// The kept output as text for people and models: invalid UTF-8 replaced, terminal escape
    /// sequences removed, and characters cut in half at the gap dropped (and counted as omitted).
    public var captured: CapturedOutput {
        guard omittedBytes > 0 else {
            let all = head + tailBytes
            return CapturedOutput(head: TerminalText.decode(all), tail: "", omittedBytes: 0, totalBytes: totalBytes)
        }
        let cleanHead = UTF8Cut.droppingIncompleteEnd(head)
        let cleanTail = UTF8Cut.droppingIncompleteStart(tailBytes)
        let dropped = (head.count - cleanHead.count) + (tail.count - cleanTail.count)
        return CapturedOutput(
            head: TerminalText.decode(cleanHead), tail: TerminalText.decode(cleanTail),
            omittedBytes: omittedBytes + dropped, totalBytes: totalBytes
        )
    }
}

/// What was kept of a command's output, as stored in `bist.json`.
public struct CapturedOutput: Sendable, Equatable, Codable {
    /// The start of the output; the whole output when nothing was omitted.
    public var head: String
    /// The end of the output; empty when nothing was omitted.
    public var tail: String
    /// Bytes of output between head and tail that were not kept.
    public var omittedBytes: Int
    /// How many bytes the command wrote in all.
    public var totalBytes: Int

    public init(head: String, tail: String, omittedBytes: Int, totalBytes: Int) {
        self.head = head
        self.tail = tail
        self.omittedBytes = omittedBytes
        self.totalBytes = totalBytes
    }

    public static let empty = CapturedOutput(head: "", tail: "", omittedBytes: 0, totalBytes: 0)

    /// Head and tail joined, with a marker line where bytes were omitted.
    public var text: String {
        guard omittedBytes > 0 else { return head + tail }
        let separator = head.isEmpty || head.hasSuffix("\n") ? "" : "\n"
        return head + separator + "[… \(omittedBytes) bytes omitted …]\n" + tail
    }

    enum CodingKeys: String, CodingKey {
        case head, tail, omittedBytes = "omitted_bytes", totalBytes = "total_bytes"
    }
}

/// Trimming UTF-8 at an arbitrary byte cut so neither side starts or ends mid-character.
enum UTF8Cut {
    /// `bytes` without a trailing, incomplete multi-byte sequence.
    static func droppingIncompleteEnd(_ bytes: [UInt8]) -> [UInt8] {
        var index = bytes.count - 1
        var continuation = 0
        while index >= 0, continuation < 3, bytes[index] & 0xC0 == 0x80 {
            continuation += 1
            index -= 1
        }
        guard index >= 0 else { return bytes }
        let lead = bytes[index]
        let length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
        return continuation + 1 < length ? Array(bytes[..<index]) : bytes
    }

    /// `bytes` without leading continuation bytes (the end of a character cut in two).
    static func droppingIncompleteStart(_ bytes: [UInt8]) -> [UInt8] {
        var index = 0
        while index < min(3, bytes.count), bytes[index] & 0xC0 == 0x80 { index += 1 }
        return index == 0 ? bytes : Array(bytes[index...])
    }
}
