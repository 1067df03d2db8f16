/// The byte-level twin of ``IdentifierTerms`` for whole files: the same identifiers and the
/// same parts, found without making a `String` per character, because retrieval reads every
/// file of the repository for every prompt (docs/context.md).
///
/// Bytes at or above 0x80 count as letters, so identifiers in other scripts stay whole; only
/// ASCII letters are lowercased.
public enum CodeTokenizer {
    /// Calls `body` with each search term in `bytes` and the 0-based line it is on: every
    /// part of every identifier, lowercased, and the whole identifier lowercased when it has
    /// more than one part. The term's bytes are only valid during the call.
    public static func forEachTerm(in bytes: UnsafeBufferPointer<UInt8>, _ body: (ArraySlice<UInt8>, Int) -> Void) {
        var line = 0
        var index = 0
        let count = bytes.count
        var whole: [UInt8] = []
        var part: [UInt8] = []
        whole.reserveCapacity(64)
        part.reserveCapacity(64)
        while index < count {
            let byte = bytes[index]
            if byte == 0x0A { line += 1; index += 1; continue }
            guard isIdentifierStart(byte) else {
                // Skip a number (or anything else) whole, so `0x1F` yields no `x1f`.
                if isDigit(byte) { while index < count, isWord(bytes[index]) { index += 1 } } else { index += 1 }
                continue
            }
            let start = index
            while index < count, isWord(bytes[index]) { index += 1 }
            guard index - start >= 2 else { continue }
            emit(bytes, start..<index, line: line, whole: &whole, part: &part, body)
        }
    }

    /// The terms of `text` as strings, for queries and tests; same rules as
    /// ``forEachTerm(in:_:)``.
    public static func terms(in text: String) -> [String] {
        var result: [String] = []
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBufferPointer { buffer in
            forEachTerm(in: UnsafeBufferPointer(buffer)) { term, _ in result.append(String(decoding: term, as: UTF8.self)) }
        }
        return result
    }

    private static func emit(
        _ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, line: Int,
        whole: inout [UInt8], part: inout [UInt8], _ body: (ArraySlice<UInt8>, Int) -> Void
    ) {
        whole.removeAll(keepingCapacity: true)
        part.removeAll(keepingCapacity: true)
        var parts = 0
        var previous: UInt8 = 0
        func flush() {
            if part.count >= 2 { body(part[...], line); parts += 1 }
            part.removeAll(keepingCapacity: true)
        }
        for offset in range {
            let byte = bytes[offset]
            if byte == 0x5F { // _
                flush()
                whole.append(byte)
                previous = byte
                continue
            }
            whole.append(lowered(byte))
            if !part.isEmpty {
                let next: UInt8 = offset + 1 < range.upperBound ? bytes[offset + 1] : 0
                let lowerToUpper = isUpper(byte) && (isLower(previous) || isDigit(previous))
                let acronymEnd = isUpper(byte) && isUpper(previous) && isLower(next)
                let letterAfterDigit = isLetter(byte) && isDigit(previous)
                if lowerToUpper || acronymEnd || letterAfterDigit { flush() }
            }
            part.append(lowered(byte))
            previous = byte
        }
        flush()
        if parts > 1 { body(whole[...], line) }
    }

    @inline(__always) static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    @inline(__always) static func isUpper(_ byte: UInt8) -> Bool { byte >= 0x41 && byte <= 0x5A }
    @inline(__always) static func isLower(_ byte: UInt8) -> Bool { byte >= 0x61 && byte <= 0x7A }
    @inline(__always) static func isLetter(_ byte: UInt8) -> Bool { isUpper(byte) || isLower(byte) || byte >= 0x80 }
    @inline(__always) static func isIdentifierStart(_ byte: UInt8) -> Bool { isLetter(byte) || byte == 0x5F }
    @inline(__always) static func isWord(_ byte: UInt8) -> Bool { isIdentifierStart(byte) || isDigit(byte) }
    @inline(__always) static func lowered(_ byte: UInt8) -> UInt8 { isUpper(byte) ? byte + 32 : byte }
}
