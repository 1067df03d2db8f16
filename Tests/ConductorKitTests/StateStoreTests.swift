import ConductorDomain
import ConductorKit
import ConductorTesting
import Foundation
import GitKit
import Testing

@Suite("State branch writes")
struct StateStoreTests {
    @Test("initialize creates an orphan orchestrator-state holding format.json, once")
    func initialize() throws {
        let fixture = try GitFixture()
        let before = try fixture.fingerprint()
        let repository = try fixture.conductor()
        let store = try repository.stateStore()
        #expect(try store.snapshot() == nil)

        #expect(try store.initialize() == true)
        let format = try fixture.json("orchestrator-state:format.json")
        #expect(format["format"] as? Int == 1)
        #expect(format["tool"] as? String == "git-conductor")
        #expect(try fixture.git("ls-tree", "--name-only", "orchestrator-state").output == "format.json")
        #expect(try fixture.commitCount() == 1)
        #expect(try fixture.git("rev-list", "--max-parents=0", "orchestrator-state").output == fixture.stateTip())
        #expect(try !fixture.gitResult("merge-base", "main", "orchestrator-state").succeeded, "the state branch shares no history with main")
        try fixture.fsck()

        let tip = try fixture.stateTip()
        #expect(try store.initialize() == false)
        #expect(try repository.stateStore().initialize() == false)
        #expect(try fixture.stateTip() == tip, "a second initialize adds no commit")
        #expect(try store.requireSnapshot().format() == .current)
        #expect(try fixture.fingerprint() == before)
    }

    @Test("createRun writes run.json and its first events in one commit with a trailer")
    func createRun() throws {
        let fixture = try GitFixture()
        let (_, store) = try fixture.initializedStore()
        let record = store.freshRecord(prompt: "Add a --verbose flag\n\nPrint every step.")
        let events = try store.createRun(record, events: [transition(nil, .precheck), transition(.precheck, .planning)])
        let id = record.id.rawValue

        #expect(try fixture.commitCount() == 2)
        let message = try fixture.git("log", "-1", "--format=%B", "orchestrator-state").stdout
        #expect(message.hasPrefix("Start run \(id): Add a --verbose flag\n"))
        #expect(try fixture.git("log", "orchestrator-state", "--format=%B").stdout.contains("Conductor-Run: \(id)\n"))
        let trailer = try fixture.git("log", "-1", "--format=%(trailers:key=Conductor-Run,valueonly)", "orchestrator-state").output
        #expect(trailer == id)

        let json = try fixture.json("orchestrator-state:runs/\(record.id.shard)/\(id)/run.json")
        #expect(json["id"] as? String == id)
        #expect(json["prompt"] as? String == "Add a --verbose flag\n\nPrint every step.")
        #expect(json["mode"] as? String == "streamlined")
        #expect(json["base_commit"] as? String == String(repeating: "1", count: 40))
        #expect(json["task_branch"] as? String == "conductor/task-\(record.id.shortTag)")
        #expect(json["created_at"] as? String == record.createdAt.description)
        #expect(json["machine"] as? String == store.machine.rawValue)

        #expect(events.map(\.stamp.clock) == [1, 1])
        #expect(events.map(\.stamp.sequence) == [0, 1])
        let names = try fixture.git("ls-tree", "--name-only", "orchestrator-state:runs/\(record.id.shard)/\(id)/events").lines
        #expect(names == events.map(\.stamp.fileName))
        let first = try fixture.json("orchestrator-state:runs/\(record.id.shard)/\(id)/events/\(events[0].stamp.fileName)")
        #expect(first["kind"] as? String == "transition")
        #expect(first["to"] as? String == "PRECHECK")
        #expect(first["clock"] as? Int == 1)
        #expect(first["machine"] as? String == store.machine.rawValue)

        let history = try store.history(of: record.id)
        #expect(history.record == record)
        #expect(history.events == events)
        #expect(history.problems.isEmpty)
        #expect(history.summary.status == "planning")
        try fixture.fsck()
    }

    @Test("createRuns records several runs in one commit, with a trailer each")
    func createRuns() throws {
        let fixture = try GitFixture()
        let (_, store) = try fixture.initializedStore()
        let records = (0..<3).map { store.freshRecord(prompt: "Task \($0)") }
        let written = try store.createRuns(records.map { ($0, [transition(nil, .precheck)]) })
        #expect(Set(written.keys) == Set(records.map(\.id)))
        #expect(try fixture.commitCount() == 2)
        let message = try fixture.git("log", "-1", "--format=%B", "orchestrator-state").stdout
        #expect(message.hasPrefix("Start 3 runs\n"))
        for record in records {
            #expect(message.contains("Conductor-Run: \(record.id)\n"))
            #expect(try fixture.json("orchestrator-state:\(StateLayout.runRecord(record.id))")["id"] as? String == record.id.rawValue)
        }
        let directories = try store.requireSnapshot().runDirectories()
        #expect(directories.map(\.id) == records.map(\.id).sorted(by: >), "newest first")
        try fixture.fsck()
    }

    @Test("events get increasing Lamport clocks across appends, and history returns them in order")
    func appendClocks() throws {
        let fixture = try GitFixture()
        let (_, store) = try fixture.initializedStore()
        let record = store.freshRecord()
        var all = try store.createRun(record, events: [transition(nil, .precheck)])
        all += try store.append([transition(.precheck, .building), .iterationStarted(number: 1)], to: record.id)
        all += try store.append([transition(.building, .verifying)], to: record.id)
        all += try store.append([.usage(TokenUsage(model: "m", tokensIn: 100, tokensOut: 20, costUSD: 0.01))], to: record.id)
        all += try store.append([transition(.verifying, .complete)], to: record.id)

        #expect(all.map(\.stamp.clock) == [1, 2, 2, 3, 4, 5])
        #expect(all.map(\.stamp.sequence) == [0, 0, 1, 0, 0, 0])
        #expect(try fixture.commitCount() == 6)
        #expect(try store.append([], to: record.id).isEmpty)
        #expect(try fixture.commitCount() == 6, "appending nothing makes no commit")

        let history = try store.history(of: record.id)
        #expect(history.events == all)
        #expect(history.events.map(\.stamp) == history.events.map(\.stamp).sorted())
        let summary = history.summary
        #expect(summary.status == "complete")
        #expect(summary.iterations == 1)
        #expect(summary.tokens == 120)
        #expect(summary.eventCount == 6)
        let subjects = try fixture.git("log", "--format=%s", "-3", "orchestrator-state").lines
        #expect(subjects == [
            "Run \(record.id): VERIFYING -> COMPLETE",
            "Run \(record.id): 120 tokens",
            "Run \(record.id): BUILDING -> VERIFYING",
        ])
        try fixture.fsck()
    }

    @Test("the status follows the last transition, including a pause and a failure")
    func statusFollowsTransitions() throws {
        let fixture = try GitFixture()
        let (_, store) = try fixture.initializedStore()
        let record = store.freshRecord()
        _ = try store.createRun(record, events: [])
        #expect(try store.history(of: record.id).summary.status == "new")
        let steps: [(EventPayload, String)] = [
            (transition(nil, .precheck), "precheck"),
            (transition(.precheck, .building), "building"),
            (transition(.building, .paused), "paused"),
            (transition(.paused, .building), "building"),
            (transition(.building, .failed, .budget), "failed"),
        ]
        for (payload, status) in steps {
            _ = try store.append([payload], to: record.id)
            #expect(try store.history(of: record.id).summary.status == status)
        }
        #expect(try store.history(of: record.id).summary.failureReason == .budget)
    }

    @Test("artifacts are stored byte for byte and can be replaced")
    func artifacts() throws {
        let fixture = try GitFixture()
        let (_, store) = try fixture.initializedStore()
        let record = store.freshRecord()
        _ = try store.createRun(record, events: [transition(nil, .precheck)])
        let spec: [UInt8] = Array("# Spec\n\nDo it.\n".utf8)
        let binary: [UInt8] = [0, 1, 2, 255, 10, 13, 0]
        try store.writeArtifact("spec.md", contents: spec, of: record.id)
        try fixture.fsck()
        try store.writeArtifact("iterations/1/diff.patch", contents: binary, of: record.id)
        try fixture.fsck()
        let directory = StateLayout.runDirectory(record.id)
        #expect(try fixture.show("orchestrator-state:\(directory)/spec.md") == "# Spec\n\nDo it.\n")
        let blob = try fixture.revParse("orchestrator-state:\(directory)/iterations/1/diff.patch")
        #expect(try fixture.git("cat-file", "-s", blob).output == "7")
        #expect(try fixture.git("log", "-1", "--format=%s", "orchestrator-state").output == "Run \(record.id): write iterations/1/diff.patch")

        let snapshot = try store.requireSnapshot()
        #expect(try snapshot.artifact("spec.md", of: record.id) == spec)
        #expect(try snapshot.artifact("iterations/1/diff.patch", of: record.id) == binary)
        #expect(try snapshot.artifact("plan.md", of: record.id) == nil)

        try store.writeArtifact("spec.md", contents: Array("v2\n".utf8), of: record.id)
        #expect(try store.requireSnapshot().artifact("spec.md", of: record.id) == Array("v2\n".utf8))
        #expect(try snapshot.artifact("spec.md", of: record.id) == spec, "an older snapshot still reads its own tip")
        try fixture.fsck()
    }

    @Test("an artifact never replaces a directory of other artifacts, nor nests under a file")
    func artifactShapeConflicts() throws {
        let fixture = try GitFixture()
        let (_, store) = try fixture.initializedStore()
        let record = store.freshRecord()
        _ = try store.createRun(record, events: [])
        try store.writeArtifact("iterations/1/diff.patch", contents: Array("patch\n".utf8), of: record.id)
        try store.writeArtifact("spec.md", contents: Array("spec\n".utf8), of: record.id)
        let tip = try fixture.stateTip()
        let overDirectory = #expect(throws: ConductorError.self) {
            try store.writeArtifact("iterations", contents: Array("oops\n".utf8), of: record.id)
        }
        let underFile = #expect(throws: ConductorError.self) {
            try store.writeArtifact("spec.md/inner", contents: Array("oops\n".utf8), of: record.id)
        }
        #expect(overDirectory?.description.isEmpty == false && underFile?.description.isEmpty == false)
        #expect(try fixture.stateTip() == tip)
        let snapshot = try store.requireSnapshot()
        #expect(try snapshot.artifact("iterations/1/diff.patch", of: record.id) == Array("patch\n".utf8))
        #expect(try snapshot.artifact("spec.md", of: record.id) == Array("spec\n".utf8))
        try fixture.fsck()
    }

    @Test("writes keep working after git gc packs the state branch and its objects")
    func afterGC() throws {
        let fixture = try GitFixture()
        let (_, store) = try fixture.initializedStore()
        let record = store.freshRecord()
        _ = try store.createRun(record, events: [transition(nil, .precheck)])
        try fixture.git("gc", "-q", "--prune=now")
        #expect(!FileManager.default.fileExists(atPath: fixture.gitDirectory + "/refs/heads/orchestrator-state"), "the ref is packed")
        _ = try store.append([transition(.precheck, .building)], to: record.id)
        _ = try fixture.conductor().stateStore().append([.iterationStarted(number: 1)], to: record.id)
        #expect(try store.history(of: record.id).events.map(\.stamp.clock) == [1, 2, 3])
        #expect(try fixture.commitCount() == 4)
        try fixture.fsck()
    }

    @Test("invalid artifact paths are refused before anything is written", arguments: ["../escape", "events/x.json", "run.json", "", "a//b"])
    func invalidArtifact(path: String) throws {
        let fixture = try GitFixture()
        let (_, store) = try fixture.initializedStore()
        let record = store.freshRecord()
        _ = try store.createRun(record, events: [])
        let tip = try fixture.stateTip()
        expectConductorError(.invalidArtifactPath(path)) {
            try store.writeArtifact(path, contents: [1], of: record.id)
        }
        expectConductorError(.invalidArtifactPath(path)) {
            _ = try store.requireSnapshot().artifact(path, of: record.id)
        }
        #expect(try fixture.stateTip() == tip)
    }

    @Test("writes without a state branch fail with stateBranchMissing and create nothing")
    func missingBranch() throws {
        let fixture = try GitFixture()
        let store = try fixture.conductor().stateStore()
        let record = store.freshRecord()
        expectConductorError(.stateBranchMissing) { _ = try store.createRun(record, events: []) }
        expectConductorError(.stateBranchMissing) { try store.createRuns([(record, [])]) }
        expectConductorError(.stateBranchMissing) { _ = try store.append([transition(nil, .precheck)], to: record.id) }
        expectConductorError(.stateBranchMissing) { try store.writeArtifact("spec.md", contents: [], of: record.id) }
        expectConductorError(.stateBranchMissing) { _ = try store.history(of: record.id) }
        #expect(try fixture.stateTip() == nil)
        #expect(ConductorError.stateBranchMissing.hint?.contains("git conductor init") == true)
    }

    @Test("creating a run that exists fails with runExists and writes nothing")
    func runExists() throws {
        let fixture = try GitFixture()
        let (_, store) = try fixture.initializedStore()
        let record = store.freshRecord()
        _ = try store.createRun(record, events: [transition(nil, .precheck)])
        let tip = try fixture.stateTip()
        expectConductorError(.runExists(record.id)) { _ = try store.createRun(record, events: []) }
        // In a batch, one existing run spoils the whole commit.
        let other = store.freshRecord(prompt: "other")
        expectConductorError(.runExists(record.id)) { try store.createRuns([(other, []), (record, [])]) }
        #expect(try fixture.stateTip() == tip)
        #expect(try store.requireSnapshot().runDirectories().map(\.id) == [record.id])
    }

    @Test("one batch that names the same run twice is refused, not half-overwritten")
    func duplicateInBatch() throws {
        let fixture = try GitFixture()
        let (_, store) = try fixture.initializedStore()
        let record = store.freshRecord()
        let tip = try fixture.stateTip()
        // libgit2 refuses two edits of one path in one tree update, so the batch fails whole.
        #expect(throws: ConductorError.self) {
            try store.createRuns([(record, [transition(nil, .precheck)]), (record, [transition(nil, .cancelled)])])
        }
        #expect(try fixture.stateTip() == tip)
        #expect(try store.requireSnapshot().runDirectories().isEmpty)
    }

    @Test("appending to or writing for an unknown run fails with runNotFound")
    func unknownRun() throws {
        let fixture = try GitFixture()
        let (_, store) = try fixture.initializedStore()
        let ghost = store.freshRecord().id
        let tip = try fixture.stateTip()
        expectConductorError(.runNotFound(ghost.rawValue)) { _ = try store.append([.iterationStarted(number: 1)], to: ghost) }
        expectConductorError(.runNotFound(ghost.rawValue)) { try store.writeArtifact("spec.md", contents: [1], of: ghost) }
        expectConductorError(.runNotFound(ghost.rawValue)) { _ = try store.history(of: ghost) }
        #expect(try fixture.stateTip() == tip)
    }

    @Test("commits carry the configured identity, or GIT_COMMITTER_* from the environment")
    func identity() throws {
        let fixture = try GitFixture()
        let repository = try fixture.conductor()
        #expect(repository.identity.source == .gitConfig)
        try repository.stateStore().initialize()
        #expect(try fixture.git("log", "-1", "--format=%an <%ae>|%cn <%ce>", "orchestrator-state").output
            == "\(GitFixture.userName) <\(GitFixture.userEmail)>|\(GitFixture.userName) <\(GitFixture.userEmail)>")

        let robot = try fixture.conductor(adding: ["GIT_COMMITTER_NAME": "CI Robot", "GIT_COMMITTER_EMAIL": "ci@example.com"])
        #expect(robot.identity.name == "CI Robot")
        #expect(robot.identity.email == "ci@example.com")
        #expect(robot.identity.source == .environment)
        let store = try robot.stateStore()
        _ = try store.createRun(store.freshRecord(), events: [])
        #expect(try fixture.git("log", "-1", "--format=%an <%ae>", "orchestrator-state").output == "CI Robot <ci@example.com>")
    }

    @Test("outside a repository open fails with notARepository")
    func notARepository() throws {
        let directory = try TemporaryDirectory(prefix: "conductor-not-a-repo")
        let environment = GitFixture.isolatedEnvironment().merging(["GIT_CEILING_DIRECTORIES": directory.path]) { $1 }
        #expect(throws: ConductorError.notARepository(path: directory.path)) {
            _ = try ConductorRepository.open(at: directory.path, environment: environment)
        }
        let missing = directory.appending("nowhere/.git")
        #expect(throws: ConductorError.notARepository(path: missing)) {
            _ = try ConductorRepository.open(at: directory.path, environment: environment.merging(["GIT_DIR": missing]) { $1 })
        }
    }

    @Test("GIT_DIR in the environment decides where state is written")
    func stateFollowsGitDir() throws {
        let fixture = try GitFixture()
        let elsewhere = try TemporaryDirectory(prefix: "conductor-elsewhere")
        let repository = try ConductorRepository.open(at: elsewhere.path, environment: fixture.environment(adding: ["GIT_DIR": fixture.gitDirectory]))
        try repository.stateStore().initialize()
        #expect(try fixture.stateTip() != nil)
        #expect(repository.privateDirectory == fixture.gitDirectory + "/conductor")
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere.path).isEmpty)
    }

    @Test("a machine-id file that holds garbage is an error naming the file")
    func corruptMachineID() throws {
        let fixture = try GitFixture()
        let path = fixture.gitDirectory + "/conductor/machine-id"
        try FileManager.default.createDirectory(atPath: fixture.gitDirectory + "/conductor", withIntermediateDirectories: true)
        try Data("NOT VALID!\n".utf8).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: ConductorError.self) { _ = try fixture.conductor().machineID() }
        guard case .fileSystem(let reported, _)? = error else {
            Issue.record("expected a fileSystem error, got \(String(describing: error))")
            return
        }
        #expect(reported == path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "NOT VALID!\n", "never silently replaced")
    }

    @Test("the machine id is created once per clone and reused")
    func machineID() throws {
        let fixture = try GitFixture()
        let first = try fixture.conductor().machineID()
        let second = try fixture.conductor().machineID()
        #expect(first == second)
        let stored = try String(contentsOfFile: fixture.gitDirectory + "/conductor/machine-id", encoding: .utf8)
        #expect(stored == first.rawValue + "\n")
        #expect(try fixture.gitResult("status", "--porcelain").output == "", "the private directory is inside .git, invisible to status")
    }
}
