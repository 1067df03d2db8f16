import ConductorDomain
import ConductorKit
import ConductorTesting
import Foundation
import GitKit
import Testing

@Suite("State branch formats, corruption and lookup")
struct StateReadingTests {
    /// Makes `orchestrator-state` a one-commit branch whose format.json holds `formatJSON`,
    /// with git plumbing only (hash-object, mktree, commit-tree, update-ref).
    static func plumbStateBranch(_ fixture: GitFixture, formatJSON: String) throws -> String {
        let blob = try fixture.git(["hash-object", "-w", "--stdin"], stdin: formatJSON).output
        let tree = try fixture.git(["mktree"], stdin: "100644 blob \(blob)\tformat.json\n").output
        let commit = try fixture.git("commit-tree", tree, "-m", "State from the future").output
        try fixture.git("update-ref", stateBranch, commit)
        return commit
    }

    @Test("every write refuses a branch in format 2 and leaves the ref alone")
    func unsupportedFormat() throws {
        let fixture = try GitFixture()
        let tip = try Self.plumbStateBranch(fixture, formatJSON: #"{"format": 2, "tool": "git-conductor", "extra": true}"# + "\n")
        let repository = try fixture.conductor()
        let store = try repository.stateStore()
        let record = store.freshRecord()
        let refused = ConductorError.unsupportedStateFormat(found: 2)
        expectConductorError(refused) { try store.initialize() }
        expectConductorError(refused) { _ = try store.createRun(record, events: [transition(nil, .precheck)]) }
        expectConductorError(refused) { try store.createRuns([(record, [])]) }
        expectConductorError(refused) { _ = try store.append([.iterationStarted(number: 1)], to: record.id) }
        expectConductorError(refused) { try store.writeArtifact("spec.md", contents: [1], of: record.id) }
        expectConductorError(refused) { _ = try store.requireSnapshot().format() }
        #expect(try fixture.stateTip() == tip)
        #expect(try fixture.commitCount() == 1)
        #expect(refused.description.contains("format 2"))
        #expect(refused.hint == "upgrade git-conductor; nothing was changed")
        try fixture.fsck()
    }

    @Test("a missing or unreadable format.json is corrupt state, and nothing is written", arguments: [
        ("not json at all\n", "format.json"),
        (#"{"tool": "git-conductor"}"#, "format.json"),
    ])
    func corruptFormat(contents: String, path: String) throws {
        let fixture = try GitFixture()
        let tip = try Self.plumbStateBranch(fixture, formatJSON: contents)
        let store = try fixture.conductor().stateStore()
        let error = #expect(throws: ConductorError.self) { try store.initialize() }
        guard case let .corruptState(reported, detail)? = error else {
            Issue.record("expected corruptState, got \(String(describing: error))")
            return
        }
        #expect(reported == path)
        #expect(!detail.isEmpty)
        expectConductorError(error!) { _ = try store.createRun(store.freshRecord(), events: []) }
        #expect(try fixture.stateTip() == tip)
    }

    @Test("a branch without format.json is corrupt state")
    func missingFormat() throws {
        let fixture = try GitFixture()
        try fixture.plumbingCommit(on: stateBranch, files: ["README": "hello\n"])
        let store = try fixture.conductor().stateStore()
        expectConductorError(.corruptState(path: "format.json", detail: "missing")) { try store.initialize() }
    }

    @Test("a corrupt run.json is reported for that run only; the others read fine")
    func corruptRunRecord() throws {
        let fixture = try GitFixture()
        let (_, store) = try fixture.initializedStore()
        let broken = store.freshRecord(prompt: "will break")
        let healthy = store.freshRecord(prompt: "stays fine")
        try store.createRuns([(broken, [transition(nil, .precheck)]), (healthy, [transition(nil, .precheck), transition(.precheck, .building)])])
        try fixture.plumbingCommit(on: stateBranch, files: [StateLayout.runRecord(broken.id): "{\"id\": \"truncated"])
        try fixture.fsck()

        let brokenHistory = try store.history(of: broken.id)
        #expect(brokenHistory.record == nil)
        #expect(brokenHistory.problems.count == 1)
        #expect(brokenHistory.problems.first?.contains(StateLayout.runRecord(broken.id)) == true)
        #expect(brokenHistory.events.count == 1, "its events still read")
        #expect(brokenHistory.summary.status == "corrupt")

        let healthyHistory = try store.history(of: healthy.id)
        #expect(healthyHistory.problems.isEmpty)
        #expect(healthyHistory.record == healthy)
        #expect(healthyHistory.summary.status == "building")

        // Writing goes on for both.
        _ = try store.append([transition(.precheck, .building)], to: broken.id)
        _ = try store.append([transition(.building, .verifying)], to: healthy.id)
        #expect(try store.history(of: broken.id).events.count == 2)
        #expect(try store.history(of: healthy.id).summary.status == "verifying")
        try fixture.fsck()
    }

    @Test("a run.json whose id is not its directory's is a problem")
    func mismatchedRecord() throws {
        let fixture = try GitFixture()
        let (_, store) = try fixture.initializedStore()
        let first = store.freshRecord(), second = store.freshRecord()
        try store.createRuns([(first, []), (second, [])])
        let secondJSON = try fixture.show("orchestrator-state:\(StateLayout.runRecord(second.id))")
        try fixture.plumbingCommit(on: stateBranch, files: [StateLayout.runRecord(first.id): secondJSON])
        let history = try store.history(of: first.id)
        #expect(history.problems.contains { $0.contains("id does not match") })
    }

    @Test("a corrupt event is reported while the other events still count")
    func corruptEvent() throws {
        let fixture = try GitFixture()
        let (_, store) = try fixture.initializedStore()
        let record = store.freshRecord()
        _ = try store.createRun(record, events: [transition(nil, .precheck)])
        _ = try store.append([transition(.precheck, .building)], to: record.id)
        let badName = "000000000003-zzzz-0000.json"
        try fixture.plumbingCommit(on: stateBranch, files: ["\(StateLayout.eventsDirectory(record.id))/\(badName)": "{\"kind\": \"transition\"}\n"])
        let history = try store.history(of: record.id)
        #expect(history.events.count == 2)
        #expect(history.problems.count == 1)
        #expect(history.problems.first?.contains(badName) == true)
        #expect(history.summary.status == "building", "a bad event does not make the run corrupt")
        #expect(history.summary.problem != nil)
        // The next event still orders after the unreadable one: its name holds clock 3.
        let next = try store.append([transition(.building, .verifying)], to: record.id)
        #expect(next.map(\.stamp.clock) == [4])
    }

    @Test("an event time with a very long fraction is read (cut to milliseconds), not a crash")
    func overflowingEventTime() throws {
        let fixture = try GitFixture()
        let (_, store) = try fixture.initializedStore()
        let record = store.freshRecord()
        _ = try store.createRun(record, events: [transition(nil, .precheck)])
        let event = #"{"clock":2,"kind":"iteration","machine":"zz","number":1,"seq":0,"time":"2026-01-01T00:00:00.9999999999999999999Z"}"#
        try fixture.plumbingCommit(on: stateBranch, files: ["\(StateLayout.eventsDirectory(record.id))/000000000002-zz-0000.json": event + "\n"])
        // A state branch comes from other machines via fetch; one bad file must not take every
        // reader down. Read in-process (see TimestampTests for why not as an exit test).
        let history = try ConductorRepository.open(at: fixture.path, environment: fixture.environment).stateStore().history(of: record.id)
        #expect(history.problems.isEmpty && history.events.count == 2, "\(history.problems)")
    }

    @Test("runs resolve from a unique prefix, case-insensitively; ambiguity lists candidates")
    func resolve() throws {
        let fixture = try GitFixture()
        let (_, store) = try fixture.initializedStore()
        let ids = [
            runID("01hf7yat00aaaaaaaaaaaaaaa1"),
            runID("01hf7yat00aaaaaaaaaaaaaab2"),
            runID("01hf7yat01bbbbbbbbbbbbbbb3"),
        ]
        try store.createRuns(ids.map { (store.record(id: $0), []) })
        let snapshot = try store.requireSnapshot()
        #expect(try snapshot.resolve("01hf7yat01") == ids[2])
        #expect(try snapshot.resolve("01HF7YAT01B") == ids[2])
        #expect(try snapshot.resolve(ids[0].rawValue) == ids[0])
        #expect(try snapshot.resolve(ids[1].rawValue.uppercased()) == ids[1])
        #expect(try snapshot.resolve("01hf7yat00aaaaaaaaaaaaaab") == ids[1])
        expectConductorError(.ambiguousRunID("01hf7yat00", candidates: [ids[0], ids[1]])) { _ = try snapshot.resolve("01hf7yat00") }
        expectConductorError(.ambiguousRunID("01", candidates: ids)) { _ = try snapshot.resolve("01") }
        expectConductorError(.runNotFound("01hf7yat02")) { _ = try snapshot.resolve("01hf7yat02") }
        expectConductorError(.runNotFound("")) { _ = try snapshot.resolve("") }
        let ambiguous = ConductorError.ambiguousRunID("01hf7yat00", candidates: [ids[0], ids[1]])
        #expect(ambiguous.description.contains(ids[0].rawValue) && ambiguous.description.contains(ids[1].rawValue))
    }

    @Test("run directories list newest first and skip entries that are not runs")
    func runDirectories() throws {
        let fixture = try GitFixture()
        let (_, store) = try fixture.initializedStore()
        let ids = [runID("01hf7yat00aaaaaaaaaaaaaaa1"), runID("01hf7yat02aaaaaaaaaaaaaaa1"), runID("01hf7yat01bbbbbbbbbbbbbbb1")]
        try store.createRuns(ids.map { (store.record(id: $0), []) })
        try fixture.plumbingCommit(on: stateBranch, files: [
            "runs/1/a/not-a-run/run.json": "{}", "runs/1/README": "x", "runs/README": "x",
        ])
        let listed = try store.requireSnapshot().runDirectories().map(\.id)
        #expect(listed == ids.sorted(by: >))
        // Two runs share the shard "1/a": one tree, both listed, each with its own tree id.
        #expect(try fixture.git("ls-tree", "--name-only", "orchestrator-state:runs/1/a").lines.count == 3)
    }

    @Test("a snapshot keeps reading its own tip while writers move on")
    func snapshotIsolation() throws {
        let fixture = try GitFixture()
        let (_, store) = try fixture.initializedStore()
        let record = store.freshRecord()
        _ = try store.createRun(record, events: [transition(nil, .precheck)])
        let snapshot = try store.requireSnapshot()
        _ = try store.append([transition(.precheck, .building)], to: record.id)
        #expect(try snapshot.history(of: record.id).events.count == 1)
        #expect(try store.history(of: record.id).events.count == 2)
        #expect(snapshot.tip.hex == (try fixture.revParse("orchestrator-state~1")))
    }
}
