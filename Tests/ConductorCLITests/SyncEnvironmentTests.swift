import ConductorTesting
import Foundation
import Testing

/// Throw-away environments: shallow clones, CI checkouts of one branch, and a run carried
/// from one clone to another and finished there.
@Suite("sync in throw-away environments")
struct SyncEnvironmentTests {
    /// R holds 3 finished runs and a note, pushed by A.
    static func publishedWorld() throws -> SyncWorld {
        let world = try SyncWorld()
        try world.conductorOK(["init"], in: world.a)
        try world.synth(["populate", "3"], in: world.a)
        try world.git(["notes", "--ref=conductor", "add", "-m", "Conductor-Run: A", "main"], in: world.a)
        try world.conductorOK(["push"], in: world.a)
        return world
    }

    @Test("git clone --depth 1, then pull: the state arrives whole and log works; main stays shallow")
    func shallowClone() throws {
        let world = try Self.publishedWorld()
        let c = world.sandbox.scratch.appending("C")
        try world.git(["clone", "-q", "--depth", "1", "file://" + world.remote, c], in: world.sandbox.scratch.path)
        let shallowBefore = try String(contentsOfFile: c + "/.git/shallow", encoding: .utf8)
        let pull = try world.conductorOK(["pull"], in: c)
        #expect(pull.stdout.contains("orchestrator-state: created") && !pull.stdout.contains("shallow"), "\(pull)")
        #expect(try world.log(in: c) == world.log(in: world.a))
        #expect(try world.note("main", in: c) == "Conductor-Run: A\n")
        #expect(try String(contentsOfFile: c + "/.git/shallow", encoding: .utf8) == shallowBefore, "the user's branch is not deepened")
        try world.fsck(c)
    }

    @Test("a CI checkout that fetched one commit of one branch: pull brings the state and log works")
    func singleBranchCheckout() throws {
        let world = try Self.publishedWorld()
        let c = world.sandbox.scratch.appending("ci")
        // What actions/checkout does: init, add the remote, fetch one commit, check it out.
        try world.git(["init", "-q", c], in: world.sandbox.scratch.path)
        try world.configureIdentity(in: c)
        try world.git(["remote", "add", "origin", "file://" + world.remote], in: c)
        let head = try #require(try world.rev("main", in: world.a))
        try world.git(["fetch", "-q", "--no-tags", "--depth=1", "origin", "+\(head):refs/remotes/origin/main"], in: c)
        try world.git(["checkout", "-q", "--force", "-B", "main", "refs/remotes/origin/main"], in: c)
        let pull = try world.conductorOK(["pull"], in: c)
        #expect(pull.stdout.contains("orchestrator-state: created"), "\(pull)")
        #expect(try jsonArray(world.conductorOK(["log", "--json"], in: c).stdout).count == 3)
        #expect(try world.log(in: c) == world.log(in: world.a))
        // The CI job writes a run and pushes it back.
        try world.synth(["populate", "1"], in: c)
        try world.conductorOK(["push"], in: c)
        #expect(try world.runs(in: world.remote).count == 4)
        try world.fsck(c)
    }

    @Test("a shallow state history is deepened (the state only) when a merge needs its ancestor, and pull says so")
    func shallowStateIsDeepened() throws {
        let world = try Self.publishedWorld()
        try world.synth(["populate", "1"], in: world.a)
        try world.conductorOK(["push"], in: world.a)
        let c = world.sandbox.scratch.appending("ci")
        try world.git(["init", "-q", c], in: world.sandbox.scratch.path)
        try world.configureIdentity(in: c)
        try world.git(["remote", "add", "origin", "file://" + world.remote], in: c)
        try world.git(["fetch", "-q", "--depth=1", "origin", "+refs/heads/main:refs/remotes/origin/main"], in: c)
        // A job that fetched only the state's tip, then wrote a run on it.
        try world.git(["fetch", "-q", "--depth=1", "origin", "+\(stateBranch):\(stateBranch)"], in: c)
        let stateTip = try #require(try world.rev(stateBranch, in: c))
        #expect(try String(contentsOfFile: c + "/.git/shallow", encoding: .utf8).contains(stateTip))
        try world.synth(["populate", "1"], in: c)
        #expect(try jsonArray(world.conductorOK(["log", "--json"], in: c).stdout).count == 5, "reading needs only the tip")
        // Meanwhile the remote moves on, so pulling needs a real merge.
        try world.synth(["populate", "1"], in: world.a)
        try world.conductorOK(["push"], in: world.a)

        let pull = try world.conductorOK(["pull", "--json"], in: c)
        let report = try jsonObject(pull.stdout)
        #expect(report["deepened"] as? Bool == true, "\(report)")
        #expect((report["state"] as? [String: Any])?["action"] as? String == "merged")
        let text = try world.conductorOK(["pull"], in: c)
        #expect(!text.stdout.contains("shallow"), "already deep: \(text)")
        let shallow = try String(contentsOfFile: c + "/.git/shallow", encoding: .utf8)
        #expect(!shallow.contains(stateTip), "the state history is complete now")
        #expect(shallow.contains(try #require(try world.rev("refs/remotes/origin/main", in: c))), "main is still shallow")
        try world.conductorOK(["push"], in: c)
        #expect(try world.runs(in: world.remote).count == 6)
        try world.fsck(c)
        try world.fsck(world.remote)
    }

    @Test("a run started on A and interrupted, pushed with --runs, is resumed on B from its task branch and completes")
    func resumeOnAnotherClone() throws {
        let world = try SyncWorld()
        _ = try world.sandbox.fixture.commit("Add the project", files: ["add.sh": "#!/bin/sh\necho $(( $1 - $2 ))\n", "test.sh": RunCommandTests.test])
        try world.git(["push", "-q", "origin", "main"], in: world.a)
        try world.git(["pull", "-q", "origin", "main"], in: world.b)
        let script = world.sandbox.scratch.appending("answers.json")
        let responses = ResumeTests.answers.map { ["text": $0, "tokens_in": 100, "tokens_out": 20, "cost_usd": 0.001] as [String: Any] }
        try JSONSerialization.data(withJSONObject: ["model": "test-model", "responses": responses]).write(to: URL(fileURLWithPath: script))
        let crashed = try ResumeTests.start(world.sandbox, script: script, crashAt: "REPAIRING")
        #expect(crashed.terminatedBySignal, "\(crashed)")
        let id = try #require(try ResumeTests.onlyRun(world.sandbox)["id"] as? String)
        let branch = try RunCommandTests.taskBranch(world.sandbox)
        try world.conductorOK(["push", "--runs", String(id.prefix(12))], in: world.a)
        #expect(try world.rev("refs/heads/\(branch)", in: world.remote) == world.rev("refs/heads/\(branch)", in: world.a))

        try world.conductorOK(["pull"], in: world.b)
        #expect(try world.rev("refs/heads/\(branch)", in: world.b) == nil, "pull never creates local branches")
        let resumed = try world.conductor(["resume", id], in: world.b)
        #expect(resumed.status == 0, "\(resumed)")
        #expect(resumed.stderr.contains("created task branch \(branch)"), "\(resumed)")
        #expect(resumed.stdout.contains("resumed at REPAIRING"), "\(resumed)")
        let onB = try jsonArray(world.conductorOK(["log", "--json"], in: world.b).stdout)
        #expect(onB.first?["status"] as? String == "complete" && onB.first?["iterations"] as? Int == 2, "\(onB)")
        let bodies = try world.git(["log", "--format=%B%x00", "main..\(branch)"], in: world.b).stdout
            .split(separator: "\0").filter { !$0.allSatisfy(\.isWhitespace) }
        let iterations = bodies.compactMap { $0.split(separator: "\n").first { $0.hasPrefix("Conductor-Iteration: ") } }
        #expect(iterations.sorted() == ["Conductor-Iteration: 1", "Conductor-Iteration: 2"], "\(bodies)")
        #expect(try world.git(["show", "\(branch):add.sh"], in: world.b).output == "#!/bin/sh\necho $(( $1 + $2 ))")
        #expect(try world.note(branch, in: world.b).contains("BIST: pass"))

        // Back on A, the run is seen finished once B's state is pulled.
        try world.conductorOK(["push", "--runs", id], in: world.b)
        try world.conductorOK(["pull"], in: world.a)
        let onA = try jsonArray(world.conductorOK(["log", "--json"], in: world.a).stdout)
        #expect(onA.first?["status"] as? String == "complete", "\(onA)")
        #expect(try world.log(in: world.a) == world.log(in: world.b))
        #expect(try world.note("refs/conductor/remotes/origin/branches/\(branch)", in: world.a).contains("BIST: pass"))
        for directory in [world.a, world.b, world.remote] { try world.fsck(directory) }
    }
}
