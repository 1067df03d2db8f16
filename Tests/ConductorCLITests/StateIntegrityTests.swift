import ConductorTesting
import Foundation
import Testing

/// What plain git thinks of the branch after the conductor wrote to it.
@Suite("state branch integrity")
struct StateIntegrityTests {
    /// `git fsck --strict` output may mention unreachable objects from lost compare-and-swap
    /// attempts (documented) and an unborn HEAD, nothing else.
    static func expectClean(_ sandbox: Sandbox, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let output = try sandbox.fixture.fsck()
        let problems = lines(output).filter { !$0.hasPrefix("dangling ") && !$0.hasPrefix("notice: ") }
        #expect(problems.isEmpty, "git fsck --strict:\n\(output)", sourceLocation: sourceLocation)
    }

    @Test("after every kind of write, git fsck --strict is clean and commits carry Conductor-Run trailers")
    func fsckAndTrailers() throws {
        let sandbox = try Sandbox()
        try sandbox.conductorOK("init")
        try sandbox.synth("populate", "12", "5")
        let id = try sandbox.createRun("Trailers")
        try sandbox.synth("append", id, "3")
        let ids = try sandbox.runIDsOnBranch()
        #expect(ids.count == 13)
        try Self.expectClean(sandbox)

        let messages = try sandbox.git("log", stateBranch, "--format=%B").stdout
        for run in ids {
            #expect(messages.contains("Conductor-Run: \(run)"), "no trailer for \(run)")
        }
        // git's own trailer parser agrees: every commit but the root names the runs it touched.
        let perCommit = lines(try sandbox.git(
            "log", stateBranch, "--format=%H %P|%(trailers:key=Conductor-Run,valueonly,separator=%x2C)"
        ).stdout)
        // init, 3 populate commits (5 + 5 + 2), create-run, 3 appends.
        #expect(perCommit.count == 8)
        var trailered: Set<String> = []
        for line in perCommit {
            let parts = line.split(separator: "|", omittingEmptySubsequences: false)
            let commits = parts[0].split(separator: " ")
            let trailers = parts[1].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            #expect(commits.count <= 2, "a state commit has at most one parent: \(line)")
            if commits.count == 1 {
                #expect(trailers.isEmpty, "the root commit touches no run: \(line)")
            } else {
                #expect(!trailers.isEmpty, "\(line)")
                #expect(trailers.allSatisfy(ids.contains), "\(line)")
            }
            trailered.formUnion(trailers)
        }
        #expect(trailered == Set(ids))
        #expect(lines(try sandbox.git("log", stateBranch, "--format=%s", "-1").stdout).first?.contains(id) == true)
    }

    @Test("the tree follows the documented layout")
    func layout() throws {
        let sandbox = try Sandbox()
        try sandbox.populate(5)
        for path in try sandbox.pathsOnBranch() where path != "format.json" {
            let parts = path.split(separator: "/").map(String.init)
            #expect(parts.count >= 5 && parts[0] == "runs", "\(path)")
            guard parts.count >= 5 else { continue }
            let id = Array(parts[3])
            #expect(parts[1] == String(id[25]) && parts[2] == String(id[24]), "the shards are the id's last and second-last characters: \(path)")
            #expect(parts[4] == "run.json" || (parts[4] == "events" && parts.count == 6), "\(path)")
            if parts[4] == "events" {
                let name = parts[5]
                #expect(name.hasSuffix(".json") && name.count == 12 + 1 + 10 + 1 + 4 + 5, "event file name \(name)")
            }
        }
        // Every file is one JSON object.
        for (path, contents) in try sandbox.filesOnBranch() {
            #expect((try? JSONSerialization.jsonObject(with: Data(contents.utf8))) is [String: Any], "\(path)")
        }
    }

    @Test("concurrent writers lose no events and leave a linear, fsck-clean branch")
    func concurrentAppends() throws {
        let sandbox = try Sandbox()
        try sandbox.conductorOK("init")
        let id = try sandbox.createRun("Concurrent appends")
        let writers = 4, eventsEach = 5
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: writers) { _ in
            results.add(Result { try sandbox.run(Tool.synth, ["append", id, String(eventsEach)]) })
        }
        for result in results.all {
            let finished = try result.get()
            #expect(finished.status == 0, "\(finished)")
        }

        let files = try sandbox.eventFiles(of: id)
        #expect(files.count == 1 + writers * eventsEach, "\(files)")
        #expect(try sandbox.git("rev-list", "--count", stateBranch).output == String(2 + writers * eventsEach))
        #expect(try sandbox.git("rev-list", "--min-parents=2", stateBranch).output.isEmpty)
        try Self.expectClean(sandbox)

        let show = try jsonObject(try sandbox.conductorOK("show", id, "--json").stdout)
        #expect((show["events"] as? [Any])?.count == files.count)
        let entry = try #require(try jsonArray(try sandbox.conductorOK("log", "--json").stdout).first)
        #expect(entry["iterations"] as? Int == eventsEach)
    }
}

/// Results gathered from several threads.
private final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Result<ProcessResult, any Error>] = []

    func add(_ value: Result<ProcessResult, any Error>) {
        lock.lock()
        values.append(value)
        lock.unlock()
    }

    var all: [Result<ProcessResult, any Error>] {
        lock.lock()
        defer { lock.unlock() }
        return values
    }
}
