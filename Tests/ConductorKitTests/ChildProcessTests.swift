import ConductorDomain
import ConductorKit
import ConductorTesting
import Foundation
import GitKit
import Testing

/// Tests that run `conductor-synth` in child processes: a fresh libgit2 per process (for
/// identity fallback, since libgit2 caches global config paths per process) and real
/// concurrency between processes.
@Suite("Writers in other processes")
struct ChildProcessTests {
    static var synth: String { BuiltProducts.path("conductor-synth") }

    /// Runs `conductor-synth` in the fixture and requires success.
    @discardableResult
    static func synth(_ fixture: GitFixture, _ arguments: String..., environment: [String: String]? = nil) throws -> ProcessResult {
        let result = try runProcess(synth, arguments, in: fixture.path, environment: environment ?? fixture.environment)
        try #require(result.succeeded, "conductor-synth \(arguments.joined(separator: " ")): \(result)")
        return result
    }

    @Test("conductor-synth was built next to the tests")
    func built() {
        #expect(FileManager.default.isExecutableFile(atPath: Self.synth), "\(Self.synth)")
    }

    @Test("without any git identity, commits are made by git-conductor <git-conductor@localhost>")
    func identityFallback() throws {
        let fixture = try GitFixture()
        try fixture.git("config", "--unset", "user.name")
        try fixture.git("config", "--unset", "user.email")
        let emptyHome = try TemporaryDirectory(prefix: "conductor-home")
        let bare = fixture.environment(adding: [
            "HOME": emptyHome.path,
            "XDG_CONFIG_HOME": emptyHome.path,
            "GIT_CONFIG_NOSYSTEM": "1",
        ])
        // git itself has no identity here (no name configured anywhere).
        #expect(try fixture.gitResult(["config", "user.name"], environment: bare).status == 1)

        try Self.synth(fixture, "init", environment: bare)
        #expect(try fixture.git("log", "-1", "--format=%an <%ae>|%cn <%ce>", "orchestrator-state").output
            == "git-conductor <git-conductor@localhost>|git-conductor <git-conductor@localhost>")

        // The same child with an identity configured uses it, so the check above can fail.
        try fixture.git("config", "user.name", "Local Person")
        try fixture.git("config", "user.email", "local@example.com")
        let id = try Self.synth(fixture, "create-run", "with identity", environment: bare).output
        #expect(RunID(id) != nil)
        #expect(try fixture.git("log", "-1", "--format=%an <%ae>", "orchestrator-state").output == "Local Person <local@example.com>")
        try fixture.fsck()
    }

    @Test("8 processes appending 50 events each to one run lose nothing")
    func concurrentAppendsToOneRun() throws {
        let fixture = try GitFixture()
        let before = try fixture.fingerprint()
        try Self.synth(fixture, "init")
        let id = try #require(RunID(try Self.synth(fixture, "create-run", "contended").output))

        let children = try (0..<8).map { _ in
            try ChildProcess(Self.synth, ["append", id.rawValue, "50"], in: fixture.path, environment: fixture.environment)
        }
        for child in children {
            let result = try child.wait()
            #expect(result.succeeded, "\(result)")
        }

        let repository = try fixture.conductor()
        let history = try repository.stateStore().history(of: id)
        #expect(history.problems.isEmpty)
        #expect(history.events.count == 401)
        // One clone, one machine id: every commit took the next clock, so clocks are 1...401.
        #expect(history.events.map(\.stamp.clock) == Array(1...401))
        var counts: [Int: Int] = [:]
        for event in history.events {
            if case .iterationStarted(let number) = event.payload { counts[number, default: 0] += 1 }
        }
        #expect(counts == Dictionary(uniqueKeysWithValues: (1...50).map { ($0, 8) }))
        #expect(history.summary.iterations == 50)
        #expect(history.summary.status == "precheck")

        // One commit per event, in a straight line.
        #expect(try fixture.commitCount() == 402)
        #expect(try fixture.git("rev-list", "--merges", "--count", "orchestrator-state").output == "0")
        #expect(try fixture.git("ls-tree", "--name-only", "orchestrator-state:\(StateLayout.eventsDirectory(id))").lines.count == 401)
        try fixture.fsck()
        let after = try fixture.fingerprint()
        #expect(after == before, "\(after.describeDifferences(from: before))")
    }

    @Test("8 processes appending to 8 different runs lose nothing")
    func concurrentAppendsToManyRuns() throws {
        let fixture = try GitFixture()
        let before = try fixture.fingerprint()
        try Self.synth(fixture, "init")
        let ids = try (0..<8).map { index in
            try #require(RunID(try Self.synth(fixture, "create-run", "run \(index)").output))
        }
        #expect(Set(ids).count == 8)

        let children = try ids.map { id in
            try ChildProcess(Self.synth, ["append", id.rawValue, "50"], in: fixture.path, environment: fixture.environment)
        }
        for child in children {
            let result = try child.wait()
            #expect(result.succeeded, "\(result)")
        }

        let store = try fixture.conductor().stateStore()
        for id in ids {
            let history = try store.history(of: id)
            #expect(history.problems.isEmpty)
            #expect(history.events.count == 51)
            #expect(history.events.map(\.stamp.clock) == Array(1...51))
            let numbers = history.events.compactMap { event -> Int? in
                if case .iterationStarted(let number) = event.payload { return number }
                return nil
            }
            #expect(numbers == Array(1...50), "each process appends its run's iterations in order")
        }
        #expect(try fixture.commitCount() == 1 + 8 + 400)
        try fixture.fsck()
        let after = try fixture.fingerprint()
        #expect(after == before, "\(after.describeDifferences(from: before))")
    }

    @Test("processes racing to create the machine id all end up using the same one")
    func machineIDRace() throws {
        let fixture = try GitFixture()
        try Self.synth(fixture, "init")
        try FileManager.default.removeItem(atPath: fixture.gitDirectory + "/conductor/machine-id")
        let children = try (0..<8).map { index in
            try ChildProcess(Self.synth, ["create-run", "racer \(index)"], in: fixture.path, environment: fixture.environment)
        }
        let ids = try children.map { child in
            let result = try child.wait()
            #expect(result.succeeded, "\(result)")
            return RunID(result.output)
        }.compactMap { $0 }
        #expect(ids.count == 8)
        let stored = try String(contentsOfFile: fixture.gitDirectory + "/conductor/machine-id", encoding: .utf8)
        let machine = try #require(MachineID(stored.trimmingCharacters(in: .whitespacesAndNewlines)))
        let store = try fixture.conductor().stateStore()
        #expect(store.machine == machine)
        for id in ids {
            let history = try store.history(of: id)
            #expect(history.record?.machine == machine)
            #expect(history.events.allSatisfy { $0.stamp.machine == machine })
        }
        try fixture.fsck()
    }
}
