/// Lines a completed run suggests adding to the context documents, recorded as a
/// `context_proposal` event on the run (docs/state-format.md) and applied with
/// `git conductor context sync --apply`.
public struct ContextProposal: Sendable, Equatable, Codable {
    public struct Change: Sendable, Equatable, Codable {
        /// `tech-stack.md` or `workflow.md`.
        public let document: String
        /// The `## ` section the line belongs under (`Dependencies`, `Other commands`).
        public let section: String
        /// The Markdown line to add, in the shape setup writes (`- `swift-nio` (Package.swift)`).
        public let line: String
        /// What in the diff suggested it ("Package.swift adds the dependency swift-nio").
        public let reason: String

        public init(document: String, section: String, line: String, reason: String) {
            self.document = document
            self.section = section
            self.line = line
            self.reason = reason
        }
    }

    public let changes: [Change]

    public init(changes: [Change]) {
        self.changes = changes
    }
}

/// One manifest as the run found it and as it left it (nil when absent on that side).
public struct ManifestRevision: Sendable {
    public let path: String
    public let before: String?
    public let after: String?
    /// Decoded `package.json` on each side, for that manifest.
    public let nodeBefore: NodePackage?
    public let nodeAfter: NodePackage?

    public init(path: String, before: String?, after: String?, nodeBefore: NodePackage? = nil, nodeAfter: NodePackage? = nil) {
        self.path = path
        self.before = before
        self.after = after
        self.nodeBefore = nodeBefore
        self.nodeAfter = nodeAfter
    }
}

/// From the manifests a run added or changed, the lines `tech-stack.md` and `workflow.md`
/// would need to stay true: a new dependency, a new package.json script, a new Makefile
/// target. Pure; the adapter reads the blobs (``ContextSync`` in ConductorKit).
public enum ContextSyncProposal {
    /// Whether a changed path is a manifest context sync reads (root-level only, like setup).
    public static func isManifest(_ path: String) -> Bool {
        guard !path.contains("/") else { return false }
        return ["Package.swift", "package.json", "pyproject.toml", "Cargo.toml", "go.mod", "Makefile", "GNUmakefile", "makefile",
                "pom.xml", "build.gradle", "build.gradle.kts", "Gemfile"].contains(path)
            || (path.hasPrefix("requirements") && path.hasSuffix(".txt"))
    }

    /// The proposal, or nil when nothing the documents say is out of date. Lines the
    /// documents already mention are left out; `packageManager` spells script commands.
    public static func propose(_ revisions: [ManifestRevision], documents: [ContextDocument], packageManager: String = "npm") -> ContextProposal? {
        var changes: [ContextProposal.Change] = []
        for revision in revisions.sorted(by: { $0.path < $1.path }) {
            let before = Set(dependencies(revision.path, text: revision.before, node: revision.nodeBefore))
            for name in dependencies(revision.path, text: revision.after, node: revision.nodeAfter) where !before.contains(name) {
                changes.append(.init(
                    document: ContextDocuments.techStack, section: "Dependencies",
                    line: ContextDocuments.dependencyLine(name: name, manifest: revision.path),
                    reason: "\(revision.path) adds the dependency \(name)"
                ))
            }
            if revision.path == "package.json", let after = revision.nodeAfter {
                let known = Set(revision.nodeBefore?.scripts.keys.map { $0 } ?? [])
                for script in after.scripts.keys.sorted() where !known.contains(script) {
                    let command = script == "test" ? "\(packageManager) test" : "\(packageManager) run \(script)"
                    changes.append(.init(
                        document: ContextDocuments.workflow, section: "Other commands",
                        line: ContextDocuments.taskLine(command: command, source: "package.json script"),
                        reason: "package.json adds the script \(script)"
                    ))
                }
            }
            if ["Makefile", "GNUmakefile", "makefile"].contains(revision.path), let after = revision.after {
                let known = Set(revision.before.map(ManifestReading.makeTargets) ?? [])
                for target in ManifestReading.makeTargets(in: after) where !known.contains(target) {
                    changes.append(.init(
                        document: ContextDocuments.workflow, section: "Other commands",
                        line: ContextDocuments.taskLine(command: "make \(target)", source: "\(revision.path) target"),
                        reason: "\(revision.path) adds the target \(target)"
                    ))
                }
            }
        }
        let byName = Dictionary(documents.map { ($0.name, $0.text) }, uniquingKeysWith: { first, _ in first })
        let pending = changes.filter { change in
            guard let text = byName[change.document] else { return false }
            return !ContextDocuments.mentions(text, change.line)
        }
        return pending.isEmpty ? nil : ContextProposal(changes: pending)
    }

    /// The dependency names one manifest declares.
    static func dependencies(_ path: String, text: String?, node: NodePackage?) -> [String] {
        if path == "package.json" {
            guard let node else { return [] }
            return node.dependencies.keys.sorted() + node.devDependencies.keys.sorted()
        }
        guard let text else { return [] }
        switch path {
        case "Package.swift": return ManifestReading.swiftPackageDependencies(in: text)
        case "pyproject.toml": return ManifestReading.pythonProjectDependencies(in: text)
        case "Cargo.toml": return ManifestReading.cargoDependencies(in: text)
        case "go.mod": return ManifestReading.goRequirements(in: text)
        case "pom.xml": return ManifestReading.mavenDependencies(in: text)
        case "build.gradle", "build.gradle.kts": return ManifestReading.gradleDependencies(in: text)
        case "Gemfile": return ProjectInspection.gems(in: text)
        default:
            return path.hasPrefix("requirements") ? ManifestReading.requirements(in: text) : []
        }
    }
}
