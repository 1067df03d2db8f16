import ConductorTesting
import Foundation
import Testing

@Suite("git conductor doctor")
struct DoctorCommandTests {
    static let checkNames: Set<String> = ["repository", "libgit2", "state branch", "git configuration", "identity", "symbol scanner", "pre-push hook"]

    static func checks(_ result: ProcessResult, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: [String: Any]] {
        let array = try jsonArray(result.stdout, sourceLocation: sourceLocation)
        for check in array {
            #expect(Set(check.keys) == ["name", "level", "message", "fix"], "\(check)", sourceLocation: sourceLocation)
            #expect(["ok", "warning", "error"].contains(check["level"] as? String ?? ""), "\(check)", sourceLocation: sourceLocation)
            #expect(check["message"] is String, "\(check)", sourceLocation: sourceLocation)
            #expect(check["fix"] is String || check["fix"] is NSNull, "\(check)", sourceLocation: sourceLocation)
        }
        return Dictionary(array.map { ($0["name"] as? String ?? "", $0) }) { first, _ in first }
    }

    @Test("before init: a state branch warning whose fix is `git conductor init`, exit 0")
    func beforeInit() throws {
        let sandbox = try Sandbox()
        let text = try sandbox.conductor("doctor")
        #expect(text.status == 0, "warnings alone must not fail doctor: \(text)")
        let stateLine = lines(text.stdout).firstIndex { $0.contains("state branch") }
        let index = try #require(stateLine, "\(text)")
        let output = lines(text.stdout)
        #expect(output[index].hasPrefix("[warning]"), "\(text)")
        #expect(output.dropFirst(index + 1).first?.contains("fix: git conductor init") == true, "\(text)")

        let json = try sandbox.conductor("doctor", "--json")
        #expect(json.status == 0, "\(json)")
        let checks = try Self.checks(json)
        #expect(Set(checks.keys) == Self.checkNames)
        #expect(checks["state branch"]?["level"] as? String == "warning")
        #expect(checks["state branch"]?["fix"] as? String == "git conductor init")
        #expect(checks["repository"]?["level"] as? String == "ok")
        #expect((checks["repository"]?["message"] as? String)?.contains(sandbox.path) == true)
        #expect(checks["git configuration"]?["level"] as? String == "warning")
        #expect(try sandbox.stateTip() == nil, "doctor must not create anything")
    }

    @Test("after init every check is ok")
    func afterInit() throws {
        let sandbox = try Sandbox()
        try sandbox.populate(3)
        let text = try sandbox.conductorOK("doctor")
        #expect(lines(text.stdout).filter { $0.hasPrefix("[") }.allSatisfy { $0.hasPrefix("[ok]") }, "\(text)")
        #expect(!text.stdout.contains("fix:"), "\(text)")

        let checks = try Self.checks(try sandbox.conductorOK("doctor", "--json"))
        #expect(Set(checks.keys) == Self.checkNames)
        for (name, check) in checks {
            #expect(check["level"] as? String == "ok", "\(name): \(check)")
            #expect(check["fix"] is NSNull, "\(name): \(check)")
        }
        let tip = try #require(try sandbox.stateTip())
        let state = checks["state branch"]?["message"] as? String ?? ""
        #expect(state.contains(String(tip.prefix(7))) && state.contains("3 runs"), "\(state)")
        #expect((checks["identity"]?["message"] as? String)?.contains(GitFixture.userEmail) == true)
    }

    @Test("a remote added after init makes the configuration check a warning until init runs again")
    func remoteAddedAfterInit() throws {
        let sandbox = try Sandbox()
        try sandbox.conductorOK("init")
        let remote = sandbox.scratch.appending("origin.git")
        try sandbox.git("init", "-q", "--bare", remote)
        try sandbox.git("remote", "add", "origin", remote)

        let checks = try Self.checks(try sandbox.conductorOK("doctor", "--json"))
        let configuration = try #require(checks["git configuration"])
        #expect(configuration["level"] as? String == "warning")
        #expect((configuration["message"] as? String)?.contains("remote.origin.fetch") == true, "\(configuration)")
        #expect(configuration["fix"] as? String == "git conductor init")

        try sandbox.conductorOK("init")
        #expect(try Self.checks(try sandbox.conductorOK("doctor", "--json"))["git configuration"]?["level"] as? String == "ok")
    }

    @Test("no user.name anywhere: the identity check warns about the git-conductor fallback")
    func identityFallback() throws {
        let sandbox = try Sandbox()
        try sandbox.git("config", "--unset", "user.name")
        try sandbox.git("config", "--unset", "user.email")
        let variables = ["GIT_CONFIG_NOSYSTEM": "1"] // HOME and XDG_CONFIG_HOME already name an empty directory
        #expect(try sandbox.gitResult("config", "user.name").status == 1)

        let text = try sandbox.conductor("doctor", environment: variables)
        #expect(text.status == 0, "\(text)")
        let json = try sandbox.conductor("doctor", "--json", environment: variables)
        #expect(json.status == 0, "\(json)")
        let identity = try #require(try Self.checks(json)["identity"])
        #expect(identity["level"] as? String == "warning")
        let message = identity["message"] as? String ?? ""
        #expect(message.contains("git-conductor") && message.contains("fallback"), "\(message)")
        #expect((identity["fix"] as? String)?.contains("git config user.name") == true, "\(identity)")
        #expect(text.stdout.contains("git config user.name"), "\(text)")

        // The fallback is really who commits on the state branch.
        try sandbox.conductorOK("init", environment: variables)
        let author = try sandbox.git("log", "-1", "--format=%an <%ae>|%cn <%ce>", stateBranch).output
        #expect(author == "git-conductor <git-conductor@localhost>|git-conductor <git-conductor@localhost>")
    }
}
