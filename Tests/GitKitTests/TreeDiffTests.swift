import ConductorTesting
import Foundation
import GitKit
import Testing

@Suite("diff stats between commits")
struct TreeDiffTests {
    @Test("per-file counts, renames and binaries agree with git diff --numstat -M")
    func agreesWithGit() throws {
        let fixture = try GitFixture(prefix: "gitkit-diff")
        let lines = (1...40).map { "line \($0)" }.joined(separator: "\n") + "\n"
        let base = try fixture.commit("Base", files: ["a.txt": "one\ntwo\nthree\n", "old/name.txt": lines, "gone.txt": "bye\n"])
        try fixture.write("a.txt", "one\n2\nthree\nfour\n")
        try FileManager.default.createDirectory(atPath: fixture.path + "/new", withIntermediateDirectories: true)
        try fixture.git("mv", "old/name.txt", "new/name.txt")
        try fixture.git("rm", "-q", "gone.txt")
        try Data([0, 1, 2, 0, 255]).write(to: URL(fileURLWithPath: fixture.path + "/blob.bin"))
        try fixture.git("add", "-A")
        let tip = try fixture.commit("Change")
        let repository = try fixture.open()
        let stats = try repository.diffStats(from: try #require(ObjectID(hex: base)), to: try #require(ObjectID(hex: tip)))
        let mine = stats.map { stat in
            (stat.isBinary ? "-\t-" : "\(stat.insertions)\t\(stat.deletions)") + "\t" + (stat.oldPath.map { "\($0) => " } ?? "") + stat.path
        }.sorted()
        let theirs = try fixture.git("diff", "--numstat", "-M", base, tip).stdout.split(separator: "\n").map { line -> String in
            // git prints a rename as "old/name.txt => new/name.txt" only with braces folded out.
            String(line).replacingOccurrences(of: "{old => new}", with: "old => new")
        }
        #expect(mine == theirs.map { $0.replacingOccurrences(of: "old => new/name.txt", with: "old/name.txt => new/name.txt") }.sorted(), "\(mine) vs \(theirs)")
        #expect(stats.first { $0.path == "new/name.txt" }?.status == .renamed)
        #expect(stats.first { $0.path == "gone.txt" }?.status == .deleted)
        #expect(stats.first { $0.path == "blob.bin" }?.status == .added)
    }
}
