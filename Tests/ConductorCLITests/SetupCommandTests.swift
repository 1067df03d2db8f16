import ConductorTesting
import Foundation
import Testing

/// `git conductor setup` and `git conductor context …` on real repositories of each
/// ecosystem, cross-checked with the real git: the documents land on the state branch in one
/// commit, the checkout is untouched, and the inferred commands are the expected ones.
@Suite("git conductor setup and context")
struct SetupCommandTests {
    struct Ecosystem: CustomTestStringConvertible, Sendable {
        let name: String
        let files: [String: String]
        let build: String?
        let test: String

        var testDescription: String { name }
    }

    static let ecosystems: [Ecosystem] = [
        Ecosystem(name: "Swift", files: [
            "Package.swift": "// swift-tools-version:5.9\nimport PackageDescription\nlet package = Package(name: \"Demo\", targets: [.target(name: \"Demo\")])\n",
            "Sources/Demo/Demo.swift": "public func demo() -> Int { 1 }\n", "Tests/DemoTests/DemoTests.swift": "import Demo\n",
        ], build: "swift build", test: "swift test"),
        Ecosystem(name: "Make", files: [
            "Makefile": "CFLAGS := -O2\n.PHONY: all test\nall: demo\ndemo: main.c\n\t$(CC) $(CFLAGS) -o demo main.c\ntest: demo\n\t./demo\n",
            "main.c": "int main(void) { return 0; }\n",
        ], build: "make", test: "make test"),
        Ecosystem(name: "npm", files: [
            "package.json": #"{"name": "demo", "description": "A demo", "scripts": {"test": "node --test", "lint": "eslint ."}, "dependencies": {"express": "^4"}}"#,
            "package-lock.json": "{}\n", "index.js": "module.exports = 1\n", ".eslintrc.json": "{}\n",
        ], build: nil, test: "npm test"),
        Ecosystem(name: "Python/pytest", files: [
            "pyproject.toml": "[project]\nname = \"demo\"\ndependencies = [\"requests\"]\n\n[tool.pytest.ini_options]\naddopts = \"-q\"\n\n[tool.ruff]\n",
            "demo/__init__.py": "VALUE = 1\n", "tests/test_demo.py": "def test_value():\n    assert True\n",
        ], build: nil, test: "pytest"),
        Ecosystem(name: "Cargo", files: [
            "Cargo.toml": "[package]\nname = \"demo\"\nversion = \"0.1.0\"\n\n[dependencies]\nserde = \"1\"\n", "src/main.rs": "fn main() {}\n",
            "rustfmt.toml": "max_width = 100\n",
        ], build: "cargo build", test: "cargo test"),
        Ecosystem(name: "Go", files: [
            "go.mod": "module example.com/demo\n\ngo 1.22\n", "main.go": "package main\n\nfunc main() {}\n", "main_test.go": "package main\n",
        ], build: "go build ./...", test: "go test ./..."),
        Ecosystem(name: "CMake", files: [
            "CMakeLists.txt": "cmake_minimum_required(VERSION 3.20)\nproject(demo CXX)\nenable_testing()\nadd_executable(demo src/main.cpp)\n",
            "src/main.cpp": "int main() { return 0; }\n", ".clang-format": "BasedOnStyle: LLVM\n",
        ], build: "cmake -B build && cmake --build build", test: "cmake -B build && cmake --build build && ctest --test-dir build"),
        Ecosystem(name: "Gradle", files: [
            "build.gradle.kts": "plugins { java }\ndependencies { testImplementation(\"junit:junit:4.13.2\") }\n", "gradlew": "#!/bin/sh\n",
            "src/main/java/Demo.java": "class Demo {}\n", "src/test/java/DemoTest.java": "class DemoTest {}\n",
        ], build: "./gradlew assemble", test: "./gradlew test"),
        Ecosystem(name: "Maven", files: [
            "pom.xml": "<project><modelVersion>4.0.0</modelVersion><groupId>x</groupId><artifactId>demo</artifactId><version>1</version></project>\n",
            "src/main/java/Demo.java": "class Demo {}\n",
        ], build: "mvn -q compile", test: "mvn -q test"),
    ]

    /// A sandbox with the ecosystem's files committed and the state branch initialised.
    static func project(_ files: [String: String]) throws -> Sandbox {
        let sandbox = try Sandbox()
        _ = try sandbox.fixture.commit("Add the project", files: files)
        try sandbox.conductorOK("init", "--no-config-file")
        return sandbox
    }

    static func stateCommitCount(_ sandbox: Sandbox) throws -> Int {
        Int(try sandbox.git("rev-list", "--count", stateBranch).output) ?? -1
    }

    @Test("setup detects the commands of each ecosystem, writes one state commit and nothing in the checkout", arguments: ecosystems)
    func detectsCommands(_ ecosystem: Ecosystem) throws {
        let sandbox = try Self.project(ecosystem.files)
        let before = try sandbox.fixture.fingerprint()
        let commits = try Self.stateCommitCount(sandbox)
        let output = try jsonObject(sandbox.conductorOK("setup", "--json").stdout)
        let profile = try #require(output["profile"] as? [String: Any])
        #expect((profile["test"] as? [String: Any])?["value"] as? String == ecosystem.test, "\(profile)")
        #expect((profile["build"] as? [String: Any])?["value"] as? String == ecosystem.build, "\(profile)")
        #expect(((profile["test"] as? [String: Any])?["reason"] as? String)?.isEmpty == false)
        #expect(output["written"] as? [String] == ["product.md", "tech-stack.md", "workflow.md"])

        #expect(try Self.stateCommitCount(sandbox) == commits + 1, "exactly one state commit")
        #expect(try sandbox.fixture.fingerprint() == before)
        #expect(try sandbox.git("status", "--porcelain").stdout.isEmpty)
        let workflow = try sandbox.fileOnBranch("context/workflow.md")
        #expect(workflow.contains("- Test: `\(ecosystem.test)`"), "\(workflow)")
        let shown = try jsonObject(sandbox.conductorOK("context", "show", "--json").stdout)
        #expect(shown["test_command"] as? String == ecosystem.test)
        _ = try sandbox.fixture.fsck()
    }

    @Test("setup reads HEAD's tree only: an untracked Makefile with a test target changes nothing")
    func ignoresUntrackedFiles() throws {
        let sandbox = try Self.project(Self.ecosystems[0].files)
        try sandbox.fixture.write("Makefile", "test:\n\techo untracked\n")
        let output = try jsonObject(sandbox.conductorOK("setup", "--yes", "--json").stdout)
        #expect(((output["profile"] as? [String: Any])?["test"] as? [String: Any])?["value"] as? String == "swift test")
        #expect(try sandbox.git("status", "--porcelain").output == "?? Makefile")
    }

    @Test("running setup again keeps an edited document and reports the difference; --force rewrites it")
    func rerunKeepsEdits() throws {
        let sandbox = try Self.project(Self.ecosystems[0].files)
        try sandbox.conductorOK("setup", "--yes")
        let edited = try sandbox.fileOnBranch("context/workflow.md").replacingOccurrences(of: "`swift test`", with: "`swift test --parallel`")
        try sandbox.replaceOnBranch("context/workflow.md", with: edited)
        let tip = try sandbox.stateTip()
        let again = try sandbox.conductorOK("setup", "--yes")
        #expect(again.stdout.contains("Kept context/product.md, context/tech-stack.md, context/workflow.md"), "\(again)")
        #expect(again.stdout.contains("workflow.md: test command is `swift test --parallel`; the inference says `swift test`"), "\(again)")
        #expect(try sandbox.stateTip() == tip, "nothing written")
        try sandbox.conductorOK("setup", "--yes", "--force")
        #expect(try sandbox.fileOnBranch("context/workflow.md").contains("- Test: `swift test` —"))
        #expect(try Self.stateCommitCount(sandbox) == 4, "init, setup, the test's edit, setup --force")
    }

    @Test("context edit runs $EDITOR on a copy and commits the change as one state commit; unchanged commits nothing")
    func editWithFakeEditor() throws {
        let sandbox = try Self.project(Self.ecosystems[0].files)
        try sandbox.conductorOK("setup", "--yes")
        let before = try sandbox.fixture.fingerprint()
        let editor = sandbox.scratch.appending("editor.sh")
        try "#!/bin/sh\nsed 's/`swift test`/`swift test --filter Fast`/' \"$1\" > \"$1.new\" && mv \"$1.new\" \"$1\"\n"
            .write(toFile: editor, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: editor)
        let commits = try Self.stateCommitCount(sandbox)
        let result = try sandbox.conductorOK("context", "edit", "workflow", environment: ["EDITOR": editor, "VISUAL": ""])
        #expect(result.stdout.contains("Committed context/workflow.md"), "\(result)")
        #expect(try Self.stateCommitCount(sandbox) == commits + 1)
        #expect(try sandbox.git("log", "-1", "--format=%s", stateBranch).output == "Context: edit workflow.md")
        let shown = try sandbox.conductorOK("context", "show", "workflow.md").stdout
        #expect(shown.contains("- Test: `swift test --filter Fast`"))
        #expect(try jsonObject(sandbox.conductorOK("context", "show", "--json").stdout)["test_command"] as? String == "swift test --filter Fast")

        let unchanged = try sandbox.conductorOK("context", "edit", "workflow.md", environment: ["EDITOR": "true", "VISUAL": ""])
        #expect(unchanged.stdout.contains("unchanged"), "\(unchanged)")
        #expect(try Self.stateCommitCount(sandbox) == commits + 1)
        let failing = try sandbox.conductor("context", "edit", "product.md", environment: ["EDITOR": "false", "VISUAL": ""])
        #expect(failing.status == 8 && failing.stderr.contains("error: editor 'false' failed"), "\(failing)")
        #expect(try sandbox.fixture.fingerprint() == before)
        _ = try sandbox.fixture.fsck()
    }

    @Test("an unknown document name is a usage error naming it and the valid names", arguments: [["context", "edit", "notes.md"], ["context", "show", "readme"]])
    func unknownDocument(_ arguments: [String]) throws {
        let sandbox = try Self.project(Self.ecosystems[0].files)
        let result = try sandbox.run(Tool.conductor, arguments, environment: ["EDITOR": "true"])
        #expect(result.status == 64, "\(result)")
        #expect(result.stderr.contains("unknown context document '\(arguments[2])'; the documents are product.md, tech-stack.md, workflow.md"), "\(result)")
        #expect(!result.stderr.contains("Fatal") && result.stdout.isEmpty)
    }

    @Test("without setup, context show lists nothing and says how to start; show <file> exits 3")
    func withoutSetup() throws {
        let sandbox = try Self.project(Self.ecosystems[0].files)
        let list = try sandbox.conductorOK("context", "show")
        #expect(list.stdout.isEmpty && list.stderr.contains("git conductor setup"), "\(list)")
        let one = try sandbox.conductor("context", "show", "workflow")
        #expect(one.status == 3 && one.stderr.contains("context/workflow.md has not been written"), "\(one)")
        #expect(try sandbox.conductorOK("context", "sync").stdout.contains("No pending context proposals."))
    }

    @Test("context files travel with push and pull: B sees A's setup and edit, and A sees B's edit")
    func contextTravels() throws {
        let world = try SyncWorld()
        try world.sandbox.fixture.commit("Add the project", files: Self.ecosystems[1].files)
        try world.git(["push", "-q", "origin", "main"], in: world.a)
        try world.conductorOK(["init"], in: world.a)
        try world.conductorOK(["setup", "--yes"], in: world.a)
        try world.conductorOK(["push"], in: world.a)
        try world.conductorOK(["pull"], in: world.b)
        let shownB = try world.conductorOK(["context", "show", "workflow.md"], in: world.b).stdout
        #expect(shownB.contains("- Test: `make test`"), "\(shownB)")

        let editor = world.sandbox.scratch.appending("append.sh")
        try "#!/bin/sh\nprintf '\\nEdited on B.\\n' >> \"$1\"\n".write(toFile: editor, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: editor)
        let edit = try world.conductor(["context", "edit", "product"], in: world.b, environment: ["EDITOR": editor, "VISUAL": ""])
        #expect(edit.status == 0, "\(edit)")
        try world.conductorOK(["push"], in: world.b)
        try world.conductorOK(["pull"], in: world.a)
        #expect(try world.conductorOK(["context", "show", "product.md"], in: world.a).stdout.hasSuffix("Edited on B.\n"))
        for directory in [world.a, world.b, world.remote] { try world.fsck(directory) }
    }

    @Test("run with no verify configured uses workflow.md's test command and says so; a configured one wins; no setup, no fallback")
    func verifyFallback() throws {
        let (sandbox, script) = try RunCommandTests.project(answers: [RunCommandTests.edit("-", "*"), RunCommandTests.edit("*", "+", promise: true)])
        _ = try sandbox.fixture.commit("Add a Makefile", files: ["Makefile": "test:\n\tsh test.sh\n"])
        let plain = try sandbox.run(Tool.conductor, ["run", "Fix add.sh so that it adds", "--script", script, "--mode", "fast"])
        #expect(!plain.stderr.contains("verify: `"), "no setup: no fallback\n\(plain)")

        let (project, answers) = try RunCommandTests.project(answers: [RunCommandTests.edit("-", "*"), RunCommandTests.edit("*", "+", promise: true)])
        _ = try project.fixture.commit("Add a Makefile", files: ["Makefile": "test:\n\tsh test.sh\n"])
        try project.conductorOK("init", "--no-config-file")
        try project.conductorOK("setup", "--yes")
        let result = try project.run(Tool.conductor, ["run", "Fix add.sh so that it adds", "--script", answers, "--mode", "fast"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.contains("verify: `make test` (from context/workflow.md)"), "\(result)")
        #expect(result.stdout.contains("VERIFYING -> REPAIRING") && result.stdout.contains("VERIFYING -> COMPLETE"), "the first answer failed make test\n\(result)")

        let configured = try project.run(Tool.conductor, ["run", "Check again", "--script", answers, "--mode", "fast", "--verify", "true"])
        #expect(!configured.stderr.contains("verify: `"), "\(configured)")
    }

    @Test("context sync lists a completed run's context_proposal, --apply writes it in one state commit, then nothing is pending")
    func contextSyncCommand() throws {
        let sandbox = try Self.project(Self.ecosystems[1].files)
        try sandbox.conductorOK("setup", "--yes")
        let run = try sandbox.createRun("Add a bench target")
        let events = "\(runDirectory(run))/events"
        let proposal = #"{"kind":"context_proposal","clock":2,"machine":"testmachine","seq":0,"time":"2026-01-01T00:00:00.000Z","changes":[{"document":"workflow.md","section":"Other commands","line":"- `make bench` (Makefile target)","reason":"Makefile adds the target bench"}]}"#
        let complete = #"{"kind":"transition","clock":2,"machine":"testmachine","seq":1,"time":"2026-01-01T00:00:00.000Z","from":"VERIFYING","to":"COMPLETE"}"#
        try sandbox.replaceOnBranch("\(events)/000000000002-testmachine-0000.json", with: proposal + "\n")
        try sandbox.replaceOnBranch("\(events)/000000000002-testmachine-0001.json", with: complete + "\n")

        let listed = try sandbox.conductorOK("context", "sync")
        #expect(listed.stdout.contains("run \(run)") && listed.stdout.contains("workflow.md (Other commands): - `make bench` (Makefile target)"), "\(listed)")
        #expect(listed.stdout.contains("because Makefile adds the target bench"))
        #expect(try sandbox.conductorOK("show", run).stdout.contains("context sync proposes 1 line for workflow.md"))
        let commits = try Self.stateCommitCount(sandbox)
        let applied = try jsonObject(sandbox.conductorOK("context", "sync", "--apply", "--json").stdout)
        #expect(applied["applied"] as? Bool == true && applied["documents"] as? [String] == ["workflow.md"], "\(applied)")
        #expect(try Self.stateCommitCount(sandbox) == commits + 1)
        #expect(try sandbox.fileOnBranch("context/workflow.md").contains("- `make bench` (Makefile target)"))
        #expect(try sandbox.pathsOnBranch().contains("context/applied/\(run).json"))
        #expect(try sandbox.conductorOK("context", "sync").stdout.contains("No pending context proposals."))
        _ = try sandbox.fixture.fsck()
    }
}
