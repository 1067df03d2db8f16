/// A committed file and its size in bytes.
public struct ProjectFile: Sendable, Equatable {
    public let path: String
    public let size: Int

    public init(path: String, size: Int) {
        self.path = path
        self.size = size
    }
}

/// What the inspection reads: every committed file with its size, and the text of the
/// files ``ProjectInspection/wantsContents(_:)`` asked for (root-level manifests, build
/// files, the README). `package.json` comes decoded, since the domain has no JSON reader.
public struct ProjectSnapshot: Sendable {
    public var files: [ProjectFile]
    public var texts: [String: String]
    public var nodePackage: NodePackage?
    /// The name to use when no manifest names the project (the repository's directory).
    public var fallbackName: String

    public init(files: [ProjectFile], texts: [String: String] = [:], nodePackage: NodePackage? = nil, fallbackName: String) {
        self.files = files
        self.texts = texts
        self.nodePackage = nodePackage
        self.fallbackName = fallbackName
    }
}

/// Infers a ``ProjectProfile`` from a ``ProjectSnapshot``: pure and deterministic, so the
/// same commit always gives the same documents (docs/context-setup.md lists the rules).
public enum ProjectInspection {
    /// Root-level files whose content the inspection reads.
    public static let manifestNames: Set<String> = [
        "Package.swift", "Makefile", "GNUmakefile", "makefile", "package.json", "pyproject.toml", "setup.cfg",
        "setup.py", "tox.ini", "pytest.ini", "Cargo.toml", "go.mod", "CMakeLists.txt", "build.gradle",
        "build.gradle.kts", "pom.xml", "Gemfile", "README.md", "README", "README.rst", "README.txt",
    ]

    /// Whether the inspection needs the content of `path`: the root-level manifests and
    /// README, and `requirements*.txt` at the root.
    public static func wantsContents(_ path: String) -> Bool {
        guard !path.contains("/") else { return false }
        return manifestNames.contains(path) || (path.hasPrefix("requirements") && path.hasSuffix(".txt"))
    }

    public static func inspect(_ snapshot: ProjectSnapshot) -> ProjectProfile {
        let facts = Facts(snapshot)
        let languages = languageShares(snapshot.files)
        let ecosystems = detectEcosystems(facts)
        let primary = primaryEcosystem(ecosystems, languages: languages)
        var profile = ProjectProfile(name: projectName(facts) ?? snapshot.fallbackName)
        profile.summary = summary(facts)
        profile.languages = languages
        profile.ecosystems = ecosystems.map { ProjectProfile.Inferred($0.name, reason: $0.evidence) }
        profile.test = testCommand(facts, primary: primary)
        profile.build = buildCommand(facts, primary: primary)
        (profile.sourceRoots, profile.testRoots) = roots(snapshot.files)
        profile.conventions = conventions(facts)
        profile.dependencies = dependencies(facts)
        profile.tasks = tasks(facts, excluding: [profile.build?.value, profile.test?.value].compactMap { $0 })
        return profile
    }

    // MARK: Languages

    /// Extensions of the languages counted, lower-cased. Data and prose (JSON, YAML,
    /// Markdown) are left out, as GitHub's language bar leaves them out.
    static let languageByExtension: [String: String] = [
        "swift": "Swift", "py": "Python", "pyi": "Python", "js": "JavaScript", "mjs": "JavaScript", "cjs": "JavaScript",
        "jsx": "JavaScript", "ts": "TypeScript", "tsx": "TypeScript", "mts": "TypeScript", "cts": "TypeScript",
        "go": "Go", "rs": "Rust", "c": "C", "h": "C", "cc": "C++", "cpp": "C++", "cxx": "C++", "hpp": "C++",
        "hh": "C++", "hxx": "C++", "m": "Objective-C", "mm": "Objective-C++", "java": "Java", "kt": "Kotlin",
        "kts": "Kotlin", "scala": "Scala", "groovy": "Groovy", "gradle": "Groovy", "rb": "Ruby", "php": "PHP",
        "cs": "C#", "fs": "F#", "sh": "Shell", "bash": "Shell", "zsh": "Shell", "html": "HTML", "htm": "HTML",
        "css": "CSS", "scss": "SCSS", "sass": "SCSS", "less": "Less", "lua": "Lua", "pl": "Perl", "pm": "Perl",
        "dart": "Dart", "ex": "Elixir", "exs": "Elixir", "erl": "Erlang", "hs": "Haskell", "ml": "OCaml",
        "clj": "Clojure", "vue": "Vue", "svelte": "Svelte", "sql": "SQL", "zig": "Zig", "jl": "Julia",
        "r": "R", "cmake": "CMake", "nim": "Nim",
    ]

    /// Directories whose files are someone else's code or build output.
    static let vendoredDirectories: Set<String> = [
        "node_modules", "vendor", "third_party", "third-party", ".build", "build", "dist", "target", "Pods",
        "Carthage", "__pycache__", ".venv", "venv", ".tox", ".gradle", "out", "DerivedData",
    ]

    static func isVendored(_ path: String) -> Bool {
        path.split(separator: "/").dropLast().contains { vendoredDirectories.contains(String($0)) }
            || path.hasSuffix(".min.js") || path.hasSuffix(".min.css")
    }

    static func language(of path: String) -> String? {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        if name == "CMakeLists.txt" { return "CMake" }
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        return languageByExtension[String(name[name.index(after: dot)...]).lowercased()]
    }

    static func languageShares(_ files: [ProjectFile]) -> [ProjectProfile.LanguageShare] {
        var bytes: [String: Int] = [:]
        for file in files where !isVendored(file.path) {
            if let language = language(of: file.path) { bytes[language, default: 0] += file.size }
        }
        let total = bytes.values.reduce(0, +)
        guard total > 0 else { return [] }
        return bytes.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { name, count in
            ProjectProfile.LanguageShare(name: name, bytes: count, percent: (Double(count) * 1000 / Double(total)).rounded() / 10)
        }
    }

    // MARK: Ecosystems and commands

    /// A build system found at the root, the languages it builds and its commands.
    struct Ecosystem {
        enum Kind: Int, Comparable {
            case swift, cargo, go, node, python, gradle, maven, cmake, ruby
            static func < (lhs: Kind, rhs: Kind) -> Bool { lhs.rawValue < rhs.rawValue }
        }

        let kind: Kind
        let name: String
        let evidence: String
        let languages: Set<String>
        let build: ProjectProfile.Inferred?
        let test: ProjectProfile.Inferred?
    }

    /// The snapshot's root-level files and texts, looked up by name.
    struct Facts {
        let snapshot: ProjectSnapshot
        let rootFiles: Set<String>
        let directories: Set<String>

        init(_ snapshot: ProjectSnapshot) {
            self.snapshot = snapshot
            rootFiles = Set(snapshot.files.map(\.path).filter { !$0.contains("/") })
            directories = Set(snapshot.files.compactMap { $0.path.split(separator: "/", maxSplits: 1).count == 2 ? String($0.path.split(separator: "/")[0]) : nil })
        }

        func has(_ name: String) -> Bool { rootFiles.contains(name) }
        func text(_ name: String) -> String? { snapshot.texts[name] }
        var makefile: String? { ["GNUmakefile", "makefile", "Makefile"].first(where: has) }
        var node: NodePackage? { snapshot.nodePackage }
        var requirementFiles: [String] { rootFiles.filter { $0.hasPrefix("requirements") && $0.hasSuffix(".txt") }.sorted() }
    }

    static func detectEcosystems(_ facts: Facts) -> [Ecosystem] {
        var found: [Ecosystem] = []
        if facts.has("Package.swift") {
            found.append(Ecosystem(
                kind: .swift, name: "Swift Package Manager", evidence: "Package.swift at the root", languages: ["Swift", "C", "C++", "Objective-C"],
                build: .init("swift build", reason: "Package.swift at the root"), test: .init("swift test", reason: "Package.swift at the root")
            ))
        }
        if facts.has("Cargo.toml") {
            found.append(Ecosystem(
                kind: .cargo, name: "Cargo", evidence: "Cargo.toml at the root", languages: ["Rust"],
                build: .init("cargo build", reason: "Cargo.toml at the root"), test: .init("cargo test", reason: "Cargo.toml at the root")
            ))
        }
        if facts.has("go.mod") {
            found.append(Ecosystem(
                kind: .go, name: "Go modules", evidence: "go.mod at the root", languages: ["Go"],
                build: .init("go build ./...", reason: "go.mod at the root"), test: .init("go test ./...", reason: "go.mod at the root")
            ))
        }
        if facts.has("package.json") {
            found.append(nodeEcosystem(facts))
        }
        if let python = pythonEcosystem(facts) { found.append(python) }
        if let gradle = ["build.gradle.kts", "build.gradle", "settings.gradle.kts", "settings.gradle"].first(where: facts.has) {
            let wrapper = facts.has("gradlew")
            let tool = wrapper ? "./gradlew" : "gradle"
            let reason = "\(gradle) at the root" + (wrapper ? " and the gradlew wrapper" : "")
            found.append(Ecosystem(
                kind: .gradle, name: "Gradle", evidence: reason, languages: ["Java", "Kotlin", "Groovy", "Scala"],
                build: .init("\(tool) assemble", reason: reason), test: .init("\(tool) test", reason: reason)
            ))
        }
        if facts.has("pom.xml") {
            let tool = facts.has("mvnw") ? "./mvnw" : "mvn"
            let reason = "pom.xml at the root" + (facts.has("mvnw") ? " and the mvnw wrapper" : "")
            found.append(Ecosystem(
                kind: .maven, name: "Maven", evidence: reason, languages: ["Java", "Kotlin", "Scala"],
                build: .init("\(tool) -q compile", reason: reason), test: .init("\(tool) -q test", reason: reason)
            ))
        }
        if facts.has("CMakeLists.txt") {
            let reason = "CMakeLists.txt at the root"
            found.append(Ecosystem(
                kind: .cmake, name: "CMake", evidence: reason, languages: ["C", "C++"],
                build: .init("cmake -B build && cmake --build build", reason: reason),
                test: .init("cmake -B build && cmake --build build && ctest --test-dir build", reason: reason)
            ))
        }
        if facts.has("Gemfile") {
            let test: ProjectProfile.Inferred? = facts.has("Rakefile")
                ? .init("bundle exec rake test", reason: "Gemfile and Rakefile at the root")
                : facts.directories.contains("spec") ? .init("bundle exec rspec", reason: "Gemfile at the root and a spec/ directory") : nil
            found.append(Ecosystem(kind: .ruby, name: "Bundler", evidence: "Gemfile at the root", languages: ["Ruby"], build: nil, test: test))
        }
        return found
    }

    static func nodeEcosystem(_ facts: Facts) -> Ecosystem {
        let (manager, clue) = nodePackageManager(facts)
        let package = facts.node ?? NodePackage()
        let unreadable = facts.node == nil && facts.text("package.json") != nil ? "; not valid JSON, so its scripts were not read" : ""
        let evidence = "package.json at the root" + (clue.map { " (\($0))" } ?? "") + unreadable
        let test: ProjectProfile.Inferred? = package.hasRealTestScript
            ? .init("\(manager) test", reason: "package.json has a test script" + (clue.map { "; \($0)" } ?? ""))
            : nil
        let build: ProjectProfile.Inferred? = package.scripts["build"] != nil
            ? .init("\(manager) run build", reason: "package.json has a build script" + (clue.map { "; \($0)" } ?? ""))
            : nil
        return Ecosystem(kind: .node, name: manager, evidence: evidence, languages: ["JavaScript", "TypeScript", "Vue", "Svelte"], build: build, test: test)
    }

    /// npm, yarn or pnpm: the `packageManager` field, else the lockfile, else npm.
    static func nodePackageManager(_ facts: Facts) -> (String, String?) {
        if let pinned = facts.node?.packageManager {
            for manager in ["pnpm", "yarn", "npm"] where pinned.hasPrefix(manager + "@") || pinned == manager {
                return (manager, "packageManager is \(pinned)")
            }
        }
        if facts.has("pnpm-lock.yaml") { return ("pnpm", "pnpm-lock.yaml") }
        if facts.has("yarn.lock") { return ("yarn", "yarn.lock") }
        if facts.has("package-lock.json") { return ("npm", "package-lock.json") }
        return ("npm", nil)
    }

    static func pythonEcosystem(_ facts: Facts) -> Ecosystem? {
        let markers = ["pyproject.toml", "setup.py", "setup.cfg", "pytest.ini", "tox.ini"] + facts.requirementFiles
        guard let marker = markers.first(where: facts.has) else { return nil }
        let test: ProjectProfile.Inferred
        if let configured = pytestConfiguration(facts) {
            test = .init("pytest", reason: "\(configured) configures pytest")
        } else {
            test = .init("python -m pytest", reason: "\(marker) at the root and no pytest configuration: run as a module, pytest puts the root on sys.path")
        }
        return Ecosystem(kind: .python, name: "Python", evidence: "\(marker) at the root", languages: ["Python"], build: nil, test: test)
    }

    /// Where pytest is configured explicitly, if anywhere.
    static func pytestConfiguration(_ facts: Facts) -> String? {
        if facts.has("pytest.ini") { return "pytest.ini" }
        if let text = facts.text("pyproject.toml"), ManifestReading.hasSection("tool.pytest.ini_options", in: text) {
            return "pyproject.toml [tool.pytest.ini_options]"
        }
        if let text = facts.text("tox.ini"), ManifestReading.hasSection("pytest", in: text) { return "tox.ini [pytest]" }
        if let text = facts.text("setup.cfg"), ManifestReading.hasSection("tool:pytest", in: text) { return "setup.cfg [tool:pytest]" }
        return nil
    }

    /// The ecosystem whose languages hold the most bytes; ties and code-less repositories
    /// fall back to a fixed order (Swift, Cargo, Go, Node, Python, Gradle, Maven, CMake, Ruby).
    static func primaryEcosystem(_ ecosystems: [Ecosystem], languages: [ProjectProfile.LanguageShare]) -> Ecosystem? {
        let bytes = Dictionary(uniqueKeysWithValues: languages.map { ($0.name, $0.bytes) })
        return ecosystems.max { left, right in
            let l = left.languages.reduce(0) { $0 + (bytes[$1] ?? 0) }
            let r = right.languages.reduce(0) { $0 + (bytes[$1] ?? 0) }
            return l != r ? l < r : left.kind > right.kind
        }
    }

    /// A Makefile `test` (else `check`) target wins: the project wrote down how it tests
    /// itself. Otherwise the main ecosystem's command.
    static func testCommand(_ facts: Facts, primary: Ecosystem?) -> ProjectProfile.Inferred? {
        if let makefile = facts.makefile, let text = facts.text(makefile) {
            let targets = ManifestReading.makeTargets(in: text)
            for target in ["test", "check"] where targets.contains(target) {
                return .init("make \(target)", reason: "\(makefile) has a \(target) target")
            }
        }
        return primary?.test
    }

    static func buildCommand(_ facts: Facts, primary: Ecosystem?) -> ProjectProfile.Inferred? {
        if let makefile = facts.makefile, let text = facts.text(makefile) {
            let targets = ManifestReading.makeTargets(in: text)
            if targets.contains("build") { return .init("make build", reason: "\(makefile) has a build target") }
            if primary?.build == nil, let first = targets.first, first != "test", first != "check" {
                return .init("make", reason: "\(makefile)'s default target is \(first)")
            }
        }
        return primary?.build
    }

    // MARK: Names and words

    static func projectName(_ facts: Facts) -> String? {
        if let text = facts.text("Package.swift"), let name = ManifestReading.swiftPackageName(in: text) { return name }
        if let name = facts.node?.name, !name.isEmpty { return name }
        if let text = facts.text("Cargo.toml"), let name = ManifestReading.tomlPackage(in: text, sections: ["package"]).name { return name }
        if let text = facts.text("pyproject.toml"), let name = ManifestReading.tomlPackage(in: text, sections: ["project", "tool.poetry"]).name { return name }
        if let text = facts.text("go.mod"), let module = ManifestReading.goModule(in: text) { return module }
        if let text = facts.text("pom.xml"), let name = ManifestReading.mavenArtifact(in: text) { return name }
        if let text = facts.text("CMakeLists.txt"), let name = ManifestReading.cmakeProject(in: text) { return name }
        return nil
    }

    static func summary(_ facts: Facts) -> ProjectProfile.Inferred? {
        if let description = facts.node?.description, !description.isEmpty { return .init(description, reason: "package.json description") }
        if let text = facts.text("Cargo.toml"), let description = ManifestReading.tomlPackage(in: text, sections: ["package"]).description {
            return .init(description, reason: "Cargo.toml description")
        }
        if let text = facts.text("pyproject.toml"), let description = ManifestReading.tomlPackage(in: text, sections: ["project", "tool.poetry"]).description {
            return .init(description, reason: "pyproject.toml description")
        }
        for name in ["README.md", "README", "README.rst", "README.txt"] {
            if let text = facts.text(name), let paragraph = firstParagraph(of: text) { return .init(paragraph, reason: "first paragraph of \(name)") }
        }
        return nil
    }

    /// The README's first paragraph of prose: headings, badges, HTML and rules skipped,
    /// joined into one line and cut at 300 characters.
    static func firstParagraph(of text: String) -> String? {
        var paragraph: [String] = []
        var previous = ""
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmedWhitespace
            let underline = !line.isEmpty && line.allSatisfy { "=-~^*#".contains($0) }
            let skip = line.hasPrefix("#") || line.hasPrefix("[![") || line.hasPrefix("![") || line.hasPrefix("<") || underline
                || line.hasPrefix("..") || line.hasPrefix("```")
            defer { previous = line }
            if line.isEmpty || skip {
                if underline, paragraph.last == previous { paragraph.removeLast() }
                if !paragraph.isEmpty { break }
                continue
            }
            paragraph.append(line)
        }
        guard !paragraph.isEmpty else { return nil }
        var joined = paragraph.joined(separator: " ")
        // A paragraph that introduces a list ends with a colon; as a summary it ends the sentence.
        if joined.hasSuffix(":") { joined = String(joined.dropLast()) + "." }
        return joined.count <= 300 ? joined : String(joined.prefix(299)) + "…"
    }

    // MARK: Layout

    static let testDirectoryNames: Set<String> = ["test", "tests", "Tests", "spec", "specs", "__tests__", "testing", "t"]

    /// Source and test roots: the top directories holding code (`src/main` and `src/test`
    /// for the Maven layout), the largest first; `.` for code at the root other than build
    /// manifests. A directory is a test root when it is named like one (`tests`, `spec`) or
    /// has "test" in its name (`IntegrationTests`).
    static func roots(_ files: [ProjectFile]) -> ([String], [String]) {
        var sourceBytes: [String: Int] = [:]
        var testBytes: [String: Int] = [:]
        for file in files where !isVendored(file.path) && language(of: file.path) != nil {
            let parts = file.path.split(separator: "/").map(String.init)
            guard parts.count > 1 else {
                // A build manifest (Package.swift, CMakeLists.txt) does not make the root a source root.
                if !manifestNames.contains(file.path) { sourceBytes[".", default: 0] += file.size }
                continue
            }
            var root = parts[0]
            if root == "src", parts.count > 2, ["main", "test"].contains(parts[1]) { root = "src/\(parts[1])" }
            let isTest = testDirectoryNames.contains(parts[0]) || parts[0].lowercased().contains("test") || root == "src/test"
            if isTest { testBytes[root, default: 0] += file.size } else { sourceBytes[root, default: 0] += file.size }
        }
        let order: ([String: Int]) -> [String] = { bytes in
            Array(bytes.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map(\.key).prefix(8))
        }
        return (order(sourceBytes), order(testBytes))
    }

    // MARK: Conventions

    /// Formatter and linter configuration files, matched at the root by exact name or prefix.
    static let conventionFiles: [(tool: String, names: [String], prefixes: [String])] = [
        ("EditorConfig", [".editorconfig"], []),
        ("SwiftFormat", [".swiftformat"], []),
        ("swift-format", [".swift-format"], []),
        ("SwiftLint", [".swiftlint.yml", ".swiftlint.yaml"], []),
        ("Prettier", [".prettierrc"], [".prettierrc.", "prettier.config."]),
        ("ESLint", [".eslintrc"], [".eslintrc.", "eslint.config."]),
        ("Biome", ["biome.json", "biome.jsonc"], []),
        ("Ruff", ["ruff.toml", ".ruff.toml"], []),
        ("Flake8", [".flake8"], []),
        ("mypy", ["mypy.ini", ".mypy.ini"], []),
        ("isort", [".isort.cfg"], []),
        ("rustfmt", ["rustfmt.toml", ".rustfmt.toml"], []),
        ("Clippy", ["clippy.toml", ".clippy.toml"], []),
        ("clang-format", [".clang-format"], []),
        ("clang-tidy", [".clang-tidy"], []),
        ("golangci-lint", [], [".golangci."]),
        ("RuboCop", [".rubocop.yml"], []),
        ("pre-commit", [".pre-commit-config.yaml"], []),
        ("Checkstyle", ["checkstyle.xml"], []),
        ("ktlint", [".ktlint"], []),
    ]

    /// Tools configured inside a shared file: `[tool.ruff]` in pyproject.toml, `[flake8]` in setup.cfg.
    static let conventionSections: [(file: String, section: String, tool: String)] = [
        ("pyproject.toml", "tool.ruff", "Ruff"), ("pyproject.toml", "tool.black", "Black"),
        ("pyproject.toml", "tool.isort", "isort"), ("pyproject.toml", "tool.mypy", "mypy"),
        ("setup.cfg", "flake8", "Flake8"), ("tox.ini", "flake8", "Flake8"), ("setup.cfg", "mypy", "mypy"),
    ]

    static func conventions(_ facts: Facts) -> [ProjectProfile.Convention] {
        var found: [ProjectProfile.Convention] = []
        let names = facts.rootFiles.sorted()
        for (tool, exact, prefixes) in conventionFiles {
            for name in names where exact.contains(name) || prefixes.contains(where: { name.hasPrefix($0) }) {
                found.append(.init(tool: tool, file: name))
            }
        }
        for (file, section, tool) in conventionSections {
            guard let text = facts.text(file) else { continue }
            if ManifestReading.sections(in: text).contains(where: { $0.name == section || $0.name.hasPrefix(section + ".") }),
               !found.contains(where: { $0.tool == tool }) {
                found.append(.init(tool: tool, file: "\(file) [\(section)]"))
            }
        }
        return found
    }

    // MARK: Dependencies and tasks

    /// Every dependency the root manifests declare, manifest by manifest in a fixed order.
    static func dependencies(_ facts: Facts) -> [ProjectProfile.Dependency] {
        var found: [ProjectProfile.Dependency] = []
        func add(_ names: [String], _ manifest: String) { found += names.map { .init(name: $0, manifest: manifest) } }
        if let text = facts.text("Package.swift") { add(ManifestReading.swiftPackageDependencies(in: text), "Package.swift") }
        if let node = facts.node { add(Array(node.dependencies.keys).sorted() + Array(node.devDependencies.keys).sorted(), "package.json") }
        if let text = facts.text("pyproject.toml") { add(ManifestReading.pythonProjectDependencies(in: text), "pyproject.toml") }
        for file in facts.requirementFiles { if let text = facts.text(file) { add(ManifestReading.requirements(in: text), file) } }
        if let text = facts.text("Cargo.toml") { add(ManifestReading.cargoDependencies(in: text), "Cargo.toml") }
        if let text = facts.text("go.mod") { add(ManifestReading.goRequirements(in: text), "go.mod") }
        if let text = facts.text("pom.xml") { add(ManifestReading.mavenDependencies(in: text), "pom.xml") }
        for file in ["build.gradle.kts", "build.gradle"] { if let text = facts.text(file) { add(ManifestReading.gradleDependencies(in: text), file) } }
        if let text = facts.text("Gemfile") { add(gems(in: text), "Gemfile") }
        var seen = Set<ProjectProfile.Dependency>()
        return found.filter { seen.insert($0).inserted }
    }

    static func gems(in text: String) -> [String] {
        text.split(separator: "\n").compactMap { line in
            let trimmed = line.trimmedWhitespace
            guard trimmed.hasPrefix("gem ") else { return nil }
            return ManifestReading.quotedStrings(in: trimmed).first
        }
    }

    /// Makefile targets and package.json scripts other than the build and test commands.
    static func tasks(_ facts: Facts, excluding commands: [String]) -> [ProjectProfile.ProjectTask] {
        var tasks: [ProjectProfile.ProjectTask] = []
        if let makefile = facts.makefile, let text = facts.text(makefile) {
            for target in ManifestReading.makeTargets(in: text) {
                tasks.append(.init(command: "make \(target)", source: "\(makefile) target"))
            }
        }
        if let node = facts.node {
            let (manager, _) = nodePackageManager(facts)
            for name in node.scripts.keys.sorted() {
                let command = name == "test" ? "\(manager) test" : "\(manager) run \(name)"
                tasks.append(.init(command: command, source: "package.json script"))
            }
        }
        return Array(tasks.filter { !commands.contains($0.command) }.prefix(30))
    }
}
