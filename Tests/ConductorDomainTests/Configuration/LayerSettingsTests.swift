import ConductorDomain
import Testing

@Suite("Configuration layers")
struct LayerSettingsTests {
    // MARK: Values

    /// (key, what the file says, the typed value or nil, a fragment of the error when nil)
    static let values: [(String, Tree, ConfigValue?, String?)] = [
        ("budgets.max_iterations", .s("5"), 5, nil),
        ("budgets.max_iterations", .s("30_000"), 30000, nil),
        ("budgets.max_iterations", .s("0"), nil, "must be at least 1, not 0"),
        ("budgets.max_iterations", .s("eight"), nil, "expected a whole number, found \"eight\""),
        ("budgets.max_iterations", .q("8"), nil, "expected a whole number, found the string \"8\""),
        ("budgets.max_iterations", .s("8.5"), nil, "expected a whole number"),
        ("budgets.max_iterations", .s("null"), nil, "found null"),
        ("budgets.max_tokens", .s("null"), .null, nil),
        ("budgets.max_tokens", .s("~"), .null, nil),
        ("budgets.max_cost_usd", .s("2.5"), .number(2.5), nil),
        ("budgets.max_cost_usd", .s("3"), 3, nil),
        ("budgets.max_cost_usd", .s("0"), nil, "must be greater than 0, not 0"),
        ("budgets.max_cost_usd", .s(".nan"), nil, "expected a number or null"),
        ("timeouts.connect_seconds", .s("0.5"), .number(0.5), nil),
        ("timeouts.connect_seconds", .s("-1"), nil, "must be greater than 0, not -1"),
        ("retry.max_total_wait_seconds", .s("0"), 0, nil),
        ("mode", .s("fast"), "fast", nil),
        ("mode", .s("streamline"), nil, "must be one of fast, streamlined, full, not \"streamline\"; did you mean 'streamlined'?"),
        ("worktree.retention", .s("always"), "always", nil),
        ("worktree.retention", .s("sometimes"), nil, "must be one of on-failure, always, never"),
        ("providers.openai.stream", .s("false"), false, nil),
        ("providers.openai.stream", .s("yes"), true, nil),
        ("providers.openai.stream", .s("maybe"), nil, "expected true or false"),
        ("providers.openai.model", .s("4.5"), "4.5", nil),
        ("providers.openai.model", .q(""), nil, "is empty"),
        ("model", .s("null"), .null, nil),
        ("mode", .l([.s("fast")]), nil, "expected one of fast, streamlined, full, found a list"),
        ("protect", .l([.s("secrets/**"), .q("*.pem")]), .list(["secrets/**", "*.pem"]), nil),
        ("protect", .s("secrets/**"), .list(["secrets/**"]), nil),
        ("protect", .s("null"), .list([]), nil),
        ("protect", .m(["a": .s("b")]), nil, "expected a list, found a mapping"),
        ("verify", .l([.s("swift test")]), .list(["swift test"]), nil),
        ("verify", .l([.m(["command": .s("make"), "timeout_seconds": .s("30"), "junit": .s("out/junit.xml")])]),
         .list([.map([.init("command", "make"), .init("timeout_seconds", 30), .init("junit", "out/junit.xml")])]), nil),
        ("verify", .l([.m(["timeout_seconds": .s("30")])]), nil, "needs a 'command'"),
        ("verify", .l([.s("make"), .m(["command": .s("x"), "timeout_seconds": .s("0")])]), nil, "verify[1].timeout_seconds: must be at least 1"),
    ]

    @Test("a value is typed by its key, or refused with the reason", arguments: values.indices)
    func value(index: Int) throws {
        let (dotted, tree, expected, fragment) = Self.values[index]
        let key = try #require(ConfigKey(parsing: dotted))
        // Wrap the value in the mappings its key needs: budgets: {max_iterations: …}.
        var wrapped = tree
        for segment in key.segments.reversed() { wrapped = .m([segment: wrapped]) }
        let layer = fileLayer(wrapped)
        if let expected {
            #expect(layer.problems.isEmpty, "\(layer.problems)")
            #expect(layer.settings[key]?.value == expected)
        } else {
            #expect(layer.settings[key] == nil)
            let messages = layer.problems.map(\.description)
            #expect(messages.contains { $0.contains(try! #require(fragment)) }, "\(messages)")
            #expect(layer.problems.allSatisfy { $0.isError })
        }
    }

    // MARK: Files

    @Test("origins carry the file and the line of the key")
    func origins() {
        let layer = fileLayer(.m(["mode": .s("fast"), "budgets": .m(["max_tokens": .s("100")])]), .user, file: "/home/u/.config/git-conductor/config.yml")
        #expect(layer["mode"]?.origin == ConfigOrigin(layer: .user, source: "/home/u/.config/git-conductor/config.yml", position: SourcePosition(line: 1, column: 1)))
        #expect(layer["budgets.max_tokens"]?.origin.position?.line == 3)
        #expect(layer["budgets.max_tokens"]?.origin.description == "user /home/u/.config/git-conductor/config.yml:3:1")
    }

    @Test("an unknown key is a warning with a suggestion, and is ignored")
    func unknownKey() {
        let layer = fileLayer(.m(["verfy": .l([.s("make")]), "budgets": .m(["max_token": .s("5")]), "zzz": .s("1")]))
        #expect(layer.settings.isEmpty)
        #expect(layer.problems.map(\.severity) == [.warning, .warning, .warning])
        #expect(layer.problems.map(\.description) == [
            "conductor.yml:1:1: verfy: unknown key, ignored; did you mean 'verify'?",
            "conductor.yml:3:1: budgets.max_token: unknown key, ignored; did you mean 'max_tokens'?",
            "conductor.yml:4:1: zzz: unknown key, ignored",
        ])
    }

    @Test("a secret in the file is refused and points to api_key_env; its value is never repeated")
    func secrets() {
        let layer = fileLayer(.m([
            "providers": .m(["openai": .m(["api_key": .s("sk-live-1234567890abcdef")])]),
            "token": .s("ghp_abcdefghijklmnop"),
        ]))
        #expect(layer.settings.isEmpty)
        #expect(layer.problems.count == 2)
        #expect(layer.problems.allSatisfy { $0.isError })
        let messages = layer.problems.map(\.description)
        #expect(messages[0].hasPrefix("conductor.yml:3:1: providers.openai.api_key: secrets are not accepted"))
        #expect(messages[0].contains("set providers.openai.api_key_env to the name of the environment variable"))
        #expect(messages[1].contains("token: secrets are not accepted"))
        #expect(!messages.joined().contains("sk-live") && !messages.joined().contains("ghp_"))
    }

    @Test("a group written as a value, and a profile name with a colon, are errors")
    func shapes() {
        let layer = fileLayer(.m(["budgets": .s("8"), "providers": .m(["a:b": .m(["kind": .s("openai")])])]))
        #expect(layer.problems.map(\.description) == [
            "conductor.yml:1:1: budgets: expected a mapping (of max_iterations, max_wall_seconds, max_tokens, max_cost_usd), found \"8\"",
            "conductor.yml:3:1: providers.\"a:b\": a provider profile name may hold only letters, digits, '_' and '-'",
        ])
    }

    @Test("profiles and prices take names of the user's")
    func entries() {
        let layer = fileLayer(.m([
            "providers": .m(["work": .m(["kind": .s("openai"), "base_url": .s("http://localhost:8080/v1")])]),
            "prices": .m(["gpt-4.1": .m(["input_per_mtok": .s("2"), "output_per_mtok": .s("8")])]),
        ]))
        #expect(layer.problems.isEmpty)
        #expect(layer["providers.work.kind"]?.value == "openai")
        #expect(layer.settings[ConfigKey(["prices", "gpt-4.1", "output_per_mtok"])]?.value == 8)
    }

    // MARK: Git

    static func git(_ entries: (String, String?, String)...) -> LayerSettings {
        LayerSettings.gitConfig(entries.map { GitConfigEntry(name: $0.0, value: $0.1, scope: $0.2) })
    }

    @Test("git keys map to configuration keys, typed by the schema")
    func gitKeys() {
        let layer = Self.git(
            ("conductor.budgets.max-tokens", "5000", "local"),
            ("conductor.providers.openai.base-url", "http://localhost:1234/v1", "global"),
            ("conductor.providers.openai.stream", nil, "local"),
            ("conductor.mode", "full", "global"),
            ("conductor.mode", "fast", "local")
        )
        #expect(layer.problems.isEmpty, "\(layer.problems)")
        #expect(layer["budgets.max_tokens"]?.value == 5000)
        #expect(layer["budgets.max_tokens"]?.origin == ConfigOrigin(layer: .git, source: "conductor.budgets.max-tokens", scope: "local"))
        #expect(layer["providers.openai.base_url"]?.value == "http://localhost:1234/v1")
        #expect(layer["providers.openai.stream"]?.value == true)
        #expect(layer["mode"]?.value == "fast")
        #expect(layer["mode"]?.origin.scope == "local")
    }

    @Test("a git list is every value of the highest level that sets it")
    func gitLists() {
        let layer = Self.git(
            ("conductor.verify", "make global", "global"),
            ("conductor.protect", "a/**", "global"),
            ("conductor.verify", "swift build", "local"),
            ("conductor.verify", "swift test", "local")
        )
        #expect(layer["verify"]?.value == .list(["swift build", "swift test"]))
        #expect(layer["protect"]?.value == .list(["a/**"]))
    }

    @Test("unknown git keys get git-spelt suggestions; bad values name the git key")
    func gitProblems() {
        let layer = Self.git(
            ("conductor.budgets.max-token", "5", "local"),
            ("conductor.budgets.max-iterations", "many", "local"),
            ("conductor.providers.openai.api-key", "sk-xyz", "local"),
            ("conductor.budgets", "1", "local")
        )
        #expect(layer.problems.map(\.description) == [
            "git conductor.budgets.max-token (local): budgets.max_token: unknown key, ignored; did you mean 'max-tokens'?",
            "git conductor.budgets.max-iterations (local): budgets.max_iterations: expected a whole number, found \"many\"",
            "git conductor.providers.openai.api-key (local): providers.openai.api_key: secrets are not accepted in configuration, which is shown and often committed; set providers.openai.api_key_env to the name of the environment variable that holds the key (for example OPENAI_API_KEY)",
            "git conductor.budgets (local): budgets: is a group of settings, not a value; set one of its keys, such as conductor.budgets.max-iterations",
        ])
    }

    // MARK: Environment

    @Test("environment variables match the schema; lists are comma-separated; test hooks are ignored")
    func environment() {
        let layer = LayerSettings.environment([
            "CONDUCTOR_PROVIDER": "ollama",
            "CONDUCTOR_BUDGETS_MAX_TOKENS": "9000",
            "CONDUCTOR_VERIFY": "swift build, swift test",
            "CONDUCTOR_FALLBACK": "",
            "CONDUCTOR_PROVIDERS_OLLAMA_BASE_URL": "http://gpu:11434",
            "CONDUCTOR_CRASH_AT": "BUILDING",
            "PATH": "/bin",
        ], lowerLayers: [.defaults])
        #expect(layer.problems.isEmpty, "\(layer.problems)")
        #expect(layer["provider"]?.value == "ollama")
        #expect(layer["budgets.max_tokens"]?.value == 9000)
        #expect(layer["budgets.max_tokens"]?.origin == ConfigOrigin(layer: .environment, source: "CONDUCTOR_BUDGETS_MAX_TOKENS"))
        #expect(layer["verify"]?.value == .list(["swift build", "swift test"]))
        #expect(layer["fallback"]?.value == .list([]))
        #expect(layer["providers.ollama.base_url"]?.value == "http://gpu:11434")
        #expect(layer.settings.count == 5)
    }

    @Test("profile and price names come from lower layers, never from guessing")
    func environmentNames() {
        let file = fileLayer(.m([
            "providers": .m(["my-proxy": .m(["kind": .s("openai")])]),
            "prices": .m(["gpt-4.1": .m(["input_per_mtok": .s("2"), "output_per_mtok": .s("8")])]),
        ]))
        let layer = LayerSettings.environment([
            "CONDUCTOR_PROVIDERS_MY_PROXY_MODEL": "llama",
            "CONDUCTOR_PRICES_GPT_4_1_INPUT_PER_MTOK": "1.5",
            "CONDUCTOR_PROVIDERS_NOBODY_MODEL": "x",
        ], lowerLayers: [.defaults, file])
        #expect(layer["providers.my-proxy.model"]?.value == "llama")
        #expect(layer.settings[ConfigKey(["prices", "gpt-4.1", "input_per_mtok"])]?.value == .number(1.5))
        #expect(layer.problems.map(\.description) == [
            "env CONDUCTOR_PROVIDERS_NOBODY_MODEL: no providers entry is spelt NOBODY in the defaults, files or git config, so this variable is ignored; define providers.<name> there first",
        ])
    }

    @Test("unknown variables are warnings with suggestions; secrets are errors that never show the value")
    func environmentProblems() {
        let layer = LayerSettings.environment([
            "CONDUCTOR_BUDGETS_MAX_TOKEN": "5",
            "CONDUCTOR_PROVIDERS_OPENAI_API_KEY": "sk-secret-value-123",
            "CONDUCTOR_MODE": "slow",
        ], lowerLayers: [.defaults])
        let messages = layer.problems.map(\.description)
        #expect(messages == [
            "env CONDUCTOR_BUDGETS_MAX_TOKEN: not a configuration variable, ignored; did you mean CONDUCTOR_BUDGETS_MAX_TOKENS?",
            "env CONDUCTOR_MODE: mode: must be one of fast, streamlined, full, not \"slow\"",
            "env CONDUCTOR_PROVIDERS_OPENAI_API_KEY: secrets are not accepted in configuration, which is shown and often committed; set providers.<name>.api_key_env to the name of the environment variable that holds the key (for example OPENAI_API_KEY)",
        ])
        #expect(layer.problems.map(\.severity) == [.warning, .error, .error])
        #expect(!messages.joined().contains("sk-secret"))
    }

    // MARK: Flags

    @Test("flags are typed like everything else; an unknown flag key is an error")
    func flags() {
        let layer = LayerSettings.flags([
            "mode": "fast", "budgets.max_iterations": "5", "verify": ["swift build", "swift test"], "budget.max_iterations": "1",
        ])
        #expect(layer["mode"]?.value == "fast")
        #expect(layer["mode"]?.origin == ConfigOrigin(layer: .flag, source: "mode"))
        #expect(layer["budgets.max_iterations"]?.value == 5)
        #expect(layer["verify"]?.value == .list(["swift build", "swift test"]))
        #expect(layer.problems.map(\.description) == [
            "flag budget.max_iterations: not a configuration key; did you mean 'budgets.max_iterations'?",
        ])
    }
}
