/// A short, stable fingerprint of how a verify command failed: 64-bit FNV-1a, 16 hex digits,
/// over the outcome, the command and its failure lines after ``OutputNormalizer``.
///
/// Two runs that fail the same way get the same signature even though timestamps, addresses,
/// paths, durations, counters and the order of parallel test output differ, so the loop
/// guardian can tell "the same failure again" from progress. A different assertion, test or
/// error message gives a different signature.
public struct FailureSignature: Hashable, Sendable, TextCodable, CustomStringConvertible {
    public static let codingName = "failure signature"

    public let rawValue: String

    /// Accepts exactly 16 lowercase hexadecimal digits.
    public init?(_ text: String) {
        guard text.utf8.count == 16,
              text.utf8.allSatisfy({ ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "f")) })
        else { return nil }
        rawValue = text
    }

    init(hash: UInt64) {
        let digits = String(hash, radix: 16)
        rawValue = String(repeating: "0", count: 16 - digits.count) + digits
    }

    public var description: String { rawValue }

    /// The signature of a failure described by its outcome, command and normalized lines.
    public static func of(outcome: VerifyOutcome, command: String, lines: [String]) -> FailureSignature {
        var hasher = FNV1a64()
        hasher.combine(outcome.rawValue)
        hasher.combine("\n")
        hasher.combine(command)
        for line in lines {
            hasher.combine("\n")
            hasher.combine(line)
        }
        return FailureSignature(hash: hasher.value)
    }

    /// One signature for several failing commands: their signatures, in order, hashed again.
    public static func combining(_ signatures: [FailureSignature]) -> FailureSignature? {
        guard signatures.count > 1 else { return signatures.first }
        var hasher = FNV1a64()
        for signature in signatures {
            hasher.combine(signature.rawValue)
            hasher.combine("\n")
        }
        return FailureSignature(hash: hasher.value)
    }

    /// The signature of a whole output: its failure lines (see ``FailureLineCollector``).
    public static func of(outcome: VerifyOutcome, command: String, output: String) -> FailureSignature {
        var collector = FailureLineCollector()
        for line in LineSplitter.lines(of: output) { collector.consume(line) }
        return of(outcome: outcome, command: command, lines: collector.signatureLines)
    }
}

/// 64-bit FNV-1a: simple, fast, and defined byte for byte, so signatures agree across
/// processes, machines and versions (unlike `Hasher`, which is seeded per process).
public struct FNV1a64: Sendable {
    public private(set) var value: UInt64 = 0xCBF2_9CE4_8422_2325

    public init() {}

    public mutating func combine(_ text: String) {
        for byte in text.utf8 { combine(byte) }
    }

    public mutating func combine(_ byte: UInt8) {
        value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }

    public static func hash(_ text: String) -> UInt64 {
        var hasher = FNV1a64()
        hasher.combine(text)
        return hasher.value
    }
}

/// Picks, from a stream of output lines, the ones a failure signature is made of.
///
/// Lines that say something failed (they mention an error, a failure, an assertion, a panic,
/// an exception…) are normalized and kept as a set: sorted and without duplicates, so parallel
/// test runners that print failures in a different order each run still agree. When no such
/// line appears, the last lines of the output stand in, in order. Memory is bounded: at most
/// `maximumLines` distinct failure lines and `tailLines` raw lines are held.
public struct FailureLineCollector: Sendable {
    public let maximumLines: Int
    public let tailLines: Int
    private var failureLines: Set<String> = []
    private var examined = 0
    private var tail: [String] = []
    private var tailStart = 0

    public init(maximumLines: Int = 200, tailLines: Int = 20) {
        self.maximumLines = max(1, maximumLines)
        self.tailLines = max(1, tailLines)
    }

    public mutating func consume(_ line: String) {
        guard line.utf8.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }) else { return }
        if tail.count < tailLines {
            tail.append(line)
        } else {
            tail[tailStart] = line
            tailStart = (tailStart + 1) % tailLines
        }
        // Normalizing costs more than matching; an output with endless errors is capped.
        guard failureLines.count < maximumLines, examined < maximumLines * 10, Self.indicatesFailure(line) else { return }
        examined += 1
        let normalized = OutputNormalizer.normalize(line)
        if !normalized.isEmpty { failureLines.insert(normalized) }
    }

    /// The normalized lines a signature is computed from.
    public var signatureLines: [String] {
        if !failureLines.isEmpty { return failureLines.sorted() }
        let ordered = Array(tail[tailStart...] + tail[..<tailStart])
        return ordered.map(OutputNormalizer.normalize).filter { !$0.isEmpty }
    }

    /// Whether a line reports a failure: it contains one of the words runners and compilers use
    /// (in any case), or Swift Testing's failure mark.
    public static func indicatesFailure(_ line: String) -> Bool {
        var line = line
        return line.withUTF8 { indicatesFailure(bytes: $0) }
    }

    private static func indicatesFailure(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count >= 3 else { return false }
        for start in 0..<bytes.count {
            let first = bytes[start] | 0x20
            guard keywordInitials.contains(first) || bytes[start] == 0xE2 else { continue }
            for keyword in keywords where keyword.count <= bytes.count - start {
                var matches = true
                for offset in 0..<keyword.count {
                    let byte = bytes[start + offset]
                    let folded = byte < 0x80 ? byte | 0x20 : byte
                    if folded != keyword[offset] {
                        matches = false
                        break
                    }
                }
                if matches { return true }
            }
        }
        return false
    }

    private static let keywords: [[UInt8]] = [
        "error", "fail", "assert", "panic", "exception", "traceback", "fatal", "expectation",
        "segmentation fault", "aborted", "✘",
    ].map { Array($0.utf8) }

    private static let keywordInitials: Set<UInt8> = Set(keywords.compactMap { $0.first }.filter { $0 < 0x80 })
}
