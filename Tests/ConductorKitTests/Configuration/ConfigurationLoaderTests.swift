import ConductorDomain
import ConductorKit
import ConductorTesting
import Foundation
import Testing

/// A repository, a home directory and an environment pointing at it, for loading
/// configuration from real files, real git configuration and variables.
private struct ConfigSandbox {
    let fixture: GitFixture
    let home: TemporaryDirectory
    var environment: [String: String]

    init() throws {
        fixture = try GitFixture(prefix: "conductor-config")
        home = try TemporaryDirectory(prefix: "conductor-config-home")
        environment = ["HOME": home.path, "XDG_CONFIG_HOME": home.appending(".config")]
    }

    var userFile: String { home.appending(".config/git-conductor/config.yml") }
    var repositoryFile: String { fixture.path + "/conductor.yml" }

    func writeUserFile(_ text: String) throws {
        try FileManager.default.createDirectory(atPath: home.appending(".config/git-conductor"), withIntermediateDirectories: true)
        try text.write(toFile: userFile, atomically: true, encoding: .utf8)
    }

    func writeRepositoryFile(_ text: String) throws {
        try fixture.write("conductor.yml", text)
    }

    func loader(inRepository: Bool = true, adding extra: [String: String] = [:]) throws -> ConfigurationLoader {
        let environment = environment.merging(extra) { _, new in new }
        let repository = inRepository ? try ConductorRepository.open(at: fixture.path, environment: fixture.environment(adding: environment)) : nil
        return ConfigurationLoader(repository: repository, environment: environment)
    }

    func report(inRepository: Bool = true, adding extra: [String: String] = [:], flags: [String: ConfigNode] = [:]) throws -> ConfigurationReport {
        try loader(inRepository: inRepository, adding: extra).report(flags: flags)
    }
}

extension ConfigurationReport {
    fileprivate subscript(key: ConfigKey) -> EffectiveSetting? {
        settings.first { $0.key == key }
    }

    fileprivate var messages: [String] { problems.map(\.description) }
}

@Suite("Configuration loader")
struct ConfigurationLoaderTests {
    @Test("the user file lives under XDG_CONFIG_HOME, else ~/.config; a relative XDG_CONFIG_HOME is ignored")
    func userFilePath() throws {
        #expect(ConfigurationLoader(repository: nil, environment: ["XDG_CONFIG_HOME": "/x", "HOME": "/h"]).userFilePath == "/x/git-conductor/config.yml")
        #expect(ConfigurationLoader(repository: nil, environment: ["XDG_CONFIG_HOME": "", "HOME": "/h"]).userFilePath == "/h/.config/git-conductor/config.yml")
        #expect(ConfigurationLoader(repository: nil, environment: ["XDG_CONFIG_HOME": "rel", "HOME": "/h/"]).userFilePath == "/h/.config/git-conductor/config.yml")
        #expect(ConfigurationLoader(repository: nil, environment: [:]).userFilePath == nil)
    }

    /// The precedence matrix: with layers 1…n set, the value and origin come from layer n.
    @Test("each layer overrides the one below, read from real files, git and the environment", arguments: ConfigLayer.allCases)
    func precedence(top: ConfigLayer) throws {
        let sandbox = try ConfigSandbox()
        var extra: [String: String] = [:]
        var flags: [String: ConfigNode] = [:]
        if top >= .user { try sandbox.writeUserFile("budgets:\n  max_tokens: 2000\n") }
        if top >= .repository { try sandbox.writeRepositoryFile("# project settings\nbudgets:\n  max_tokens: 3000\n") }
        if top >= .git { try sandbox.fixture.git("config", "conductor.budgets.max-tokens", "4000") }
        if top >= .environment { extra["CONDUCTOR_BUDGETS_MAX_TOKENS"] = "5000" }
        if top >= .flag { flags["budgets.max_tokens"] = "6000" }
        let report = try sandbox.report(adding: extra, flags: flags)
        #expect(report.errors.isEmpty, "\(report.messages)")
        let expected: [ConfigLayer: (ConfigValue, ConfigOrigin)] = [
            .defaults: (.null, .builtIn),
            .user: (2000, ConfigOrigin(layer: .user, source: sandbox.userFile, position: SourcePosition(line: 2, column: 3))),
            .repository: (3000, ConfigOrigin(layer: .repository, source: sandbox.repositoryFile, position: SourcePosition(line: 3, column: 3))),
            .git: (4000, ConfigOrigin(layer: .git, source: "conductor.budgets.max-tokens", scope: "local")),
            .environment: (5000, ConfigOrigin(layer: .environment, source: "CONDUCTOR_BUDGETS_MAX_TOKENS")),
            .flag: (6000, ConfigOrigin(layer: .flag, source: "budgets.max_tokens")),
        ]
        let setting = try #require(report["budgets.max_tokens"])
        #expect(setting.value == expected[top]!.0)
        #expect(setting.origin == expected[top]!.1)
        #expect(report.configuration?.budgets.maxTokens == expected[top]!.0.integer)
    }

    @Test("git configuration: lists from repeated keys, profile fields in subsections, every level read")
    func gitConfiguration() throws {
        let sandbox = try ConfigSandbox()
        try sandbox.fixture.git("config", "--add", "conductor.verify", "swift build")
        try sandbox.fixture.git("config", "--add", "conductor.verify", "swift test")
        try sandbox.fixture.git("config", "conductor.providers.local.kind", "ollama")
        try sandbox.fixture.git("config", "conductor.providers.local.model", "llama3.1")
        try sandbox.fixture.git("config", "conductor.provider", "local")
        try sandbox.fixture.git("config", "conductor.budgets.max-token", "1")
        let configuration = try #require(try sandbox.report().configuration)
        #expect(configuration.verify.map(\.commandLine) == ["swift build", "swift test"])
        #expect(configuration.primaryProvider == ProviderProfile(name: "local", kind: .ollama, baseURL: "http://127.0.0.1:11434", model: "llama3.1"))
        #expect(try sandbox.report().messages == [
            "git conductor.budgets.max-token (local): budgets.max_token: unknown key, ignored; did you mean 'max-tokens'?",
        ])
    }

    @Test("environment variables may name profiles defined in files")
    func environmentAndFiles() throws {
        let sandbox = try ConfigSandbox()
        try sandbox.writeRepositoryFile("providers:\n  gpu-box:\n    kind: openai\n    base_url: http://gpu:8000/v1\n    model: qwen\n")
        let report = try sandbox.report(adding: [
            "CONDUCTOR_PROVIDER": "gpu-box", "CONDUCTOR_PROVIDERS_GPU_BOX_MODEL": "qwen-large", "CONDUCTOR_PROTECT": "secrets/**, *.pem",
        ])
        #expect(report.problems.isEmpty, "\(report.messages)")
        let configuration = try #require(report.configuration)
        #expect(configuration.primaryProvider?.model == "qwen-large")
        #expect(configuration.primaryProvider?.baseURL == "http://gpu:8000/v1")
        #expect(configuration.protect == ["secrets/**", "*.pem"])
    }

    @Test("outside a repository, conductor.yml and git config are not read")
    func outsideRepository() throws {
        let sandbox = try ConfigSandbox()
        try sandbox.writeUserFile("mode: full\n")
        try sandbox.writeRepositoryFile("mode: fast\n")
        try sandbox.fixture.git("config", "conductor.verify", "make")
        let loader = try sandbox.loader(inRepository: false)
        #expect(loader.repositoryFilePath == nil)
        let report = loader.report()
        #expect(report["mode"]?.value == "full")
        #expect(report["mode"]?.origin.layer == .user)
        #expect(report["verify"]?.value == .list([]))
        #expect(loader.layers().map(\.settings.layer) == [.defaults, .user, .environment])
    }

    /// (file contents, the problems expected, with FILE for the file's path)
    static let badFiles: [(String, [String])] = [
        ("mode: fast\nbudgets:\n  max_tokens: [1\n", ["FILE:4:1: is not valid YAML: did not find expected ',' or ']' (while parsing a flow sequence)"]),
        ("mode: fast\n\tverify: x\n", ["FILE:2:1: is not valid YAML: found a tab character that violates indentation (while scanning a plain scalar)"]),
        ("mode: fast\nmode: full\n", ["FILE:1:1: is not valid YAML: the key 'mode' appears more than once in one mapping"]),
        ("- mode\n- fast\n", ["FILE:1:1: expected a mapping of keys to values at the top of the file"]),
        ("mode: fast\nbudgets:\n  max_tokens: lots\n", ["FILE:3:15: budgets.max_tokens: expected a whole number or null, found \"lots\""]),
        ("verify:\n  - swift build\n  - command: swift test\n    timeout_seconds: -5\n", ["FILE:4:22: verify[1].timeout_seconds: must be at least 1, not -5"]),
        ("providers:\n  openai:\n    api_key: sk-do-not-print-me\n", ["FILE:3:5: providers.openai.api_key: secrets are not accepted in configuration, which is shown and often committed; set providers.openai.api_key_env to the name of the environment variable that holds the key (for example OPENAI_API_KEY)"]),
        ("mode: \"fast\"\nretention: always\n", ["FILE:2:1: retention: unknown key, ignored"]),
    ]

    @Test("every problem with a file names the file, line and column, and the key", arguments: badFiles.indices)
    func badFile(index: Int) throws {
        let sandbox = try ConfigSandbox()
        let (text, expected) = Self.badFiles[index]
        try sandbox.writeRepositoryFile(text)
        let report = try sandbox.report()
        #expect(report.messages == expected.map { $0.replacingOccurrences(of: "FILE", with: sandbox.repositoryFile) })
        #expect(!report.messages.joined().contains("do-not-print-me"))
    }

    @Test("an empty file, or one of comments only, is fine; a directory in its place is not")
    func emptyAndDirectory() throws {
        let sandbox = try ConfigSandbox()
        try sandbox.writeRepositoryFile("# nothing yet\n")
        #expect(try sandbox.report().problems.isEmpty)
        try FileManager.default.createDirectory(atPath: sandbox.userFile, withIntermediateDirectories: true)
        #expect(try sandbox.report().messages == ["\(sandbox.userFile): is a directory, not a configuration file"])
        #expect(try sandbox.report().configuration == nil)
    }

    @Test("load throws every problem; warnings come with a usable configuration")
    func load() throws {
        let sandbox = try ConfigSandbox()
        try sandbox.writeRepositoryFile("mode: slow\nverfy: [make]\nbudgets:\n  max_iterations: 0\n")
        #expect {
            try sandbox.loader().load()
        } throws: { error in
            let problems = (error as? ConfigurationError)?.problems ?? []
            return problems.filter(\.isError).count == 2 && problems.count == 3
        }
        let loader = try sandbox.loader()
        do throws(ConfigurationError) {
            _ = try loader.load()
            Issue.record("an invalid configuration loaded")
        } catch {
            let reported = ConductorError(error)
            #expect(reported == .invalidConfiguration(error.problems))
            #expect(reported.description.hasPrefix("invalid configuration:\n  error: \(sandbox.repositoryFile):1:7: mode: must be one of"))
            #expect(reported.hint?.contains("config show --effective") == true)
        }
        try sandbox.writeRepositoryFile("mode: fast\nverfy: [make]\n")
        let effective = try sandbox.loader().load(flags: ["verify": ["swift test"]])
        #expect(effective.configuration.mode == .fast)
        #expect(effective.configuration.budgets.maxIterations == 3)
        #expect(effective.configuration.verify == [VerifyCommand("swift test", timeoutMilliseconds: 600_000)])
        #expect(effective.warnings.count == 1)
    }

    @Test("a chosen profile whose key variable is unset is a warning; key values are offered for redaction")
    func keyVariables() throws {
        let sandbox = try ConfigSandbox()
        try sandbox.writeRepositoryFile("provider: anthropic\nfallback: [openai]\n")
        let report = try sandbox.report(adding: ["OPENAI_API_KEY": "sk-test-openai-value"])
        #expect(report.configuration != nil)
        #expect(report.messages == [
            "default: providers.anthropic.api_key_env: ANTHROPIC_API_KEY is not set, so the anthropic profile has no API key; export it, or name another variable here",
        ])
        let loader = try sandbox.loader(adding: ["OPENAI_API_KEY": "sk-test-openai-value"])
        #expect(loader.secretValues(in: report) == ["sk-test-openai-value"])
    }
}

@Suite("Run requests from configuration")
struct RunRequestConfigurationTests {
    @Test("every run setting is taken from the configuration")
    func request() throws {
        let layer = LayerSettings.flags([
            "mode": "fast", "verify": ["swift test"], "verify_timeout_seconds": "30", "protect": ["secrets/**"],
            "budgets.max_tokens": "1000", "diff_limits.max_files": "3", "worktree.retention": "never", "context_budget_tokens": "100",
        ])
        let configuration = try ConfigurationResolver.resolve([.defaults, layer]).effective().configuration
        let request = RunRequest(prompt: "Fix it", provider: .script(path: "/s.yml"), configuration: configuration, autoApprove: true)
        #expect(request == RunRequest(
            prompt: "Fix it", provider: .script(path: "/s.yml"), mode: .fast, base: "HEAD",
            verifyCommands: [VerifyCommand("swift test", timeoutMilliseconds: 30_000)],
            limits: LoopLimits(maxIterations: 3, maxTokens: 1000), paths: PathPolicy(protected: ["secrets/**"]),
            diffLimits: DiffLimits(maxFiles: 3), retention: .never, contextBudgetTokens: 100, autoApprove: true
        ))
    }
}

@Suite("Provider detector")
struct ProviderDetectorTests {
    static let configuration = ConfigurationResolver.resolve([.defaults]).configuration!

    @Test("keys in the environment, a server that answers, a program on PATH; a configured provider wins")
    func detection() throws {
        let bin = try TemporaryDirectory(prefix: "conductor-detect-bin")
        let none = ProviderDetector(environment: ["PATH": bin.path], serverAnswers: { _ in false })
        #expect(none.provider(for: Self.configuration) == nil)
        #expect(throws: ConductorError.providerUnavailable("auto-detect", detail: ProviderDetection.noneFound)) {
            try none.requireProvider(for: Self.configuration)
        }

        try "#!/bin/sh\n".write(toFile: bin.appending("claude"), atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: bin.appending("claude"))
        let claude = ProviderDetector(environment: ["PATH": bin.path], serverAnswers: { _ in false })
        #expect(claude.provider(for: Self.configuration)?.provider.profile == "command")

        let probed = ProviderDetector(environment: ["PATH": bin.path], serverAnswers: { $0 == "http://127.0.0.1:11434" })
        #expect(probed.provider(for: Self.configuration)?.provider.profile == "ollama")

        let keyed = ProviderDetector(environment: ["PATH": bin.path, "OPENAI_API_KEY": "sk-x", "ANTHROPIC_API_KEY": ""], serverAnswers: { _ in true })
        #expect(keyed.provider(for: Self.configuration) == ProviderDetection.Choice(provider: ProviderReference(profile: "openai"), reason: "OPENAI_API_KEY is set"))

        var configured = Self.configuration
        configured.provider = ProviderReference(profile: "ollama", model: "llama3.1")
        #expect(keyed.provider(for: configured)?.provider == ProviderReference(profile: "ollama", model: "llama3.1"))
    }

    @Test("the TCP probe tells a listening port from a closed one")
    func probe() throws {
        #if os(Linux)
        let stream = Int32(SOCK_STREAM.rawValue)
        #else
        let stream = SOCK_STREAM
        #endif
        let listener = socket(AF_INET, stream, 0)
        try #require(listener >= 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(listener, pointer, length) == 0 && listen(listener, 1) == 0 && getsockname(listener, pointer, &length) == 0
            }
        }
        try #require(bound)
        let port = Int(UInt16(bigEndian: address.sin_port))
        #expect(ProviderDetector.acceptsConnections(baseURL: "http://127.0.0.1:\(port)"))
        close(listener)
        #expect(!ProviderDetector.acceptsConnections(baseURL: "http://127.0.0.1:\(port)/v1"))
        #expect(!ProviderDetector.acceptsConnections(baseURL: "not a url"))
    }
}
