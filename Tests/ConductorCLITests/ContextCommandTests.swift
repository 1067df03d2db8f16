import ConductorTesting
import Foundation
import Testing

/// The context engine seen from outside: `context pick`, and a run whose model asks to see
/// files before editing (docs/context.md).
@Suite("git conductor context pick and file requests")
struct ContextCommandTests {
    /// A small Python project: the bug is in `pkg/headers.py`, a file far larger than a
    /// small budget; other files share some of the task's words.
    static func project() throws -> Sandbox {
        let sandbox = try Sandbox()
        var big = (1...400).map { "CONSTANT_\($0) = \($0)" }
        big[299] = "def parse_header(line):"
        big[300] = "    name, value = line.split(':')"
        big[301] = "    return name.strip(), value.strip()"
        _ = try sandbox.fixture.commit("Add the project", files: [
            "pkg/headers.py": big.joined(separator: "\n") + "\n",
            "pkg/client.py": "from pkg.headers import parse_header\n\ndef fetch(url):\n    return [parse_header(l) for l in url.splitlines()]\n",
            "pkg/colors.py": "def paint(text):\n    return text\n",
            "README.md": "A client that parses headers.\n",
        ])
        return sandbox
    }

    @Test("one line per file, path first; a failure naming a file and line puts it first, as an excerpt holding that line")
    func pickListsFiles() throws {
        let sandbox = try Self.project()
        let failure = sandbox.scratch.appending("failure.txt")
        try "Traceback (most recent call last):\n  File \"/tmp/w/pkg/headers.py\", line 301, in parse_header\nValueError: too many values to unpack\n"
            .write(toFile: failure, atomically: true, encoding: .utf8)
        let before = try sandbox.fixture.fingerprint()
        let result = try sandbox.conductorOK("context", "pick", "Header values containing a colon break parsing", "--failure", failure, "--budget", "1500")
        let rows = lines(result.stdout).map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.first?.first == "pkg/headers.py", "\(result)")
        #expect(rows.first?[1].hasPrefix("excerpt") == true && rows.first?[3].hasPrefix("named in the failure (line 301)") == true, "\(rows)")
        #expect(rows.allSatisfy { $0.count == 4 })
        #expect(result.stderr.contains("map:"), "\(result)")

        let json = try jsonObject(sandbox.conductorOK("context", "pick", "Header values containing a colon break parsing", "--failure", failure, "--budget", "1500", "--json").stdout)
        let files = try #require(json["files"] as? [[String: Any]])
        let first = try #require(files.first)
        #expect(first["form"] as? String == "excerpt" && (first["text"] as? String)?.contains("    name, value = line.split(':')") == true, "\(first)")
        #expect(json["budget_tokens"] as? Int == 1500)
        // Reading only: nothing in the checkout, no state branch.
        #expect(try sandbox.fixture.fingerprint() == before)
        #expect(try sandbox.gitResult("rev-parse", "--verify", "-q", stateBranch).status != 0)
    }

    @Test("the task's words find the file without any failure; --rev picks from an older commit")
    func pickByWords() throws {
        let sandbox = try Self.project()
        let first = try sandbox.git("rev-parse", "HEAD").output
        _ = try sandbox.fixture.commit("Add painter", files: ["pkg/painter.py": "def paint_rainbow(text):\n    return text\n"])
        let now = lines(try sandbox.conductorOK("context", "pick", "paint_rainbow loses the text").stdout)
        #expect(now.first?.hasPrefix("pkg/painter.py\t") == true, "\(now)")
        let then = lines(try sandbox.conductorOK("context", "pick", "paint_rainbow loses the text", "--rev", first).stdout)
        #expect(!then.contains { $0.hasPrefix("pkg/painter.py") }, "\(then)")
    }

    @Test("bad input: an unknown revision and an unreadable failure file are named")
    func badInput() throws {
        let sandbox = try Self.project()
        let revision = try sandbox.conductor("context", "pick", "x", "--rev", "no-such-rev")
        #expect(revision.status != 0 && revision.stderr.contains("no-such-rev"), "\(revision)")
        let failure = try sandbox.conductor("context", "pick", "x", "--failure", "/nonexistent/log.txt")
        #expect(failure.status != 0 && failure.stderr.contains("/nonexistent/log.txt"), "\(failure)")
        #expect(!revision.stderr.contains("Fatal error") && !failure.stderr.contains("Fatal error"))
    }

    @Test("a model that asks for a file is shown it in the same iteration; recorded, then replayed exactly")
    func fileRequestAnsweredAndReplayed() throws {
        let read = "I need to see the script first.\n<read>\nadd.sh\nsymbol nothing_defines_this\n</read>\n"
        let (sandbox, script) = try RunCommandTests.project(answers: [read, RunCommandTests.edit("-", "+", promise: true)])
        let result = try RunCommandTests.run(sandbox, script: script)
        #expect(result.status == 0, "\(result)")
        let log = try jsonArray(sandbox.conductorOK("log", "--json").stdout)
        #expect(log.first?["status"] as? String == "complete" && log.first?["iterations"] as? Int == 1, "\(log)")
        let id = try #require(log.first?["id"] as? String)
        let request = try sandbox.fileOnBranch(runDirectory(id) + "/iterations/1/read-1/request.json")
        #expect(request.contains("# The files you asked for") && request.contains("echo $(( $1 - $2 ))"), "\(request)")
        #expect(request.contains("I need to see the script first."))
        let show = try sandbox.conductorOK("show", id, "--json").stdout
        let events = try #require(try jsonObject(show)["events"] as? [[String: Any]])
        let asked = try #require(events.first { $0["kind"] as? String == "file_request" })
        #expect(asked["shown"] as? [String] == ["add.sh"] && asked["missing"] as? [String] == ["symbol nothing_defines_this"], "\(asked)")
        #expect(asked["round"] as? Int == 1 && asked["number"] as? Int == 1)
        let picked = try #require(events.first { $0["kind"] as? String == "context" })
        #expect((picked["files"] as? [String])?.first?.hasPrefix("add.sh (whole): named in the task") == true, "\(picked)")
        #expect(try sandbox.gitResult("cat-file", "-e", "orchestrator-state:\(runDirectory(id))/iterations/1/context.json").status == 0)

        let body = try sandbox.conductorOK("pr-body", id).stdout
        #expect(body.contains("<summary>What the model was shown of the repository</summary>") && body.contains("add.sh (whole): named in the task"), "\(body)")
        let digest = try jsonObject(sandbox.conductorOK("pr-body", id, "--format", "json").stdout)
        let iterations = try #require(digest["iterations"] as? [[String: Any]])
        #expect((iterations.first?["context"] as? [String])?.first?.hasPrefix("add.sh (whole)") == true, "\(iterations)")

        try FileManager.default.removeItem(atPath: script)
        let replay = try sandbox.conductor("replay", id)
        #expect(replay.status == 0 && replay.stdout.contains("reproduced"), "\(replay)")
        _ = try sandbox.fixture.fsck()
    }

    @Test("a ctags that crashes or hangs costs a warning: the run proceeds with the built-in scanner and its prompts still carry the code")
    func brokenCtags() throws {
        for behaviour in ["kill -SEGV $$", "sleep 600"] {
            let (sandbox, script) = try RunCommandTests.project(answers: [RunCommandTests.edit("-", "+", promise: true)])
            _ = try sandbox.fixture.commit("Add a helper", files: ["calc.py": "def add_numbers(a, b):\n    return a - b\n"])
            let fake = sandbox.scratch.appending("ctags")
            try "#!/bin/sh\ncase \"$1\" in --version) echo 'Universal Ctags 5.9.0, Copyright (C) 2015 Universal Ctags Team'; exit 0;; esac\n\(behaviour)\n"
                .write(toFile: fake, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake)
            let result = try sandbox.run(
                Tool.conductor, ["run", "Fix add.sh and add_numbers so that they add", "--script", script, "--verify", "sh test.sh", "--mode", "fast"],
                environment: ["CONDUCTOR_CTAGS": fake, "CONDUCTOR_CTAGS_TIMEOUT": "2"]
            )
            #expect(result.status == 0, "\(behaviour): \(result)")
            #expect((result.stdout + result.stderr).contains("ctags"), "\(behaviour): the warning names ctags: \(result)")
            let id = try #require(try jsonArray(sandbox.conductorOK("log", "--json").stdout).first?["id"] as? String)
            let events = try #require(try jsonObject(sandbox.conductorOK("show", id, "--json").stdout)["events"] as? [[String: Any]])
            let files = events.first { $0["kind"] as? String == "context" }?["files"] as? [String] ?? []
            #expect(files.contains { $0.hasPrefix("calc.py") }, "\(behaviour): \(files)")
        }
    }
}
