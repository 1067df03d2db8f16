import ConductorDomain
import Testing

/// The pure inference of setup: each ecosystem's commands with their reasons, languages by
/// bytes, layout and conventions, from file lists and manifest texts.
@Suite("ProjectInspection")
struct ProjectInspectionTests {
    static func snapshot(_ files: [String: Int], texts: [String: String] = [:], node: NodePackage? = nil) -> ProjectSnapshot {
        ProjectSnapshot(files: files.map { ProjectFile(path: $0.key, size: $0.value) }, texts: texts, nodePackage: node, fallbackName: "fixture")
    }

    @Test("each ecosystem gives its build and test commands", arguments: [
        (["Package.swift": 300, "Sources/A/a.swift": 1000], [:], "swift build", "swift test"),
        (["Cargo.toml": 100, "src/main.rs": 900], [:], "cargo build", "cargo test"),
        (["go.mod": 50, "main.go": 900], ["go.mod": "module example.com/x\n"], "go build ./...", "go test ./..."),
        (["CMakeLists.txt": 50, "src/a.cpp": 900], ["CMakeLists.txt": "project(demo)\n"], "cmake -B build && cmake --build build", "cmake -B build && cmake --build build && ctest --test-dir build"),
        (["build.gradle.kts": 50, "gradlew": 100, "src/main/java/A.java": 900], [:], "./gradlew assemble", "./gradlew test"),
        (["build.gradle": 50, "src/main/java/A.java": 900], [:], "gradle assemble", "gradle test"),
        (["pom.xml": 50, "src/main/java/A.java": 900], ["pom.xml": "<project><artifactId>demo</artifactId></project>"], "mvn -q compile", "mvn -q test"),
    ] as [([String: Int], [String: String], String, String)])
    func ecosystemCommands(files: [String: Int], texts: [String: String], build: String, test: String) {
        let profile = ProjectInspection.inspect(Self.snapshot(files, texts: texts))
        #expect(profile.build?.value == build)
        #expect(profile.test?.value == test)
        #expect(profile.test?.reason.contains("at the root") == true, "\(String(describing: profile.test))")
    }

    @Test("a Makefile test target wins over the ecosystem's command, with its reason")
    func makefileTestTargetPreferred() {
        let makefile = "CC ?= cc\nOUT := build\n.PHONY: all test\nall: build\nbuild:\n\tswift build\ntest: build\n\tswift test --parallel\n%.o: %.c\n\t$(CC) -c $<\n"
        let profile = ProjectInspection.inspect(Self.snapshot(["Package.swift": 10, "Makefile": 100, "Sources/a.swift": 10], texts: ["Makefile": makefile]))
        #expect(profile.test == .init("make test", reason: "Makefile has a test target"))
        #expect(profile.build == .init("make build", reason: "Makefile has a build target"))
        #expect(ManifestReading.makeTargets(in: makefile) == ["all", "build", "test"])
        #expect(profile.tasks.map(\.command) == ["make all"])
    }

    @Test("npm, yarn and pnpm by packageManager and lockfile; npm's placeholder test script is no test")
    func nodePackageManagers() {
        let node = NodePackage(name: "web", description: "A web app", scripts: ["test": "jest", "build": "tsc", "lint": "eslint ."])
        let npm = ProjectInspection.inspect(Self.snapshot(["package.json": 10, "index.js": 10], node: node))
        #expect(npm.test?.value == "npm test" && npm.build?.value == "npm run build")
        #expect(npm.name == "web" && npm.summary?.value == "A web app")
        #expect(npm.tasks.map(\.command) == ["npm run lint"])
        let yarn = ProjectInspection.inspect(Self.snapshot(["package.json": 10, "yarn.lock": 10], node: node))
        #expect(yarn.test?.value == "yarn test" && yarn.test?.reason.contains("yarn.lock") == true)
        var pinned = node
        pinned.packageManager = "pnpm@9.1.0"
        #expect(ProjectInspection.inspect(Self.snapshot(["package.json": 10, "yarn.lock": 10], node: pinned)).test?.value == "pnpm test")
        let broken = ProjectInspection.inspect(Self.snapshot(["package.json": 4], texts: ["package.json": "{bad"]))
        #expect(broken.test == nil && broken.ecosystems.first?.reason == "package.json at the root; not valid JSON, so its scripts were not read")
        let placeholder = NodePackage(scripts: ["test": "echo \"Error: no test specified\" && exit 1"])
        #expect(ProjectInspection.inspect(Self.snapshot(["package.json": 10], node: placeholder)).test == nil)
    }

    @Test("pytest when configured (pytest.ini, pyproject, tox, setup.cfg), else python -m pytest", arguments: [
        (["pytest.ini": "[pytest]\n"], "pytest"),
        (["pyproject.toml": "[project]\nname = \"x\"\n[tool.pytest.ini_options]\naddopts = \"-q\"\n"], "pytest"),
        (["tox.ini": "[tox]\nenvlist = py3\n[pytest]\n"], "pytest"),
        (["setup.cfg": "[metadata]\nname = x\n[tool:pytest]\ntestpaths = tests\n"], "pytest"),
        (["pyproject.toml": "[project]\nname = \"x\"\n"], "python -m pytest"),
    ] as [([String: String], String)])
    func python(texts: [String: String], expected: String) {
        var files = ["pkg/a.py": 500, "tests/test_a.py": 200]
        for name in texts.keys { files[name] = 20 }
        let profile = ProjectInspection.inspect(Self.snapshot(files, texts: texts))
        #expect(profile.test?.value == expected, "\(String(describing: profile.test))")
        #expect(profile.build == nil)
        #expect(profile.sourceRoots == ["pkg"] && profile.testRoots == ["tests"])
    }

    @Test("languages by bytes with percentages; vendored and build directories are left out")
    func languages() {
        let profile = ProjectInspection.inspect(Self.snapshot([
            "Sources/a.swift": 750, "Sources/b.c": 250, "node_modules/x/index.js": 100_000, ".build/gen.swift": 5000,
            "README.md": 9000, "scripts/tool.py": 0,
        ]))
        #expect(profile.languages.map(\.name) == ["Swift", "C", "Python"])
        #expect(profile.languages.map(\.percent) == [75, 25, 0])
    }

    @Test("the main ecosystem is the one whose languages hold the most bytes")
    func primaryByBytes() {
        let profile = ProjectInspection.inspect(Self.snapshot(["Package.swift": 10, "package.json": 10, "Sources/a.swift": 100, "web/app.ts": 5000], node: NodePackage(scripts: ["test": "vitest"])))
        #expect(profile.test?.value == "npm test")
        #expect(profile.ecosystems.map(\.value) == ["Swift Package Manager", "npm"])
    }

    @Test("source and test roots, Maven's src/main and src/test")
    func layout() {
        let swift = ProjectInspection.inspect(Self.snapshot([
            "Sources/A/a.swift": 900, "Sources/B/b.swift": 100, "Tests/ATests/t.swift": 300, "IntegrationTests/run.sh": 50, "Package.swift": 10, "main.swift": 5,
        ]))
        #expect(swift.sourceRoots == ["Sources", "."] && swift.testRoots == ["Tests", "IntegrationTests"])
        #expect(ProjectInspection.inspect(Self.snapshot(["Package.swift": 10, "Sources/a.swift": 10])).sourceRoots == ["Sources"], "a manifest is not source")
        let maven = ProjectInspection.inspect(Self.snapshot(["src/main/java/A.java": 900, "src/test/java/ATest.java": 300, "pom.xml": 10]))
        #expect(maven.sourceRoots == ["src/main"] && maven.testRoots == ["src/test"])
    }

    @Test("formatter and linter configurations, also inside pyproject.toml and setup.cfg")
    func conventions() {
        let profile = ProjectInspection.inspect(Self.snapshot(
            [".editorconfig": 1, ".swiftlint.yml": 1, ".prettierrc.json": 1, ".eslintrc.cjs": 1, "rustfmt.toml": 1, ".clang-format": 1,
             ".golangci.yml": 1, "pyproject.toml": 1, "setup.cfg": 1, ".swiftformat": 1],
            texts: ["pyproject.toml": "[tool.ruff]\nline-length = 100\n[tool.black]\n", "setup.cfg": "[flake8]\nmax-line-length = 100\n"]
        ))
        let tools = profile.conventions.map(\.tool)
        for tool in ["EditorConfig", "SwiftFormat", "SwiftLint", "Prettier", "ESLint", "Ruff", "Black", "Flake8", "rustfmt", "clang-format", "golangci-lint"] {
            #expect(tools.contains(tool), "\(tool) missing from \(tools)")
        }
        #expect(profile.conventions.contains(.init(tool: "Ruff", file: "pyproject.toml [tool.ruff]")))
    }

    @Test("dependencies from each manifest kind")
    func dependencies() {
        let texts = [
            "Package.swift": "let package = Package(\n  name: \"Demo\",\n  dependencies: [\n    .package(url: \"https://github.com/apple/swift-nio.git\", from: \"2.0.0\"),\n    .package(path: \"../Local\"),\n  ]\n)\n",
            "Cargo.toml": "[package]\nname = \"demo\"\ndescription = \"A demo crate\"\n[dependencies]\nserde = \"1\"\ntokio = { version = \"1\" }\n[dev-dependencies]\nproptest = \"1\"\n",
            "go.mod": "module example.com/demo\n\ngo 1.22\n\nrequire github.com/pkg/errors v0.9.1\nrequire (\n\tgolang.org/x/sync v0.7.0\n)\n",
            "pyproject.toml": "[project]\nname = \"demo\"\ndependencies = [\n  \"requests>=2\",\n  \"click\",\n]\n",
            "requirements-dev.txt": "# tools\npytest==8.0\n-e .\nblack[jupyter]>=24\n",
            "pom.xml": "<project><artifactId>demo</artifactId><dependencies><dependency><groupId>junit</groupId><artifactId>junit</artifactId></dependency></dependencies></project>",
        ]
        var files = texts.mapValues { _ in 10 }
        files["package.json"] = 10
        let profile = ProjectInspection.inspect(Self.snapshot(files, texts: texts, node: NodePackage(dependencies: ["react": "18"], devDependencies: ["jest": "29"])))
        let names = Set(profile.dependencies.map(\.name))
        #expect(names == ["swift-nio", "Local", "serde", "tokio", "proptest", "github.com/pkg/errors", "golang.org/x/sync", "requests", "click", "pytest", "black", "junit:junit", "react", "jest"])
        #expect(profile.name == "Demo")
    }

    @Test("the README's first paragraph is the summary when no manifest describes the project")
    func readmeSummary() {
        let readme = "# Tool\n\n[![CI](x)](y)\n\nTool turns prompts\ninto code:\n\n- More text.\n"
        let profile = ProjectInspection.inspect(Self.snapshot(["README.md": 10], texts: ["README.md": readme]))
        #expect(profile.summary == .init("Tool turns prompts into code.", reason: "first paragraph of README.md"))
        #expect(profile.name == "fixture")
        #expect(profile.test == nil && profile.build == nil)
    }

    @Test("only root-level manifests and requirements files are read")
    func wantsContents() {
        #expect(ProjectInspection.wantsContents("Package.swift"))
        #expect(ProjectInspection.wantsContents("requirements-dev.txt"))
        #expect(!ProjectInspection.wantsContents("sub/Package.swift"))
        #expect(!ProjectInspection.wantsContents("main.swift"))
    }
}
