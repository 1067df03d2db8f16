import ConductorTesting
import Foundation
import Testing

/// `git conductor init`, checked with plain git.
@Suite("git conductor init")
struct InitCommandTests {
    @Test("creates orchestrator-state as an orphan branch holding only format.json")
    func createsStateBranch() throws {
        let sandbox = try Sandbox()
        #expect(try sandbox.stateTip() == nil)

        let result = try sandbox.conductorOK("init")
        #expect(result.stdout.contains("Created orchestrator-state"), "\(result)")

        try sandbox.git("show-ref", "--verify", "--quiet", stateBranch)
        let format = try jsonObject(try sandbox.fileOnBranch("format.json"))
        #expect(Set(format.keys) == ["format", "tool"])
        #expect(format["format"] as? Int == 1)
        #expect(format["tool"] as? String == "git-conductor")

        #expect(try sandbox.pathsOnBranch() == ["format.json"])
        // One root commit, sharing no history with the user's branch.
        #expect(try sandbox.git("rev-list", "--count", stateBranch).output == "1")
        #expect(try sandbox.gitResult("merge-base", "main", stateBranch).status == 1)
        #expect(try sandbox.git("symbolic-ref", "HEAD").output == "refs/heads/main")
        try sandbox.fixture.fsck()
    }

    @Test("with a remote: fetch refspecs into refs/conductor/remotes, notes settings, no push refspec")
    func configuresRemoteAndNotes() throws {
        let sandbox = try Sandbox()
        let remote = sandbox.scratch.appending("origin.git")
        try sandbox.git("init", "-q", "--bare", remote)
        try sandbox.git("remote", "add", "origin", remote)

        try sandbox.conductorOK("init")

        let fetch = lines(try sandbox.git("config", "--get-all", "remote.origin.fetch").stdout)
        let conductorRefspecs = fetch.filter { $0.contains("conductor") }
        #expect(conductorRefspecs.count == 2, "remote.origin.fetch = \(fetch)")
        #expect(Set(conductorRefspecs.map { $0.split(separator: ":").first.map(String.init) ?? "" })
            == ["+refs/heads/orchestrator-state*", "+refs/notes/conductor*"])
        for refspec in conductorRefspecs {
            let destination = refspec.split(separator: ":").last.map(String.init) ?? ""
            #expect(destination.hasPrefix("refs/conductor/remotes/origin/"), "\(refspec)")
        }
        for refspec in fetch {
            let destination = refspec.split(separator: ":").last.map(String.init) ?? ""
            #expect(!destination.hasPrefix("refs/heads/"), "\(refspec) writes a local branch")
            #expect(!destination.hasPrefix("refs/notes/"), "\(refspec) writes local notes")
        }
        // git's default refspec is left alone.
        #expect(fetch.contains("+refs/heads/*:refs/remotes/origin/*"))

        #expect(lines(try sandbox.git("config", "--get-all", "notes.rewriteRef").stdout) == ["refs/notes/conductor"])
        #expect(try sandbox.git("config", "--get", "notes.conductor.mergeStrategy").output == "cat_sort_uniq")
        let push = try sandbox.gitResult("config", "--get-all", "remote.origin.push")
        #expect(push.status == 1, "remote.origin.push must stay unset: \(push)")
    }

    @Test("a second init leaves .git/config and the state tip untouched and says nothing changed")
    func secondInitChangesNothing() throws {
        let sandbox = try Sandbox()
        let remote = sandbox.scratch.appending("origin.git")
        try sandbox.git("init", "-q", "--bare", remote)
        try sandbox.git("remote", "add", "origin", remote)
        try sandbox.conductorOK("init")
        let config = try sandbox.configBytes()
        let tip = try sandbox.stateTip()

        let again = try sandbox.conductorOK("init")
        #expect(again.stdout.lowercased().contains("nothing to change"), "\(again)")
        #expect(!again.stdout.contains("Set "), "\(again)")
        #expect(try sandbox.configBytes() == config, ".git/config changed")
        #expect(try sandbox.stateTip() == tip)

        let json = try jsonObject(try sandbox.conductorOK("init", "--json").stdout)
        #expect(json["state_branch_created"] as? Bool == false)
        #expect((json["configured"] as? [Any])?.isEmpty == true, "\(json)")
        #expect(try sandbox.configBytes() == config, ".git/config changed")
        #expect(try sandbox.stateTip() == tip)
        #expect(try sandbox.git("rev-list", "--count", stateBranch).output == "1")
    }

    @Test("init --json reports what it set, and git config agrees")
    func initJSON() throws {
        let sandbox = try Sandbox()
        let remote = sandbox.scratch.appending("origin.git")
        try sandbox.git("init", "-q", "--bare", remote)
        try sandbox.git("remote", "add", "origin", remote)

        let json = try jsonObject(try sandbox.conductorOK("init", "--json").stdout)
        #expect(json["state_branch_created"] as? Bool == true)
        let configured = try #require(json["configured"] as? [[String: Any]], "\(json)")
        #expect(json["already_configured"] is [Any], "\(json)")
        let pairs = configured.compactMap { entry -> String? in
            guard let key = entry["key"] as? String, let value = entry["value"] as? String else { return nil }
            return "\(key)=\(value)"
        }
        #expect(pairs.count == configured.count)
        #expect(Set(pairs) == [
            "remote.origin.fetch=+refs/heads/orchestrator-state*:refs/conductor/remotes/origin/state*",
            "remote.origin.fetch=+refs/notes/conductor*:refs/conductor/remotes/origin/notes*",
            "notes.rewriteRef=refs/notes/conductor",
            "notes.conductor.mergeStrategy=cat_sort_uniq",
        ])
        for entry in configured {
            let key = try #require(entry["key"] as? String), value = try #require(entry["value"] as? String)
            #expect(lines(try sandbox.git("config", "--get-all", key).stdout).contains(value), "\(key) \(value)")
        }
    }

    @Test("init run again after adding a remote adds only that remote's refspecs")
    func initAfterAddingRemote() throws {
        let sandbox = try Sandbox()
        try sandbox.conductorOK("init")
        let tip = try sandbox.stateTip()
        let remote = sandbox.scratch.appending("upstream.git")
        try sandbox.git("init", "-q", "--bare", remote)
        try sandbox.git("remote", "add", "upstream", remote)

        let json = try jsonObject(try sandbox.conductorOK("init", "--json").stdout)
        #expect(json["state_branch_created"] as? Bool == false)
        let keys = (json["configured"] as? [[String: Any]] ?? []).compactMap { $0["key"] as? String }
        #expect(keys == ["remote.upstream.fetch", "remote.upstream.fetch"], "\(json)")
        #expect(try sandbox.stateTip() == tip)
        let fetch = lines(try sandbox.git("config", "--get-all", "remote.upstream.fetch").stdout)
        #expect(fetch.filter { $0.contains(":refs/conductor/remotes/upstream/") }.count == 2, "\(fetch)")
        #expect(lines(try sandbox.git("config", "--get-all", "notes.rewriteRef").stdout) == ["refs/notes/conductor"])
    }

    /// After init, the user's plain `git fetch` must keep working against a remote that has
    /// no conductor refs yet (and against one that has state but no notes yet), and must
    /// bring the remote's state into its remote-tracking ref.
    @Test("plain git fetch still works after init and fetches the remote's state")
    func plainFetchAfterInit() throws {
        let sandbox = try Sandbox()
        let remote = sandbox.scratch.appending("origin.git")
        try sandbox.git("init", "-q", "--bare", remote)
        try sandbox.git("remote", "add", "origin", remote)
        try sandbox.git("push", "-q", "origin", "main")
        try sandbox.conductorOK("init")

        let fetch = try sandbox.gitResult("fetch", "-q", "origin")
        #expect(fetch.status == 0, "git fetch after init, remote without conductor refs: \(fetch)")

        try sandbox.git("push", "-q", "origin", stateBranch)
        let fetchState = try sandbox.gitResult("fetch", "-q", "origin")
        #expect(fetchState.status == 0, "git fetch after init, remote with state but no notes: \(fetchState)")
        #expect(try sandbox.fixture.revParseIfPresent("refs/conductor/remotes/origin/state") == sandbox.stateTip())
    }
}

extension InitCommandTests {
    @Test("init writes a commented conductor.yml once; uncommented it is exactly the defaults; --no-config-file skips it")
    func configurationTemplate() throws {
        let sandbox = try Sandbox()
        let result = try sandbox.conductorOK("init")
        let path = sandbox.path + "/conductor.yml"
        #expect(result.stdout.contains("Wrote \(path)"), "\(result)")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.split(separator: "\n").allSatisfy { $0.hasPrefix("#") || $0.allSatisfy(\.isWhitespace) }, "every line is a comment")
        try "mode: fast\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try jsonObject(sandbox.conductorOK("init", "--json").stdout)["config_file"] is NSNull, "an existing file is kept")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "mode: fast\n")
        let validated = try sandbox.conductorOK("config", "validate")
        #expect(validated.status == 0)

        let other = try Sandbox()
        try other.conductorOK("init", "--no-config-file")
        #expect(!FileManager.default.fileExists(atPath: other.path + "/conductor.yml"))
    }
}
