import ConductorDomain
import Testing

@Suite("Configuration resolver")
struct ConfigurationResolverTests {
    @Test("the defaults alone are valid and give what a run needs")
    func defaults() throws {
        let report = resolve()
        #expect(report.problems.isEmpty, "\(report.messages)")
        let configuration = try #require(report.configuration)
        #expect(configuration.provider == nil)
        #expect(configuration.primaryProvider == nil)
        #expect(configuration.mode == .streamlined)
        #expect(configuration.verify == [])
        #expect(configuration.budgets == LoopLimits(maxIterations: 8, maxWallSeconds: 3600, maxTokens: nil, maxCostUSD: nil))
        #expect(configuration.diffLimits == DiffLimits())
        #expect(configuration.worktreeRetention == .keepOnFailure)
        #expect(configuration.contextBudgetTokens == 8000)
        #expect(configuration.timeouts == HTTPTimeouts(connect: 10, idleRead: 120, total: 600))
        #expect(configuration.retry == RetrySettings(maxAttempts: 4, baseDelayMilliseconds: 500, maxDelayMilliseconds: 30000, maxTotalWaitSeconds: 120))
        #expect(configuration.circuitBreaker == CircuitBreakerSettings(failureThreshold: 5, coolDownSeconds: 30))
        #expect(configuration.prices.isEmpty)
        #expect(Set(configuration.providers.keys) == ["openai", "anthropic", "ollama", "azure", "command", "script"])
        #expect(configuration.providers["openai"] == ProviderProfile(
            name: "openai", kind: .openai, baseURL: "https://api.openai.com/v1", model: "gpt-4o", apiKeyEnv: "OPENAI_API_KEY", stream: true
        ))
        #expect(configuration.providers["anthropic"]?.baseURL == "https://api.anthropic.com")
        #expect(configuration.providers["anthropic"]?.apiKeyEnv == "ANTHROPIC_API_KEY")
        #expect(configuration.providers["ollama"]?.baseURL == "http://127.0.0.1:11434")
        #expect(configuration.providers["ollama"]?.apiKeyEnv == nil)
        #expect(configuration.providers["azure"]?.apiKeyEnv == "AZURE_OPENAI_API_KEY")
        #expect(configuration.providers["command"]?.preset == .claude)
        #expect(report.settings.allSatisfy { $0.origin.layer == .defaults })
        #expect(Configuration.defaults == configuration)
    }

    /// Every layer overrides the one below it, key by key.
    @Test("precedence: default < user < repository < git < env < flag", arguments: ConfigLayer.allCases)
    func precedence(top: ConfigLayer) throws {
        var layers: [LayerSettings] = [.defaults]
        let value = ["default": "8", "user": "2", "repository": "3", "git": "4", "env": "5", "flag": "6"]
        for layer in ConfigLayer.allCases.dropFirst() where layer <= top {
            let text = value[layer.rawValue]!
            switch layer {
            case .user, .repository: layers.append(fileLayer(.m(["budgets": .m(["max_iterations": .s(text)])]), layer))
            case .git: layers.append(LayerSettings.gitConfig([GitConfigEntry(name: "conductor.budgets.max-iterations", value: text, scope: "local")]))
            case .environment: layers.append(LayerSettings.environment(["CONDUCTOR_BUDGETS_MAX_ITERATIONS": text], lowerLayers: layers))
            case .flag: layers.append(LayerSettings.flags(["budgets.max_iterations": .text(text)]))
            case .defaults: break
            }
        }
        // Shuffled order in, layer order out.
        let report = ConfigurationResolver.resolve(layers.reversed())
        #expect(report.problems.isEmpty, "\(report.messages)")
        #expect(report["budgets.max_iterations"]?.value == .integer(Int(value[top.rawValue]!)!))
        #expect(report["budgets.max_iterations"]?.origin.layer == top)
        #expect(report.configuration?.budgets.maxIterations == Int(value[top.rawValue]!)!)
        // Keys nobody set stay defaults.
        #expect(report["budgets.max_wall_seconds"]?.origin.layer == .defaults)
    }

    @Test("a null in a higher layer lifts a lower layer's limit; a list replaces a list")
    func nullAndLists() throws {
        let user = fileLayer(.m(["budgets": .m(["max_tokens": .s("100000")]), "verify": .l([.s("make"), .s("make lint")])]), .user)
        let repository = fileLayer(.m(["budgets": .m(["max_tokens": .s("null")]), "verify": .l([.s("swift test")])]))
        let configuration = try #require(resolve(user, repository).configuration)
        #expect(configuration.budgets.maxTokens == nil)
        #expect(configuration.verify == [VerifyCommand("swift test", timeoutMilliseconds: 600_000)])
    }

    @Test("verify commands take their own timeout, else verify_timeout_seconds; junit must stay inside the worktree")
    func verify() throws {
        let file = fileLayer(.m([
            "verify_timeout_seconds": .s("60"),
            "verify": .l([.s("swift build"), .m(["command": .s("swift test"), "timeout_seconds": .s("900"), "junit": .s("build/junit.xml")])]),
        ]))
        let configuration = try #require(resolve(file).configuration)
        #expect(configuration.verify == [
            VerifyCommand("swift build", timeoutMilliseconds: 60_000),
            VerifyCommand("swift test", timeoutMilliseconds: 900_000, junitPath: "build/junit.xml"),
        ])
        let escaping = resolve(fileLayer(.m(["verify": .l([.m(["command": .s("make"), "junit": .s("../x.xml")])])])))
        #expect(escaping.configuration == nil)
        #expect(escaping.messages == ["conductor.yml:1:1: verify[0].junit: must be a relative path inside the worktree, without '.' or '..'"])
    }

    @Test("fast mode runs at most 3 iterations unless a layer says otherwise")
    func fastMode() throws {
        let fast = resolve(LayerSettings.flags(["mode": "fast"]))
        #expect(fast.configuration?.budgets.maxIterations == 3)
        #expect(fast["budgets.max_iterations"]?.origin == ConfigOrigin(layer: .defaults, source: "fast mode"))
        let explicit = resolve(fileLayer(.m(["budgets": .m(["max_iterations": .s("6")])])), LayerSettings.flags(["mode": "fast"]))
        #expect(explicit.configuration?.budgets.maxIterations == 6)
    }

    @Test("the chosen provider, with model overrides, and the fallback chain")
    func providers() throws {
        let file = fileLayer(.m([
            "provider": .s("anthropic"),
            "model": .s("claude-opus-4-1"),
            "fallback": .l([.s("ollama:qwen2.5-coder:7b"), .s("openai")]),
            "providers": .m(["openai": .m(["base_url": .s("https://openrouter.ai/api/v1"), "model": .s("gpt-4.1")])]),
        ]))
        let configuration = try #require(resolve(file).configuration)
        #expect(configuration.provider == ProviderReference(profile: "anthropic"))
        #expect(configuration.primaryProvider?.name == "anthropic")
        #expect(configuration.primaryProvider?.model == "claude-opus-4-1")
        #expect(configuration.primaryProvider?.apiKeyEnv == "ANTHROPIC_API_KEY")
        #expect(configuration.fallbackProviders.map(\.name) == ["ollama", "openai"])
        #expect(configuration.fallbackProviders.map(\.model) == ["qwen2.5-coder:7b", "gpt-4.1"])
        #expect(configuration.fallbackProviders[1].baseURL == "https://openrouter.ai/api/v1")
        // `provider: name:model` works too; `model` still wins.
        let short = try #require(resolve(LayerSettings.flags(["provider": "ollama:llama3.1"])).configuration)
        #expect(short.primaryProvider?.model == "llama3.1")
    }

    @Test("a profile of the user's gets its kind's base URL but never its key variable")
    func customProfile() throws {
        let file = fileLayer(.m(["provider": .s("local"), "providers": .m(["local": .m(["kind": .s("openai"), "model": .s("llama")])])]))
        let report = resolve(file)
        let profile = try #require(report.configuration?.primaryProvider)
        #expect(profile == ProviderProfile(name: "local", kind: .openai, baseURL: "https://api.openai.com/v1", model: "llama", apiKeyEnv: nil, stream: true))
        #expect(report["providers.local.base_url"]?.origin == ConfigOrigin(layer: .defaults, source: "kind openai"))
    }

    /// (what the layers say, the problems expected, as printed)
    static let invalid: [(String, Tree, [String])] = [
        ("a provider naming no profile", .m(["provider": .s("antropic")]),
         ["conductor.yml:1:1: provider: names no provider profile: antropic; did you mean 'anthropic'? (profiles: openai, anthropic, ollama, azure, command, script; define others under providers)"]),
        ("a fallback naming no profile", .m(["fallback": .l([.s("ollama"), .s("gemini:pro")])]),
         ["conductor.yml:1:1: fallback[1]: names no provider profile: gemini (profiles: openai, anthropic, ollama, azure, command, script; define others under providers)"]),
        ("a script profile without a path", .m(["provider": .s("script")]),
         ["conductor.yml:1:1: providers.script.path: is missing: a script profile needs the file of canned answers (the profile is chosen by provider)"]),
        ("an azure profile without endpoint and deployment", .m(["fallback": .l([.s("azure")])]),
         ["conductor.yml:1:1: providers.azure.endpoint: is missing: a azure profile needs the resource endpoint, such as https://<resource>.openai.azure.com (the profile is chosen by fallback[0])",
          "conductor.yml:1:1: providers.azure.deployment: is missing: a azure profile needs the deployment name (the profile is chosen by fallback[0])"]),
        ("a profile of the user's without a kind", .m(["providers": .m(["mine": .m(["model": .s("x")])])]),
         ["conductor.yml:3:1: providers.mine.kind: is missing: say which API the profile mine speaks (openai, anthropic, ollama, azure, command, script)"]),
        ("a field of another kind", .m(["providers": .m(["openai": .m(["endpoint": .s("https://x.openai.azure.com")])])]),
         ["conductor.yml:3:1: providers.openai.endpoint: does not apply to a profile of kind openai; it is for azure profiles"]),
        ("a built-in profile's kind changed", .m(["providers": .m(["openai": .m(["kind": .s("azure")])])]),
         ["conductor.yml:3:1: providers.openai.kind: the built-in profile openai is always of kind openai; define a profile under another name for kind azure"]),
        ("a base URL that is not http", .m(["providers": .m(["ollama": .m(["base_url": .s("localhost:11434")])])]),
         ["conductor.yml:3:1: providers.ollama.base_url: must be an http or https URL, not \"localhost:11434\""]),
        ("a key pasted into api_key_env", .m(["providers": .m(["openai": .m(["api_key_env": .s("sk-proj-abcdefghijklmnopqrstuvwxyz")])])]),
         ["conductor.yml:3:1: providers.openai.api_key_env: must be the name of an environment variable (letters, digits and '_', such as OPENAI_API_KEY), never the key itself; the value is not shown"]),
        ("an unknown preset", .m(["providers": .m(["command": .m(["preset": .s("cursor")])])]),
         ["conductor.yml:3:1: providers.command.preset: must be one of claude, codex, gemini, llm, not \"cursor\""]),
        ("max delay below base delay", .m(["retry": .m(["base_delay_ms": .s("1000"), "max_delay_ms": .s("10")])]),
         ["conductor.yml:3:1: retry.max_delay_ms: retry.max_delay_ms (10) must be at least retry.base_delay_ms (1000)"]),
        ("a price without an output price", .m(["prices": .m(["m": .m(["input_per_mtok": .s("1")])])]),
         ["conductor.yml:3:1: prices.m.output_per_mtok: is missing: a price needs both input_per_mtok and output_per_mtok (US dollars per million tokens)"]),
    ]

    @Test("every problem names the key and where it was written", arguments: invalid.indices)
    func problems(index: Int) {
        let (name, tree, expected) = Self.invalid[index]
        let report = resolve(fileLayer(tree))
        #expect(report.messages == expected, "\(name)")
        #expect(report.configuration == nil, "\(name)")
        #expect(throws: ConfigurationError.self) { try report.effective() }
    }

    @Test("all problems of all layers are reported at once")
    func allAtOnce() {
        let report = resolve(
            fileLayer(.m(["mode": .s("slow"), "verfy": .s("x")]), .user, file: "user.yml"),
            fileLayer(.m(["budgets": .m(["max_iterations": .s("0")])])),
            LayerSettings.environment(["CONDUCTOR_PROVIDER": "nobody"], lowerLayers: [.defaults])
        )
        #expect(report.errors.count == 3)
        #expect(report.warnings.count == 1)
        #expect(report.messages.contains("user.yml:1:1: mode: must be one of fast, streamlined, full, not \"slow\""))
        #expect(report.messages.contains("env CONDUCTOR_PROVIDER: provider: names no provider profile: nobody (profiles: openai, anthropic, ollama, azure, command, script; define others under providers)"))
    }

    @Test("warnings alone leave the configuration usable")
    func warningsOnly() throws {
        let report = resolve(fileLayer(.m(["verfy": .s("x"), "mode": .s("fast")])))
        let effective = try report.effective()
        #expect(effective.configuration.mode == .fast)
        #expect(effective.warnings.map(\.description) == ["conductor.yml:1:1: verfy: unknown key, ignored; did you mean 'verify'?"])
        #expect(effective.setting("mode")?.origin.layer == .repository)
    }

    @Test("settings are listed in table order, profiles after prices, with the path policy and retention decoded")
    func listing() throws {
        let report = resolve(fileLayer(.m([
            "protect": .l([.s("secrets/**")]),
            "worktree": .m(["retention": .s("always")]),
            "prices": .m(["b-model": .m(["input_per_mtok": .s("1"), "output_per_mtok": .s("2")])]),
            "providers": .m(["zed": .m(["kind": .s("script"), "path": .s("a.yml")])]),
        ])))
        let keys = report.settings.map(\.key.description)
        #expect(keys.prefix(3) == ["provider", "model", "fallback"])
        #expect(keys.firstIndex(of: "prices.b-model.input_per_mtok")! < keys.firstIndex(of: "providers.openai.kind")!)
        #expect(keys.last == "providers.zed.path")
        let configuration = try #require(report.configuration)
        #expect(configuration.pathPolicy.violation(for: "secrets/key.pem") == .protected(pattern: "secrets/**"))
        #expect(configuration.worktreeRetention == .always)
        #expect(configuration.prices["b-model"] == PriceSettings(inputPerMillionTokens: 1, outputPerMillionTokens: 2))
    }

    @Test("a key variable that is not a variable name is never listed")
    func hiddenKeyVariable() {
        let report = resolve(fileLayer(.m(["providers": .m(["openai": .m(["api_key_env": .s("sk-proj-abcdefghijklmnop")])])])))
        #expect(report["providers.openai.api_key_env"]?.value == "<hidden: not a variable name>")
    }

    @Test("values that contain a secret are redacted on request")
    func redaction() {
        let value = ConfigValue.list(["llm", "--key", "sk-abcdef123456"])
        #expect(value.redacting(["sk-abcdef123456"]) == .list(["llm", "--key", "<redacted>"]))
        #expect(value.redacting([]) == value)
    }
}
