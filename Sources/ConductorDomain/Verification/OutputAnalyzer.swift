/// What the verifier learns from a command's output while it streams past: test counts, and
/// the lines a failure signature is made of. It sees every line, not only the kept head and
/// tail, and each part has a fixed memory bound, so the output's size never matters.
public struct OutputAnalyzer: Sendable {
    private var splitter = LineSplitter()
    private var parser = TestCountParser()
    private var collector = FailureLineCollector()

    public init() {}

    public mutating func feed(_ bytes: UnsafeRawBufferPointer) {
        var lines: [String] = []
        splitter.feed(bytes) { lines.append($0) }
        read(lines)
    }

    public mutating func feed(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { feed($0) }
    }

    /// Call once the stream has ended, so a last line without a newline is read too.
    public mutating func finish() {
        var lines: [String] = []
        splitter.finish { lines.append($0) }
        read(lines)
    }

    private mutating func read(_ lines: [String]) {
        for line in lines {
            parser.consume(line)
            collector.consume(line)
        }
    }

    public var counts: ParsedTestCounts? { parser.result }

    /// The normalized lines a failure signature is computed from.
    public var signatureLines: [String] { collector.signatureLines }

    public func failureSignature(outcome: VerifyOutcome, command: String) -> FailureSignature {
        FailureSignature.of(outcome: outcome, command: command, lines: collector.signatureLines)
    }
}
