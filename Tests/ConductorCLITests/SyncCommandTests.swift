import ConductorTesting
import Foundation
import Testing

/// `git conductor push`, `pull` and `sync` between real clones A and B of a bare remote R,
/// cross-checked with the real git binary.
@Suite("git conductor push, pull and sync")
struct SyncCommandTests {
    /// A writes the state first and pushes it; B pulls it; then A makes 3 runs and B 2, and
    /// each annotates commits in refs/notes/conductor, before either pushes again.
    static func divergedWorld() throws -> (SyncWorld, head: String, first: String) {
        let world = try SyncWorld()
        try world.conductorOK(["init"], in: world.a)
        try world.conductorOK(["push"], in: world.a)
        try world.conductorOK(["pull"], in: world.b)
        let head = try #require(try world.rev("main", in: world.a))
        let first = try #require(try world.rev("main~1", in: world.a))
        try world.synth(["populate", "3"], in: world.a)
        try world.synth(["populate", "2"], in: world.b)
        try world.git(["notes", "--ref=conductor", "add", "-m", "Conductor-Run: A\nState: COMPLETE", head], in: world.a)
        try world.git(["notes", "--ref=conductor", "add", "-m", "Conductor-Run: A0", first], in: world.a)
        try world.git(["notes", "--ref=conductor", "add", "-m", "Conductor-Run: B\nState: FAILED", head], in: world.b)
        return (world, head, first)
    }

    @Test("A makes 3 runs and B 2; after push and pull in either order A, B and R hold the same state, notes merged, fsck clean",
          arguments: ["A first", "B first"])
    func twoClonesConverge(order: String) throws {
        let (world, head, first) = try Self.divergedWorld()
        let (early, late) = order == "A first" ? (world.a, world.b) : (world.b, world.a)
        let firstPush = try jsonObject(world.conductorOK(["push", "--json"], in: early).stdout)
        #expect(firstPush["attempts"] as? Int == 1, "\(firstPush)")
        // The remote moved on since `late` last pulled: its push is refused, merged, retried.
        let secondPush = try jsonObject(world.conductorOK(["push", "--json"], in: late).stdout)
        #expect(secondPush["attempts"] as? Int == 2, "\(secondPush)")
        let merge = try #require((secondPush["pulls"] as? [[String: Any]])?.first?["state"] as? [String: Any])
        #expect(merge["action"] as? String == "merged" && (merge["conflicts"] as? [Any])?.isEmpty == true, "\(merge)")
        let pulled = try jsonObject(world.conductorOK(["pull", "--json"], in: early).stdout)
        #expect((pulled["state"] as? [String: Any])?["action"] as? String == "fast-forward", "\(pulled)")

        let tips = try world.stateTips()
        #expect(tips[0] != nil && Set(tips).count == 1, "state tips of A, B, R: \(tips)")
        let trees = try [world.a, world.b, world.remote].map { try world.rev("\(stateBranch)^{tree}", in: $0) }
        #expect(Set(trees).count == 1)
        #expect(try world.runs(in: world.a).count == 5)
        #expect(try world.runs(in: world.remote) == world.runs(in: world.b))
        let mergeCommit = try world.git(["rev-list", "--merges", "--parents", "-n", "1", stateBranch], in: world.a).output
        #expect(mergeCommit.split(separator: " ").count == 3, "a two-parent merge commit: \(mergeCommit)")

        let notesTips = try [world.a, world.b, world.remote].map { try world.rev("refs/notes/conductor", in: $0) }
        #expect(notesTips[0] != nil && Set(notesTips).count == 1, "\(notesTips)")
        for directory in [world.a, world.b] {
            #expect(try world.note(head, in: directory) == "Conductor-Run: A\nConductor-Run: B\nState: COMPLETE\nState: FAILED\n")
            #expect(try world.note(first, in: directory) == "Conductor-Run: A0\n")
        }
        let notesMerge = try world.git(["rev-list", "--merges", "--parents", "-n", "1", "refs/notes/conductor"], in: world.a).output
        #expect(notesMerge.split(separator: " ").count == 3, "notes merge commit: \(notesMerge)")

        for directory in [world.a, world.b, world.remote] { try world.fsck(directory) }
        #expect(try world.log(in: world.a) == world.log(in: world.b))
        for run in try world.runs(in: world.a) {
            #expect(try world.show(run, in: world.a) == world.show(run, in: world.b))
        }
        // Both are in sync now: another sync on each changes nothing anywhere.
        for directory in [world.a, world.b] {
            let sync = try jsonObject(world.conductorOK(["sync", "--json"], in: directory).stdout)
            let refs = try #require((sync["push"] as? [String: Any])?["refs"] as? [[String: Any]])
            #expect(refs.allSatisfy { $0["status"] as? String == "up to date" }, "\(sync)")
        }
        #expect(try world.stateTips() == tips)
    }

    @Test("a path both clones wrote differently is kept twice, reported, and recorded as a sync_conflict event")
    func forcedConflict() throws {
        let world = try SyncWorld()
        try world.conductorOK(["init"], in: world.a)
        let run = try world.synth(["create-run", "Shared task"], in: world.a).output
        try world.conductorOK(["push"], in: world.a)
        try world.conductorOK(["pull"], in: world.b)
        // B's .git/conductor was copied from A (a cloned dev box): both write as the same
        // machine, so the same event file name gets different content on each side.
        let machine = try String(contentsOfFile: world.a + "/.git/conductor/machine-id", encoding: .utf8)
        try FileManager.default.createDirectory(atPath: world.b + "/.git/conductor", withIntermediateDirectories: true)
        try machine.write(toFile: world.b + "/.git/conductor/machine-id", atomically: true, encoding: .utf8)
        let id = machine.trimmingCharacters(in: .whitespacesAndNewlines)
        try world.synth(["append", run, "1"], in: world.a)
        try world.synth(["append", run, "2"], in: world.b)
        let events = runDirectory(run) + "/events/"
        let clash = "000000000002-\(id)-0000.json"
        let ours = try world.git(["cat-file", "-p", "\(stateBranch):\(events)\(clash)"], in: world.b).stdout
        let theirs = try world.git(["cat-file", "-p", "\(stateBranch):\(events)\(clash)"], in: world.a).stdout
        try #require(ours != theirs)
        try world.conductorOK(["push"], in: world.a)

        let pull = try world.conductor(["pull"], in: world.b)
        #expect(pull.status == 0, "\(pull)")
        #expect(pull.stderr.contains("warning: \(events)\(clash) was written differently"), "\(pull)")
        #expect(pull.stdout.contains("1 conflicting path kept twice"), "\(pull)")
        let keptAs = "000000000002-\(id)-0000.conflict-\(id).json"
        let files = try world.git(["ls-tree", "--name-only", "\(stateBranch):\(events)"], in: world.b).lines
        #expect(files.contains(clash) && files.contains(keptAs), "\(files)")
        #expect(try world.git(["cat-file", "-p", "\(stateBranch):\(events)\(clash)"], in: world.b).stdout == theirs)
        #expect(try world.git(["cat-file", "-p", "\(stateBranch):\(events)\(keptAs)"], in: world.b).stdout == ours)
        // The conflict event orders after everything either side wrote (clock 3 was B's).
        let conflictFile = try #require(files.first { $0.hasPrefix("000000000004-") }, "\(files)")
        let conflict = try jsonObject(world.git(["cat-file", "-p", "\(stateBranch):\(events)\(conflictFile)"], in: world.b).stdout)
        #expect(conflict["kind"] as? String == "sync_conflict" && conflict["path"] as? String == events + clash, "\(conflict)")
        #expect(conflict["kept_as"] as? String == events + keptAs)
        let shown = try world.conductorOK(["show", run], in: world.b).stdout
        #expect(shown.contains("sync_conflict") && shown.contains("two clones wrote \(events)\(clash) differently"), "\(shown)")

        // The merge travels: A fast-forwards to it and holds both copies too.
        try world.conductorOK(["push"], in: world.b)
        try world.conductorOK(["pull"], in: world.a)
        #expect(try world.stateTips().allSatisfy { $0 == (try world.rev(stateBranch, in: world.b)) })
        // An event written after the merge orders after all of it.
        try world.synth(["append", run, "1"], in: world.a)
        let latest = try world.git(["ls-tree", "--name-only", "\(stateBranch):\(events)"], in: world.a).lines.sorted().last
        #expect(latest?.hasPrefix("000000000005-") == true, "\(String(describing: latest))")
        for directory in [world.a, world.b, world.remote] { try world.fsck(directory) }
    }

    @Test("pulling twice in a row: the second pull creates no commit and says up to date")
    func pullTwiceIsNoOp() throws {
        let (world, _, _) = try Self.divergedWorld()
        try world.conductorOK(["push"], in: world.a)
        let first = try jsonObject(world.conductorOK(["pull", "--json"], in: world.b).stdout)
        #expect((first["state"] as? [String: Any])?["action"] as? String == "merged")
        let tip = try world.rev(stateBranch, in: world.b)
        let notes = try world.rev("refs/notes/conductor", in: world.b)
        let commits = try world.git(["rev-list", "--count", "--all"], in: world.b).output
        let second = try world.conductorOK(["pull"], in: world.b)
        #expect(second.stdout.contains("orchestrator-state: up to date") && second.stdout.contains("refs/notes/conductor: up to date"), "\(second)")
        #expect(try world.rev(stateBranch, in: world.b) == tip)
        #expect(try world.rev("refs/notes/conductor", in: world.b) == notes)
        #expect(try world.git(["rev-list", "--count", "--all"], in: world.b).output == commits)
    }

    @Test("a push into a remote that moved on between our look and our push is merged, retried and succeeds")
    func pushRetriesWhenRemoteMovesInBetween() throws {
        let world = try SyncWorld()
        try world.conductorOK(["init"], in: world.a)
        try world.conductorOK(["push"], in: world.a)
        try world.conductorOK(["pull"], in: world.b)
        try world.synth(["populate", "1"], in: world.b)
        // B's new state waits on R under a side ref; R's pre-receive hook moves the state
        // branch to it during A's push, as a concurrent pusher would, just once.
        try world.git(["push", "-q", "origin", "\(stateBranch):refs/test/next"], in: world.b)
        let hook = world.remote + "/hooks/pre-receive"
        try """
            #!/bin/sh
            cat >/dev/null
            if [ ! -e "$GIT_DIR/raced" ]; then
                touch "$GIT_DIR/raced"
                env -u GIT_QUARANTINE_PATH git update-ref refs/heads/orchestrator-state refs/test/next
            fi
            exit 0

            """.write(toFile: hook, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: hook)
        try world.synth(["populate", "2"], in: world.a)

        let result = try world.conductor(["push", "--json"], in: world.a)
        #expect(result.status == 0, "\(result)")
        let report = try jsonObject(result.stdout)
        #expect(report["attempts"] as? Int == 2, "\(report)")
        #expect((report["pulls"] as? [Any])?.count == 1)
        #expect(FileManager.default.fileExists(atPath: world.remote + "/raced"), "the race happened")
        #expect(try world.runs(in: world.remote).count == 3)
        #expect(try world.rev(stateBranch, in: world.remote) == world.rev(stateBranch, in: world.a))
        try world.fsck(world.remote)
    }

    @Test("twenty clones pushing a new run each at the same moment all land: every run on the remote, nothing forced, fsck clean")
    func twentyConcurrentPushers() throws {
        let world = try SyncWorld()
        try world.conductorOK(["init"], in: world.a)
        try world.conductorOK(["push"], in: world.a)
        let clones = (1...20).map { world.sandbox.scratch.appending("C\($0)") }
        /// Starts `command` in every clone at once and waits for all of them; each must succeed.
        func everywhere(_ executable: String, _ arguments: (String) -> [String], in directory: (String) -> String) throws -> [ProcessResult] {
            let children = try clones.map { clone in
                try ChildProcess(executable, arguments(clone), in: directory(clone), environment: world.sandbox.environment)
            }
            let results = try children.map { try $0.wait() }
            for (child, result) in zip(children, results) {
                try #require(result.status == 0, "\(child.command.joined(separator: " ")): \(result)")
            }
            return results
        }
        // Each clone has the seeded state as its local branch, and one new run on it.
        let identity = ["-c", "user.name=Clone", "-c", "user.email=clone@example.com", "-c", "commit.gpgsign=false"]
        _ = try everywhere("git", { ["clone", "-q"] + identity + [world.remote, $0] }, in: { _ in world.sandbox.scratch.path })
        _ = try everywhere("git", { _ in ["branch", "-q", "orchestrator-state", "origin/orchestrator-state"] }, in: { $0 })
        let runs = try everywhere(Tool.synth, { ["create-run", "Task of \(($0 as NSString).lastPathComponent)"] }, in: { $0 }).map(\.output)

        // Started together: the remote sees twenty pushes at once, and each clone but one loses
        // at least one round.
        let pushes = try everywhere(Tool.conductor, { _ in ["push", "--json"] }, in: { $0 })
        let attempts = try pushes.map { try jsonObject($0.stdout)["attempts"] as? Int ?? 0 }
        #expect(attempts.contains { $0 > 1 }, "the pushes raced: \(attempts)")

        // Plain git on the bare remote: every run is on its state branch, and every clone's
        // state (which its push made the remote's tip at that moment) is in its history:
        // nothing was forced over.
        #expect(try world.runs(in: world.remote) == runs.sorted())
        let history = Set(try world.git(["rev-list", stateBranch], in: world.remote).lines)
        let tips = try everywhere("git", { _ in ["rev-parse", stateBranch] }, in: { $0 }).map(\.output)
        for (clone, tip) in zip(clones, tips) {
            #expect(history.contains(tip), "\(clone)'s state \(tip) is not in the remote's history")
        }
        try world.fsck(world.remote)
    }

    @Test("a push refused as non-fast-forward (the remote's tip is known here) is merged and retried too")
    func nonFastForward() throws {
        let world = try SyncWorld()
        try world.conductorOK(["init"], in: world.a)
        try world.conductorOK(["push"], in: world.a)
        try world.conductorOK(["pull"], in: world.b)
        try world.synth(["populate", "1"], in: world.a)
        try world.synth(["populate", "1"], in: world.b)
        try world.conductorOK(["push"], in: world.a)
        // A stale remote-tracking ref makes git say non-fast-forward rather than fetch first.
        try world.git(["fetch", "-q", "origin", "+refs/heads/orchestrator-state:refs/remotes/origin/orchestrator-state"], in: world.b)
        let plain = try world.gitResult(["push", "--porcelain", "origin", "\(stateBranch):\(stateBranch)"], in: world.b)
        #expect(plain.stdout.contains("[rejected] (non-fast-forward)"), "\(plain)")
        #expect(try jsonObject(world.conductorOK(["push", "--json"], in: world.b).stdout)["attempts"] as? Int == 2)
    }

    @Test("an unreachable remote fails with a clear message (exit 17) and leaves local state untouched")
    func unreachableRemote() throws {
        let world = try SyncWorld()
        try world.conductorOK(["init"], in: world.a)
        try world.synth(["populate", "2"], in: world.a)
        try world.git(["remote", "set-url", "origin", world.sandbox.scratch.appending("gone.git")], in: world.a)
        let refsBefore = try world.git(["for-each-ref"], in: world.a).stdout
        let configBefore = try world.sandbox.configBytes()
        for command in ["push", "pull", "sync"] {
            let result = try world.conductor([command], in: world.a)
            #expect(result.status == 17, "\(command): \(result)")
            #expect(result.stderr.contains("error: could not reach remote 'origin':") && result.stderr.contains("gone.git"), "\(command): \(result)")
            #expect(result.stderr.contains("hint: ") && result.stderr.contains("nothing was changed locally"), "\(result)")
            #expect(!result.stderr.contains("Fatal error"))
        }
        #expect(try world.git(["for-each-ref"], in: world.a).stdout == refsBefore)
        #expect(try world.sandbox.configBytes() == configBefore)
        let unknown = try world.conductor(["push", "nowhere"], in: world.a)
        #expect(unknown.status == 64 && unknown.stderr.contains("no remote named 'nowhere'"), "\(unknown)")
        try world.fsck(world.a)
    }

    @Test("plain git: a clone of R, then git conductor pull, then log")
    func plainCloneThenPull() throws {
        let (world, _, _) = try Self.divergedWorld()
        try world.conductorOK(["sync"], in: world.a)
        try world.conductorOK(["sync"], in: world.b)
        let c = world.sandbox.scratch.appending("C")
        try world.clone(to: c)
        let before = try world.conductorOK(["log", "--json"], in: c).stdout
        #expect(try jsonArray(before).isEmpty, "no local state branch before pull")
        let pull = try world.conductorOK(["pull"], in: c)
        #expect(pull.stdout.contains("orchestrator-state: created"), "\(pull)")
        #expect(try world.log(in: c) == world.log(in: world.b))
        #expect(try jsonArray(world.conductorOK(["log", "--json"], in: c).stdout).count == 5)
        try world.fsck(c)
    }

    @Test("plain git: git fetch and git push carry the state with the refspecs init configured")
    func plainFetchAndPush() throws {
        let world = try SyncWorld()
        try world.conductorOK(["init"], in: world.a)
        try world.conductorOK(["push"], in: world.a)
        try world.conductorOK(["pull"], in: world.b)
        try world.conductorOK(["init"], in: world.b)
        try world.synth(["populate", "2"], in: world.b)
        // Plain git push of the state: a fast-forward, accepted.
        try world.git(["push", "-q", "origin", "\(stateBranch):\(stateBranch)"], in: world.b)
        let localBefore = try world.rev(stateBranch, in: world.a)
        // Plain git fetch: init's pattern refspecs bring it into remote-tracking refs only.
        try world.git(["fetch", "-q", "origin"], in: world.a)
        #expect(try world.rev("refs/conductor/remotes/origin/state", in: world.a) == world.rev(stateBranch, in: world.b))
        #expect(try world.rev(stateBranch, in: world.a) == localBefore, "fetch never touches the local state branch")
        // What the plain fetch brought is merged without the network.
        let pull = try world.conductorOK(["pull", "--no-fetch"], in: world.a)
        #expect(pull.stdout.contains("orchestrator-state: fast-forward"), "\(pull)")
        #expect(try world.runs(in: world.a).count == 2)
        // A remote that has never had notes does not break a plain fetch either.
        let d = world.sandbox.scratch.appending("D.git")
        try world.git(["init", "-q", "--bare", d], in: world.sandbox.scratch.path)
        try world.git(["remote", "add", "empty", d], in: world.a)
        try world.conductorOK(["init"], in: world.a)
        try world.git(["fetch", "-q", "empty"], in: world.a)
        try world.fsck(world.a)
    }

    @Test("plain git: git notes merge with the configured strategy gives the notes git conductor pull gives")
    func gitNotesMergeAgrees() throws {
        let (world, head, first) = try Self.divergedWorld()
        try world.conductorOK(["push"], in: world.b)
        try world.git(["fetch", "-q", "origin"], in: world.a)
        // Our merge, in a copy of A; git's, in A itself, with nothing but the configuration.
        let copy = world.sandbox.scratch.appending("A-copy")
        try FileManager.default.copyItem(atPath: world.a, toPath: copy)
        try world.conductorOK(["pull"], in: copy)
        #expect(try world.git(["config", "notes.conductor.mergeStrategy"], in: world.a).output == "cat_sort_uniq")
        try world.git(["notes", "--ref=conductor", "merge", "refs/conductor/remotes/origin/notes"], in: world.a)
        for commit in [head, first] {
            let ours = try world.git(["rev-parse", "refs/notes/conductor:\(commit)"], in: copy).output
            let gits = try world.git(["rev-parse", "refs/notes/conductor:\(commit)"], in: world.a).output
            #expect(ours == gits, "note blob on \(commit): ours \(ours), git's \(gits)")
        }
        #expect(try world.note(head, in: world.a) == "Conductor-Run: A\nConductor-Run: B\nState: COMPLETE\nState: FAILED\n")
        try world.fsck(copy)
    }
}
