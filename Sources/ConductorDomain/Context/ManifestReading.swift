/// The parts of a `package.json` that setup and context sync read. Decoding JSON is the
/// adapter's business (the domain has no JSON reader); the fields are all optional because a
/// manifest may hold any of them or none.
public struct NodePackage: Sendable, Equatable, Decodable {
    public var name: String?
    public var description: String?
    public var scripts: [String: String]
    public var dependencies: [String: String]
    public var devDependencies: [String: String]
    /// `"pnpm@9.1.0"`: the package manager the project pins, which beats a lockfile guess.
    public var packageManager: String?

    public init(
        name: String? = nil, description: String? = nil, scripts: [String: String] = [:],
        dependencies: [String: String] = [:], devDependencies: [String: String] = [:], packageManager: String? = nil
    ) {
        self.name = name
        self.description = description
        self.scripts = scripts
        self.dependencies = dependencies
        self.devDependencies = devDependencies
        self.packageManager = packageManager
    }

    enum CodingKeys: String, CodingKey {
        case name, description, scripts, dependencies, devDependencies, packageManager
    }

    /// Lenient: a field of the wrong type is treated as absent, since a manifest npm itself
    /// would reject should not stop setup from describing the rest of the project.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try? container.decodeIfPresent(String.self, forKey: .name)
        description = try? container.decodeIfPresent(String.self, forKey: .description)
        scripts = (try? container.decodeIfPresent([String: String].self, forKey: .scripts)) ?? [:]
        dependencies = (try? container.decodeIfPresent([String: String].self, forKey: .dependencies)) ?? [:]
        devDependencies = (try? container.decodeIfPresent([String: String].self, forKey: .devDependencies)) ?? [:]
        packageManager = try? container.decodeIfPresent(String.self, forKey: .packageManager)
    }

    /// The test script `npm init` writes, which only fails: not a test command.
    public var hasRealTestScript: Bool {
        guard let test = scripts["test"]?.trimmedWhitespace, !test.isEmpty else { return false }
        return !test.contains("no test specified")
    }
}

/// Line-oriented readers for the manifests setup and context sync look at. None of them is
/// a full parser of its format: each reads the few facts a workflow document states
/// (targets, dependency names, tool sections), and an unusual file yields fewer facts,
/// never an error.
public enum ManifestReading {
    /// The explicit targets of a Makefile, in order of appearance: `name:` at the start of a
    /// line, not a variable assignment (`X := y`), not a special target (`.PHONY`) and not a
    /// pattern rule (`%.o:`).
    public static func makeTargets(in text: String) -> [String] {
        var targets: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            guard let first = line.first, first != "\t", first != " ", first != "#" else { continue }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let after = line[line.index(after: colon)...]
            if after.hasPrefix("=") || line[..<colon].contains("=") { continue }
            for name in line[..<colon].split(separator: " ") {
                let target = String(name)
                guard !target.hasPrefix("."), !target.contains("%"), !target.contains("$"),
                      target.allSatisfy({ $0.isLetter || $0.isNumber || "_-./".contains($0) }),
                      !targets.contains(target)
                else { continue }
                targets.append(target)
            }
        }
        return targets
    }

    /// The sections of an INI or TOML file with their lines: `[tool.pytest.ini_options]`,
    /// `[dependencies]`. Lines before the first header are under the empty name.
    public static func sections(in text: String) -> [(name: String, lines: [String])] {
        var sections: [(name: String, lines: [String])] = [("", [])]
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmedWhitespace
            if line.hasPrefix("["), line.hasSuffix("]"), !line.hasPrefix("[[") {
                sections.append((String(line.dropFirst().dropLast()).trimmedWhitespace, []))
            } else if !line.isEmpty, !line.hasPrefix("#"), !line.hasPrefix(";") {
                sections[sections.count - 1].lines.append(line)
            }
        }
        return sections
    }

    /// Whether the INI/TOML text has a section called `name`.
    public static func hasSection(_ name: String, in text: String) -> Bool {
        sections(in: text).contains { $0.name == name }
    }

    /// Dependencies declared in a `pyproject.toml`: PEP 621 `[project] dependencies = [...]`
    /// and optional groups, and Poetry's `[tool.poetry.*dependencies]` tables.
    public static func pythonProjectDependencies(in text: String) -> [String] {
        var names: [String] = []
        var inArray = false
        var section = ""
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmedWhitespace
            if line.hasPrefix("["), line.hasSuffix("]"), !inArray {
                section = String(line.dropFirst().dropLast())
                continue
            }
            if inArray {
                names += quotedStrings(in: line).compactMap(requirementName)
                if line.contains("]") { inArray = false }
                continue
            }
            if section == "project", line.hasPrefix("dependencies") || line.hasPrefix("optional-dependencies") {
                guard line.contains("[") else { continue }
                names += quotedStrings(in: line).compactMap(requirementName)
                inArray = !line.contains("]")
            } else if section == "project.optional-dependencies", let equals = line.firstIndex(of: "="), line.contains("[") {
                names += quotedStrings(in: String(line[equals...])).compactMap(requirementName)
                inArray = !line.contains("]")
            } else if section.hasPrefix("tool.poetry"), section.hasSuffix("dependencies"), let key = tableKey(line), key != "python" {
                names.append(key)
            }
        }
        return unique(names)
    }

    /// Package names in a pip requirements file (`requests>=2`, `-e .` and options skipped).
    public static func requirements(in text: String) -> [String] {
        unique(text.split(separator: "\n").compactMap { line -> String? in
            let content = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map { $0.trimmedWhitespace } ?? ""
            guard !content.isEmpty, !content.hasPrefix("-") else { return nil }
            return requirementName(content)
        })
    }

    /// Crates under `[dependencies]`, `[dev-dependencies]` and `[build-dependencies]` (and
    /// their target-specific forms) of a `Cargo.toml`.
    public static func cargoDependencies(in text: String) -> [String] {
        var names: [String] = []
        for section in sections(in: text) where section.name.hasSuffix("dependencies") {
            if let dot = section.name.lastIndex(of: "."), section.name.hasPrefix("dependencies.") || section.name.hasPrefix("dev-dependencies.") {
                // `[dependencies.serde]`: the table's name is the crate.
                names.append(String(section.name[section.name.index(after: dot)...]))
                continue
            }
            names += section.lines.compactMap(tableKey)
        }
        return unique(names)
    }

    /// The package name in `[package]` of a `Cargo.toml` or `[project]`/`[tool.poetry]` of a
    /// `pyproject.toml`, and its description.
    public static func tomlPackage(in text: String, sections names: [String]) -> (name: String?, description: String?) {
        var name: String?
        var description: String?
        for section in sections(in: text) where names.contains(section.name) {
            for line in section.lines {
                if name == nil, tableKey(line) == "name" { name = quotedStrings(in: line).first }
                if description == nil, tableKey(line) == "description" { description = quotedStrings(in: line).first }
            }
        }
        return (name, description)
    }

    /// Modules a `go.mod` requires, in both the one-line and the block form.
    public static func goRequirements(in text: String) -> [String] {
        var names: [String] = []
        var inBlock = false
        for raw in text.split(separator: "\n") {
            let line = raw.trimmedWhitespace
            if inBlock {
                if line.hasPrefix(")") { inBlock = false; continue }
                if let module = line.split(separator: " ").first, !module.hasPrefix("//") { names.append(String(module)) }
            } else if line.hasPrefix("require (") || line == "require(" {
                inBlock = true
            } else if line.hasPrefix("require ") {
                let words = line.split(separator: " ")
                if words.count >= 2 { names.append(String(words[1])) }
            }
        }
        return unique(names)
    }

    /// The module path of a `go.mod`.
    public static func goModule(in text: String) -> String? {
        for raw in text.split(separator: "\n") {
            let line = raw.trimmedWhitespace
            if line.hasPrefix("module ") { return String(line.dropFirst("module ".count)).trimmedWhitespace }
        }
        return nil
    }

    /// Packages a `Package.swift` depends on, named by the last component of their URL
    /// (`swift-nio`) or their path, from `.package(url:` / `.package(path:` / `.package(id:`.
    public static func swiftPackageDependencies(in text: String) -> [String] {
        var names: [String] = []
        var rest = Substring(text)
        while let range = rest.firstRange(of: ".package(") {
            rest = rest[range.upperBound...]
            guard let close = rest.firstIndex(of: ")") else { break }
            let call = rest[..<close]
            for label in ["url:", "path:", "id:", "name:"] {
                guard let labelRange = call.firstRange(of: label) else { continue }
                guard let value = quotedStrings(in: String(call[labelRange.upperBound...])).first else { continue }
                var name = value.split(separator: "/").last.map(String.init) ?? value
                if name.hasSuffix(".git") { name.removeLast(4) }
                if !name.isEmpty { names.append(name) }
                break
            }
        }
        return unique(names)
    }

    /// The `name:` of `Package(name: ...)` in a `Package.swift`.
    public static func swiftPackageName(in text: String) -> String? {
        guard let range = text.firstRange(of: "Package(") else { return nil }
        let after = text[range.upperBound...].prefix(200)
        guard let label = after.firstRange(of: "name:") else { return nil }
        return quotedStrings(in: String(after[label.upperBound...])).first
    }

    /// The `project(<name> ...)` of a `CMakeLists.txt`.
    public static func cmakeProject(in text: String) -> String? {
        guard let range = text.firstRange(of: "project(") else { return nil }
        let name = text[range.upperBound...].prefix { !" )\n\t".contains($0) }
        return name.isEmpty ? nil : String(name)
    }

    /// `<artifactId>` of a `pom.xml`'s project (the first one, before any `<dependencies>`).
    public static func mavenArtifact(in text: String) -> String? {
        let head = text.firstRange(of: "<dependencies>").map { text[..<$0.lowerBound] } ?? Substring(text)
        let withoutParent: Substring
        if let parentEnd = head.firstRange(of: "</parent>") { withoutParent = head[parentEnd.upperBound...] } else { withoutParent = head }
        guard let open = withoutParent.firstRange(of: "<artifactId>"),
              let close = withoutParent[open.upperBound...].firstRange(of: "</artifactId>")
        else { return nil }
        return String(withoutParent[open.upperBound..<close.lowerBound]).trimmedWhitespace
    }

    /// `groupId:artifactId` of each dependency in a `pom.xml`.
    public static func mavenDependencies(in text: String) -> [String] {
        var names: [String] = []
        var rest = Substring(text)
        while let open = rest.firstRange(of: "<dependency>") {
            rest = rest[open.upperBound...]
            guard let close = rest.firstRange(of: "</dependency>") else { break }
            let body = rest[..<close.lowerBound]
            if let artifact = element("artifactId", in: body) {
                names.append(element("groupId", in: body).map { "\($0):\(artifact)" } ?? artifact)
            }
            rest = rest[close.upperBound...]
        }
        return unique(names)
    }

    /// Dependency coordinates in a `build.gradle(.kts)`: `implementation 'g:a:v'` or
    /// `testImplementation("g:a:v")`, without the version.
    public static func gradleDependencies(in text: String) -> [String] {
        let configurations = ["implementation", "api", "compileOnly", "runtimeOnly", "testImplementation", "testRuntimeOnly", "annotationProcessor", "kapt"]
        var names: [String] = []
        for raw in text.split(separator: "\n") {
            let line = raw.trimmedWhitespace
            guard configurations.contains(where: { line.hasPrefix($0 + " ") || line.hasPrefix($0 + "(") }) else { continue }
            guard let coordinate = quotedStrings(in: line).first else { continue }
            let parts = coordinate.split(separator: ":")
            if parts.count >= 2 { names.append("\(parts[0]):\(parts[1])") }
        }
        return unique(names)
    }

    // MARK: Small pieces

    /// The contents of `"…"` and `'…'` strings on a line, in order.
    static func quotedStrings(in line: String) -> [String] {
        var strings: [String] = []
        var quote: Character?
        var current = ""
        for character in line {
            if let open = quote {
                if character == open {
                    strings.append(current)
                    current = ""
                    quote = nil
                } else {
                    current.append(character)
                }
            } else if character == "\"" || character == "'" {
                quote = character
            }
        }
        return strings
    }

    /// The key of a `key = value` line of a TOML table (quotes removed), or nil.
    static func tableKey(_ line: String) -> String? {
        guard let equals = line.firstIndex(of: "=") else { return nil }
        var key = String(line[..<equals]).trimmedWhitespace
        if key.count >= 2, key.first == "\"" || key.first == "'", key.last == key.first { key = String(key.dropFirst().dropLast()) }
        guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || "_-.".contains($0) }) else { return nil }
        return key
    }

    /// The distribution name at the start of a PEP 508 requirement (`requests[socks]>=2`).
    static func requirementName(_ requirement: String) -> String? {
        let name = requirement.trimmedWhitespace.prefix { $0.isLetter || $0.isNumber || "_-.".contains($0) }
        return name.isEmpty ? nil : String(name)
    }

    static func element(_ name: String, in text: Substring) -> String? {
        guard let open = text.firstRange(of: "<\(name)>"), let close = text[open.upperBound...].firstRange(of: "</\(name)>") else { return nil }
        return String(text[open.upperBound..<close.lowerBound]).trimmedWhitespace
    }

    static func unique(_ names: [String]) -> [String] {
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and carriage returns.
    var trimmedWhitespace: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[start...end])
    }
}
