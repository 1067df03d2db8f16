import ConductorDomain
import Testing

@Suite("Verification: bounded output and line splitting")
struct VerificationOutputTests {
    static func bounded(_ text: String, head: Int, tail: Int, chunk: Int) -> BoundedOutput {
        var output = BoundedOutput(headLimit: head, tailLimit: tail)
        let bytes = Array(text.utf8)
        var start = 0
        while start < bytes.count {
            output.append(Array(bytes[start..<min(start + chunk, bytes.count)]))
            start += chunk
        }
        return output
    }

    @Test("keeps the first and last bytes and counts the rest, whatever the chunk sizes", arguments: [1, 2, 3, 5, 8, 100])
    func headAndTail(chunk: Int) {
        let output = Self.bounded("abcdefghijkl", head: 4, tail: 3, chunk: chunk)
        #expect(output.headBytes == Array("abcd".utf8))
        #expect(output.tailBytes == Array("jkl".utf8))
        #expect(output.omittedBytes == 5)
        #expect(output.totalBytes == 12)
        #expect(output.storedBytes == 7)
        #expect(output.captured == CapturedOutput(head: "abcd", tail: "jkl", omittedBytes: 5, totalBytes: 12))
        #expect(output.captured.text == "abcd\n[… 5 bytes omitted …]\njkl")
    }

    @Test("matches a plain prefix and suffix on seeded random streams")
    func randomStreams() {
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<200 {
            let length = Int.random(in: 0...300, using: &generator)
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let head = Int.random(in: 0...40, using: &generator)
            let tail = Int.random(in: 0...40, using: &generator)
            var output = BoundedOutput(headLimit: head, tailLimit: tail)
            var start = 0
            while start < bytes.count {
                let size = Int.random(in: 1...64, using: &generator)
                output.append(Array(bytes[start..<min(start + size, bytes.count)]))
                start += size
            }
            let keptHead = Array(bytes.prefix(head))
            let keptTail = Array(bytes.dropFirst(keptHead.count).suffix(tail))
            #expect(output.headBytes == keptHead)
            #expect(output.tailBytes == keptTail)
            #expect(output.omittedBytes == bytes.count - keptHead.count - keptTail.count)
            #expect(output.storedBytes <= head + tail)
        }
    }

    @Test("short output is kept whole, in the head")
    func shortOutput() {
        let output = Self.bounded("héllo wörld\n", head: 4, tail: 100, chunk: 3)
        #expect(output.omittedBytes == 0)
        #expect(output.captured == CapturedOutput(head: "héllo wörld\n", tail: "", omittedBytes: 0, totalBytes: 13 + 1))
    }

    @Test("characters cut in two at the gap are dropped and counted as omitted")
    func utf8Cut() {
        // "aaé" + 10 × "x" + "ébb": the head ends, and the tail starts, inside an "é".
        let output = Self.bounded("aaé" + String(repeating: "x", count: 10) + "ébb", head: 3, tail: 3, chunk: 4)
        let captured = output.captured
        #expect(captured.head == "aa")
        #expect(captured.tail == "bb")
        #expect(captured.omittedBytes == output.totalBytes - 4)
    }

    @Test("storage never grows past the limits")
    func memoryBound() {
        var output = BoundedOutput(headLimit: 1024, tailLimit: 4096)
        let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 65_536)
        for _ in 0..<80 { output.append(chunk) }
        #expect(output.totalBytes == 80 * 65_536)
        #expect(output.storedBytes == 1024 + 4096)
        #expect(output.storageCapacity <= (1024 + 4096) + 256)
    }

    @Test("splits lines across chunks, strips CR and escape codes, keeps the text after the last CR")
    func lines() {
        var splitter = LineSplitter(maximumLineBytes: 10)
        var lines: [String] = []
        for chunk in ["fir", "st\r", "\nsec", "ond\n\n", "progress 1\rprogress 2\r", "done\n", "\u{1B}[1;31mred\u{1B}[0m\n", "a very long line indeed\nlast"] {
            splitter.feed(Array(chunk.utf8)) { lines.append($0) }
        }
        splitter.finish { lines.append($0) }
        #expect(lines == ["first", "second", "", "done", "red", "a very lon", "last"])
    }

    @Test("terminal escape sequences are removed, text is kept", arguments: [
        ("\u{1B}[32mok\u{1B}[0m", "ok"),
        ("\u{1B}]8;;https://example.com\u{07}link\u{1B}]8;;\u{07}", "link"),
        ("\u{1B}]0;title\u{1B}\\text", "text"),
        ("plain", "plain"),
    ] as [(String, String)])
    func escapes(raw: String, text: String) {
        #expect(TerminalText.decode(Array(raw.utf8)) == text)
    }
}
