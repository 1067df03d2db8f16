import ConductorTesting
import Foundation
import Testing

/// `git conductor pr create` against a local bare remote and a fake `gh` on PATH that
/// records its arguments and the body it was given.
@Suite("git conductor pr create")
struct PrCreateTests {
    /// A fake GitHub CLI. `pr view` finds an open PR when FAKE_GH_EXISTING is set;
    /// `auth status` fails when FAKE_GH_LOGGED_OUT is set. Every call appends its
    /// arguments, one per line, then `--`, to calls.log; a body file is copied to body.md.
    static let fakeGitHubCLI = #"""
        #!/bin/sh
        log="$(dirname "$0")/calls.log"
        for argument in "$@"; do printf '%s\n' "$argument" >> "$log"; done
        echo -- >> "$log"
        previous=""
        for argument in "$@"; do
          [ "$previous" = "--body-file" ] && cp "$argument" "$(dirname "$0")/body.md"
          previous="$argument"
        done
        case "$1 $2" in
          "auth status") [ -z "$FAKE_GH_LOGGED_OUT" ] || { echo "You are not logged into any GitHub hosts." >&2; exit 1; } ;;
          "pr view") [ -n "$FAKE_GH_EXISTING" ] || { echo "no pull requests found for branch" >&2; exit 1; }; echo "$FAKE_GH_EXISTING" ;;
          "pr create") echo "Creating pull request"; echo "https://github.com/example/repo/pull/7" ;;
          "pr edit") echo "$3" ;;
        esac
        """#

    struct Setup {
        let sandbox: Sandbox
        let id: String
        let branch: String
        let remote: String
        let bin: String

        var environment: [String: String] {
            ["PATH": bin + ":" + (sandbox.environment["PATH"] ?? "/usr/bin:/bin")]
        }

        /// Each gh call's arguments.
        func calls() throws -> [[String]] {
            let log = (try? String(contentsOfFile: bin + "/calls.log", encoding: .utf8)) ?? ""
            return log.components(separatedBy: "--\n").filter { !$0.isEmpty }.map { $0.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init) }
        }

        func body() throws -> String {
            try String(contentsOfFile: bin + "/body.md", encoding: .utf8)
        }
    }

    /// A run (completed unless `failing`), a bare remote `origin`, and the fake gh.
    static func setUp(failing: Bool = false) throws -> Setup {
        let answers = failing ? [ResumeTests.plan, RunCommandTests.edit("-", "*")] : ResumeTests.answers
        let (sandbox, script) = try RunCommandTests.project(answers: answers)
        let result = try ResumeTests.start(sandbox, script: script, crashAt: nil, failing ? ["--max-iterations", "1"] : [])
        #expect(result.status == (failing ? 10 : 0), "\(result)")
        let id = try #require(try jsonArray(sandbox.conductorOK("log", "--json").stdout).first?["id"] as? String)
        let remote = sandbox.scratch.appending("remote.git")
        _ = try runProcess("git", ["init", "-q", "--bare", remote], in: sandbox.scratch.path)
        try sandbox.git("remote", "add", "origin", remote)
        let bin = sandbox.scratch.appending("bin")
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try fakeGitHubCLI.write(toFile: bin + "/gh", atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: bin + "/gh")
        return Setup(sandbox: sandbox, id: id, branch: try RunCommandTests.taskBranch(sandbox), remote: remote, bin: bin)
    }

    @Test("pushes branch and state without force, runs gh pr create with title, body, base and head, and records the address")
    func creates() throws {
        let setup = try Self.setUp()
        let result = try setup.sandbox.conductor("pr", "create", setup.id, "--label", "conductor", environment: setup.environment)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == "Opened https://github.com/example/repo/pull/7\n", "\(result)")
        let create = try #require(try setup.calls().first { $0.starts(with: ["pr", "create"]) })
        let bodyFile = setup.sandbox.gitDirectory + "/conductor/pr/\(setup.id).md"
        #expect(create == ["pr", "create", "--title", "Fix add.sh so that it adds", "--body-file", bodyFile, "--base", "main", "--head", setup.branch, "--label", "conductor"], "\(create)")
        // gh got the body pr-body prints, as it was before the address was recorded.
        let body = try setup.body()
        #expect(body == (try String(contentsOfFile: bodyFile, encoding: .utf8)))
        let now = try setup.sandbox.conductorOK("pr-body", setup.id).stdout
        #expect(now.replacingOccurrences(of: "- **Pull request:** https://github.com/example/repo/pull/7\n", with: "") == body, "\(now)")
        let remoteRefs = try runProcess("git", ["ls-remote", setup.remote], in: setup.sandbox.path).stdout
        #expect(remoteRefs.contains("refs/heads/\(setup.branch)") && remoteRefs.contains("refs/heads/orchestrator-state") && remoteRefs.contains("refs/notes/conductor"), "\(remoteRefs)")
        let log = try setup.sandbox.conductorOK("log").stdout
        #expect(log.split(separator: "\n").first?.hasSuffix("PR") == true && log.contains("https://github.com/example/repo/pull/7"), "\(log)")
        #expect(try setup.sandbox.conductorOK("show", setup.id).stdout.contains("Pull request:"))
        #expect(try jsonArray(setup.sandbox.conductorOK("log", "--json").stdout).first?["pull_request"] as? String == "https://github.com/example/repo/pull/7")
        _ = try setup.sandbox.fixture.fsck()
    }

    @Test("a run that did not complete opens as a draft, unless --force")
    func draftRule() throws {
        let setup = try Self.setUp(failing: true)
        #expect(try setup.sandbox.conductor("pr", "create", setup.id, environment: setup.environment).stdout.hasPrefix("Opened draft"))
        #expect(try setup.calls().last?.contains("--draft") == true)
        #expect(try setup.sandbox.conductor("pr", "create", setup.id, "--force", environment: setup.environment.merging(["FAKE_GH_EXISTING": ""]) { $1 }).status == 0)
        let last = try #require(try setup.calls().last { $0.starts(with: ["pr", "create"]) })
        #expect(!last.contains("--draft"), "\(last)")
    }

    @Test("an open pull request for the branch gets its body updated instead")
    func updatesExisting() throws {
        let setup = try Self.setUp()
        let url = "https://github.com/example/repo/pull/3"
        let result = try setup.sandbox.conductor("pr", "create", setup.id, environment: setup.environment.merging(["FAKE_GH_EXISTING": url]) { $1 })
        #expect(result.status == 0 && result.stdout == "Updated the body of \(url)\n", "\(result)")
        let calls = try setup.calls()
        #expect(calls.contains { $0 == ["pr", "edit", url, "--body-file", setup.sandbox.gitDirectory + "/conductor/pr/\(setup.id).md"] }, "\(calls)")
        #expect(!calls.contains { $0.starts(with: ["pr", "create"]) })
    }

    @Test("gh missing or logged out: exit 16, the body saved, and the exact command to run by hand")
    func withoutGitHubCLI() throws {
        let setup = try Self.setUp()
        let missing = try setup.sandbox.conductor("pr", "create", setup.id, environment: ["PATH": "/usr/bin:/bin"])
        #expect(missing.status == 16, "\(missing)")
        let bodyFile = setup.sandbox.gitDirectory + "/conductor/pr/\(setup.id).md"
        #expect(missing.stderr.contains("gh) is not installed") && missing.stderr.contains(bodyFile), "\(missing)")
        #expect(missing.stderr.contains("gh pr create --title 'Fix add.sh so that it adds' --body-file \(bodyFile) --base main --head \(setup.branch)"), "\(missing)")
        #expect(FileManager.default.fileExists(atPath: bodyFile))
        let loggedOut = try setup.sandbox.conductor("pr", "create", setup.id, environment: setup.environment.merging(["FAKE_GH_LOGGED_OUT": "1"]) { $1 })
        #expect(loggedOut.status == 16 && loggedOut.stderr.contains("gh auth login"), "\(loggedOut)")
        #expect(try jsonArray(setup.sandbox.conductorOK("log", "--json").stdout).first?["pull_request"] is NSNull)
    }
}
