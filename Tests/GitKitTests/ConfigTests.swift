import ConductorTesting
import Foundation
import GitKit
import Testing

@Suite("Config")
struct ConfigTests {
    @Test("set writes the local config, git reads it back")
    func set() throws {
        let fixture = try GitFixture()
        let repository = try fixture.open()
        try repository.localConfig().set("conductor.model", to: "some-model")
        #expect(try fixture.git("config", "--local", "--get", "conductor.model").output == "some-model")
        try repository.localConfig().set("conductor.model", to: "another")
        #expect(try fixture.git("config", "--local", "--get-all", "conductor.model").output == "another")
        #expect(try repository.configSnapshot().string("conductor.model") == "another")
    }

    @Test("add appends values in order and never duplicates one")
    func add() throws {
        let fixture = try GitFixture()
        let repository = try fixture.open()
        let config = try repository.localConfig()
        let refspec1 = "+refs/heads/orchestrator-state:refs/remotes/origin/orchestrator-state"
        let refspec2 = "+refs/notes/conductor:refs/notes/remotes/origin/conductor"
        try fixture.git("config", "remote.origin.fetch", "+refs/heads/*:refs/remotes/origin/*")
        try config.add("remote.origin.fetch", value: refspec1)
        try config.add("remote.origin.fetch", value: refspec2)
        try config.add("remote.origin.fetch", value: refspec1)
        let expected = ["+refs/heads/*:refs/remotes/origin/*", refspec1, refspec2]
        #expect(try fixture.git("config", "--get-all", "remote.origin.fetch").output.split(separator: "\n").map(String.init) == expected)
        #expect(try repository.configSnapshot().strings("remote.origin.fetch") == expected)
        #expect(try config.strings("remote.origin.fetch") == expected)
    }

    @Test("add creates a key that was unset")
    func addFirst() throws {
        let fixture = try GitFixture()
        let config = try fixture.open().localConfig()
        try config.add("notes.rewriteRef", value: "refs/notes/conductor")
        #expect(try fixture.git("config", "--get-all", "notes.rewriteRef").output == "refs/notes/conductor")
    }

    @Test("reads see values git wrote; unset keys are nil or empty")
    func reads() throws {
        let fixture = try GitFixture()
        try fixture.git("config", "conductor.verify", "swift test")
        try fixture.git("config", "--add", "conductor.protect", "a")
        try fixture.git("config", "--add", "conductor.protect", "b")
        let snapshot = try fixture.open().configSnapshot()
        #expect(try snapshot.string("conductor.verify") == "swift test")
        #expect(try snapshot.strings("conductor.protect") == ["a", "b"])
        #expect(try snapshot.string("conductor.unset") == nil)
        #expect(try snapshot.strings("conductor.unset") == [])
        #expect(try snapshot.string("user.name") == GitFixture.userName)
    }

    @Test("a snapshot does not change when the file does")
    func snapshotIsStable() throws {
        let fixture = try GitFixture()
        let repository = try fixture.open()
        try fixture.git("config", "conductor.mode", "fast")
        let snapshot = try repository.configSnapshot()
        try fixture.git("config", "conductor.mode", "full")
        #expect(try snapshot.string("conductor.mode") == "fast")
        #expect(try repository.configSnapshot().string("conductor.mode") == "full")
    }

    @Test("invalid keys give a GitError", arguments: ["nodot", "", "a.b c", ".start"])
    func invalidKeys(key: String) throws {
        let fixture = try GitFixture()
        let config = try fixture.open().localConfig()
        expectGitError { try config.set(key, to: "v") }
        expectGitError { try config.add(key, value: "v") }
    }

    @Test("reading a multi-valued key as single gives the last value, as git does")
    func multivarAsSingle() throws {
        let fixture = try GitFixture()
        try fixture.git("config", "--add", "conductor.protect", "a")
        try fixture.git("config", "--add", "conductor.protect", "b")
        // git itself returns the last value here, and so does libgit2.
        #expect(try fixture.git("config", "--get", "conductor.protect").output == "b")
        #expect(try fixture.open().configSnapshot().string("conductor.protect") == "b")
    }
}

@Suite("Config entries")
struct ConfigEntryTests {
    @Test("entries(matching:) lists every matching entry in git's order, with its level and no-value keys as nil")
    func entries() throws {
        let fixture = try GitFixture()
        try fixture.git("config", "conductor.budgets.max-tokens", "500")
        try fixture.git("config", "--add", "conductor.verify", "swift build")
        try fixture.git("config", "--add", "conductor.verify", "swift test")
        try fixture.git("config", "conductor.providers.MyProxy.base-url", "http://localhost:1/v1")
        try fixture.git("config", "other.key", "x")
        // A key with no `=`: git reads it as true.
        let configPath = fixture.gitDirectory + "/config"
        let text = try String(contentsOfFile: configPath, encoding: .utf8) + "[conductor \"providers.openai\"]\n\tstream\n"
        try text.write(toFile: configPath, atomically: true, encoding: .utf8)
        // Only the local file: the host may have a global configuration of its own.
        let entries = try fixture.open().configSnapshot().entries(matching: "^conductor\\.").filter { $0.level == .local }
        #expect(entries == [
            ConfigEntry(name: "conductor.budgets.max-tokens", value: "500", level: .local),
            ConfigEntry(name: "conductor.verify", value: "swift build", level: .local),
            ConfigEntry(name: "conductor.verify", value: "swift test", level: .local),
            ConfigEntry(name: "conductor.providers.MyProxy.base-url", value: "http://localhost:1/v1", level: .local),
            ConfigEntry(name: "conductor.providers.openai.stream", value: nil, level: .local),
        ])
    }
}
