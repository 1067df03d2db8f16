import ConductorKit
import ConductorTesting
import Foundation
import Testing

@Suite("rotating log file")
struct RotatingLogFileTests {
    @Test("past its size the log moves to .1, older ones move up, and only `keep` old files stay")
    func rotates() throws {
        let directory = try TemporaryDirectory(prefix: "conductor-log")
        let path = directory.appending("conductor.log")
        let file = RotatingLogFile(path: path, maxBytes: 100, keep: 2)
        for index in 0..<12 { file.append("line \(index) " + String(repeating: "x", count: 30)) }
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(names == ["conductor.log", "conductor.log.1", "conductor.log.2"], "\(names)")
        for name in names {
            let size = try #require(try FileManager.default.attributesOfItem(atPath: directory.appending(name))[.size] as? Int)
            #expect(size <= 100, "\(name): \(size) bytes")
        }
        let newest = try String(contentsOfFile: path, encoding: .utf8)
        #expect(newest.hasSuffix("line 11 " + String(repeating: "x", count: 30) + "\n"))
        let oldest = try String(contentsOfFile: path + ".2", encoding: .utf8)
        #expect(!oldest.contains("line 0 "), "the oldest lines are dropped")
    }
}
