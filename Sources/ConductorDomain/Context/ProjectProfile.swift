/// What `git conductor setup` learned about a repository from its committed files: the
/// languages, the ecosystems and the commands that build and test it, where sources and
/// tests live, and the formatter and linter configurations in sight. Every inference carries
/// the reason for it, so that the user who reviews the documents can see why
/// (docs/context-setup.md).
public struct ProjectProfile: Sendable, Equatable, Codable {
    /// A value and why it was inferred ("Makefile has a test target").
    public struct Inferred: Sendable, Equatable, Codable {
        public var value: String
        public var reason: String

        public init(_ value: String, reason: String) {
            self.value = value
            self.reason = reason
        }
    }

    /// One language's share of the code, by bytes of committed files.
    public struct LanguageShare: Sendable, Equatable, Codable {
        public let name: String
        public let bytes: Int
        /// Percent of all code bytes, rounded to one decimal.
        public let percent: Double

        public init(name: String, bytes: Int, percent: Double) {
            self.name = name
            self.bytes = bytes
            self.percent = percent
        }
    }

    /// A formatter or linter configuration seen in the tree.
    public struct Convention: Sendable, Equatable, Codable {
        public let tool: String
        public let file: String

        public init(tool: String, file: String) {
            self.tool = tool
            self.file = file
        }
    }

    /// A declared dependency and the manifest that declares it.
    public struct Dependency: Sendable, Equatable, Hashable, Codable {
        public let name: String
        public let manifest: String

        public init(name: String, manifest: String) {
            self.name = name
            self.manifest = manifest
        }
    }

    /// A command the project defines besides build and test: a Makefile target, a
    /// package.json script.
    public struct ProjectTask: Sendable, Equatable, Codable {
        public let command: String
        public let source: String

        public init(command: String, source: String) {
            self.command = command
            self.source = source
        }
    }

    public var name: String
    /// What the project is, from a manifest's description or the README's first paragraph.
    public var summary: Inferred?
    /// Largest share first.
    public var languages: [LanguageShare]
    /// Build systems and package managers found (`Swift Package Manager`, `npm`), each with
    /// the manifest that shows it.
    public var ecosystems: [Inferred]
    public var build: Inferred?
    public var test: Inferred?
    public var sourceRoots: [String]
    public var testRoots: [String]
    public var conventions: [Convention]
    public var dependencies: [Dependency]
    public var tasks: [ProjectTask]

    public init(
        name: String, summary: Inferred? = nil, languages: [LanguageShare] = [], ecosystems: [Inferred] = [],
        build: Inferred? = nil, test: Inferred? = nil, sourceRoots: [String] = [], testRoots: [String] = [],
        conventions: [Convention] = [], dependencies: [Dependency] = [], tasks: [ProjectTask] = []
    ) {
        self.name = name
        self.summary = summary
        self.languages = languages
        self.ecosystems = ecosystems
        self.build = build
        self.test = test
        self.sourceRoots = sourceRoots
        self.testRoots = testRoots
        self.conventions = conventions
        self.dependencies = dependencies
        self.tasks = tasks
    }

    enum CodingKeys: String, CodingKey {
        case name, summary, languages, ecosystems, build, test, conventions, dependencies, tasks
        case sourceRoots = "source_roots", testRoots = "test_roots"
    }
}
