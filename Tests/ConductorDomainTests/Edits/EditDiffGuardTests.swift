import ConductorDomain
import Foundation
import Testing

@Suite("Edit diff guard")
struct EditDiffGuardTests {
    @Test("lines are counted as git counts them: a changed line is one removed and one added", arguments: [
        (text("a", "b", "c"), text("a", "b", "c"), 0, 0),
        (text("a", "b", "c"), text("a", "B", "c"), 1, 1),
        (text("a", "b", "c"), text("a", "b", "x", "c"), 1, 0),
        (text("a", "b", "c"), text("c"), 0, 2),
        ("", text("a", "b"), 2, 0),
        (text("a", "b"), "", 0, 2),
        ("a\nb", text("a", "b"), 1, 1),
        ("a\r\nb\r\n", text("a", "b"), 2, 2),
        (text("x", "a", "b", "c", "y"), text("y", "a", "b", "c", "x"), 2, 2),
    ] as [(String, String, Int, Int)])
    func counts(old: String, new: String, added: Int, removed: Int) {
        #expect(LineDiff.count(from: old, to: new) == LineChangeCount(added: added, removed: removed))
    }

    @Test("a new file counts all its lines as added")
    func newFile() {
        #expect(LineDiff.count(from: nil, to: text("a", "b", "c")) == LineChangeCount(added: 3, removed: 0))
    }

    @Test("counting stops above the limit and says so")
    func limit() {
        let old = (0..<500).map { "old \($0)" }.joined(separator: "\n") + "\n"
        let new = (0..<500).map { "new \($0)" }.joined(separator: "\n") + "\n"
        let count = LineDiff.count(from: old, to: new, limit: 100)
        #expect(count.exceedsLimit)
        #expect(count.total > 100)
        #expect(LineDiff.count(from: old, to: new) == LineChangeCount(added: 500, removed: 500))
        #expect(!LineDiff.count(from: old, to: new, limit: 1000).exceedsLimit)
    }

    @Test("the diff agrees with a plain longest-common-subsequence count on random texts")
    func agreesWithLCS() {
        var generator = SeededGenerator(seed: 42)
        for _ in 0..<300 {
            let old = (0..<Int.random(in: 0...12, using: &generator)).map { _ in "l\(Int.random(in: 0...4, using: &generator))" }
            let new = (0..<Int.random(in: 0...12, using: &generator)).map { _ in "l\(Int.random(in: 0...4, using: &generator))" }
            let lcs = Self.lcsLength(old, new)
            let expected = LineChangeCount(added: new.count - lcs, removed: old.count - lcs)
            let oldText = old.isEmpty ? nil : old.joined(separator: "\n") + "\n"
            #expect(LineDiff.count(from: oldText, to: new.joined(separator: "\n") + (new.isEmpty ? "" : "\n")) == expected, "\(old) → \(new)")
        }
    }

    @Test("a small edit in a long file is counted quickly")
    func longFile() {
        let old = (0..<200_000).map { "let value\($0) = \($0)" }.joined(separator: "\n") + "\n"
        let new = old.replacingOnce("let value100000 = 100000\n", with: "let value100000 = 0\nlet extra = 1\n")
        let start = Date()
        #expect(LineDiff.count(from: old, to: new, limit: 1000) == LineChangeCount(added: 2, removed: 1))
        #expect(Date().timeIntervalSince(start) < 5)
    }

    static func lcsLength(_ a: [String], _ b: [String]) -> Int {
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                table[i][j] = a[i] == b[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        return table[0][0]
    }

    static func changes(_ sizes: [Int]) -> [FileChange] {
        sizes.enumerated().map { index, size in
            FileChange(path: "f\(index).txt", before: nil, after: "", lines: LineChangeCount(added: size, removed: 0))
        }
    }

    @Test("within the limits, including exactly at them, nothing is reported")
    func withinLimits() {
        let limits = DiffLimits(maxFiles: 3, maxChangedLines: 30)
        #expect(DiffGuard.check(Self.changes([10, 10, 10]), limits: limits).isEmpty)
        #expect(DiffGuard.check(Self.changes(Array(repeating: 1000, count: 100)), limits: .unlimited).isEmpty)
    }

    @Test("too many files and too many lines are reported with the numbers and the largest files")
    func overLimits() {
        let problems = DiffGuard.check(Self.changes([5, 40, 5, 5]), limits: DiffLimits(maxFiles: 3, maxChangedLines: 30))
        #expect(problems.map(\.reason) == [.tooManyFiles, .tooManyChangedLines])
        #expect(problems[0].detail.contains("changes 4 files; at most 3"))
        #expect(problems[1].detail.contains("adds and removes 55 lines; at most 30"))
        #expect(problems[1].detail.contains("largest first: f1.txt 40, "))
    }

    @Test("a file whose count was cut off is reported as over the limit")
    func cutOff() {
        let changes = [FileChange(path: "big.txt", before: "", after: "", lines: LineChangeCount(added: 600, removed: 600, exceedsLimit: true))]
        let problems = DiffGuard.check(changes, limits: DiffLimits(maxFiles: nil, maxChangedLines: 1000))
        #expect(problems.map(\.reason) == [.tooManyChangedLines])
        #expect(problems[0].detail.contains("more than 1000 lines"))
        #expect(problems[0].detail.contains("big.txt over 1000"))
    }

    @Test("limits decode from configuration: a missing key keeps its default, null lifts the limit")
    func decoding() throws {
        let decoder = JSONDecoder()
        #expect(try decoder.decode(DiffLimits.self, from: Data("{}".utf8)) == DiffLimits())
        #expect(try decoder.decode(DiffLimits.self, from: Data(#"{"max_files": 5}"#.utf8))
            == DiffLimits(maxFiles: 5, maxChangedLines: DiffLimits.defaultMaxChangedLines))
        #expect(try decoder.decode(DiffLimits.self, from: Data(#"{"max_changed_lines": null}"#.utf8))
            == DiffLimits(maxFiles: DiffLimits.defaultMaxFiles, maxChangedLines: nil))
        let limits = DiffLimits(maxFiles: nil, maxChangedLines: 7)
        #expect(try decoder.decode(DiffLimits.self, from: JSONEncoder().encode(limits)) == limits)
    }
}
