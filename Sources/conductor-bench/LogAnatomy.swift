import ConductorDomain
import ConductorKit
import Foundation
import GitKit

/// Where the time of `git conductor log` goes.
///
/// The process measurement says how long the user waits; this splits that into process
/// start-up and the in-process steps of a listing, timed with the library's public API, and
/// splits reading every run into its two halves: getting the bytes out of git (trees, then
/// loose blobs to inflate) and decoding them as JSON. Informational: no budgets here.
struct LogAnatomy {
    let tools: Tools
    let repository: BenchRepository
    /// Repetitions of each step; the median is reported.
    let samples: Int

    struct Step {
        let key: String
        let label: String
        let nanoseconds: Double
    }

    /// The steps in order, and how many files a full read touches.
    func measure() throws -> (steps: [Step], files: Int) {
        guard let snapshot = try repository.store.snapshot() else { throw BenchError("no state branch") }
        var steps: [Step] = []
        func step(_ key: String, _ label: String, prepare: () -> Void = {}, _ body: () throws -> Void) throws {
            var timings = Samples()
            for _ in 0..<samples {
                prepare()
                timings.add(try Monotonic.time(body).nanoseconds)
            }
            steps.append(Step(key: key, label: label, nanoseconds: timings.median))
        }

        try step("startup", "git-conductor --version (process start-up)") {
            let child = ChildProcess(executable: tools.conductor, arguments: ["--version"], directory: repository.path, environment: tools.environment)
            guard try child.run().status.succeeded else { throw BenchError("git-conductor --version failed") }
        }
        let directories = try snapshot.runDirectories()
        try step("list", "list run directories (every shard tree)") { _ = try snapshot.runDirectories() }
        try step("history", "read + decode + fold every run (StateSnapshot.history)") {
            for directory in directories { _ = try snapshot.history(of: directory).summary }
        }
        var files: [(isRecord: Bool, bytes: [UInt8])] = []
        try step("read", "  of which: read trees and blobs (libgit2)") { files = try readEveryFile(directories) }
        try step("decode", "  of which: JSON-decode run.json and events") { try decode(files) }

        let removeCache: () -> Void = { try? FileManager.default.removeItem(atPath: repository.summaryCacheDirectory) }
        let catalog = RunCatalog(repository: repository.conductor, snapshot: snapshot)
        try step("catalog.limit50.cold", "RunCatalog.summaries(limit: 50), no cache", prepare: removeCache) { _ = try catalog.summaries(limit: 50) }
        try step("catalog.full.cold", "RunCatalog.summaries(), no cache (and saving it)", prepare: removeCache) { _ = try catalog.summaries() }
        try step("catalog.limit50.warm", "RunCatalog.summaries(limit: 50), cache complete") { _ = try catalog.summaries(limit: 50) }
        try step("catalog.full.warm", "RunCatalog.summaries(), cache complete") { _ = try catalog.summaries() }
        return (steps, files.count)
    }

    /// The bytes of every `run.json` and event file, read the way `history(of:)` reads them.
    private func readEveryFile(_ directories: [RunDirectory]) throws -> [(isRecord: Bool, bytes: [UInt8])] {
        let git = repository.conductor.git
        var files: [(isRecord: Bool, bytes: [UInt8])] = []
        for directory in directories {
            let tree = try git.tree(directory.tree)
            if let record = tree.entry(named: "run.json") { files.append((true, try git.readBlob(record.id))) }
            if let events = tree.entry(named: "events") {
                for entry in try git.tree(events.id).entries { files.append((false, try git.readBlob(entry.id))) }
            }
        }
        return files
    }

    /// Decodes as the store does: one reused `JSONDecoder`.
    private func decode(_ files: [(isRecord: Bool, bytes: [UInt8])]) throws {
        let decoder = JSONDecoder()
        for file in files {
            if file.isRecord {
                _ = try decoder.decode(RunRecord.self, from: Data(file.bytes))
            } else {
                _ = try decoder.decode(Event.self, from: Data(file.bytes))
            }
        }
    }
}
