import ConductorDomain
import Testing

@Suite("Configuration keys")
struct ConfigKeyTests {
    @Test("dotted keys parse and print back; names with dots are quoted", arguments: [
        ("mode", ["mode"]),
        ("budgets.max_tokens", ["budgets", "max_tokens"]),
        ("providers.my-proxy.base_url", ["providers", "my-proxy", "base_url"]),
        ("prices.\"gpt-4.1\".input_per_mtok", ["prices", "gpt-4.1", "input_per_mtok"]),
        ("prices.\"qwen2.5-coder:7b\".output_per_mtok", ["prices", "qwen2.5-coder:7b", "output_per_mtok"]),
    ])
    func dotted(text: String, segments: [String]) throws {
        let key = try #require(ConfigKey(parsing: text))
        #expect(key.segments == segments)
        #expect(key.description == text)
    }

    @Test("malformed dotted keys are refused", arguments: ["", ".", "a..b", "a.", ".a", "a.\"b", "a\"b\""])
    func malformed(text: String) {
        #expect(ConfigKey(parsing: text) == nil)
    }

    @Test("git spelling: kebab-case for schema names, user names kept; and back", arguments: [
        ("provider", "conductor.provider"),
        ("budgets.max_tokens", "conductor.budgets.max-tokens"),
        ("diff_limits.max_changed_lines", "conductor.diff-limits.max-changed-lines"),
        ("providers.openai.base_url", "conductor.providers.openai.base-url"),
        ("providers.my_proxy.api_key_env", "conductor.providers.my_proxy.api-key-env"),
        ("prices.\"gpt-4.1\".input_per_mtok", "conductor.prices.gpt-4.1.input-per-mtok"),
    ])
    func git(dotted: String, gitName: String) throws {
        let key = try #require(ConfigKey(parsing: dotted))
        #expect(key.gitName == gitName)
        #expect(ConfigKey(gitName: gitName) == key)
    }

    @Test("git names are read as git reads them: section and variable in any case")
    func gitCase() {
        #expect(ConfigKey(gitName: "Conductor.Budgets.MAX-TOKENS") == "budgets.max_tokens")
        #expect(ConfigKey(gitName: "conductor.providers.MyProxy.base-url")?.segments == ["providers", "MyProxy", "base_url"])
        #expect(ConfigKey(gitName: "user.name") == nil)
        #expect(ConfigKey(gitName: "conductor") == nil)
    }

    @Test("environment spelling", arguments: [
        ("provider", "CONDUCTOR_PROVIDER"),
        ("budgets.max_tokens", "CONDUCTOR_BUDGETS_MAX_TOKENS"),
        ("circuit_breaker.cool_down_seconds", "CONDUCTOR_CIRCUIT_BREAKER_COOL_DOWN_SECONDS"),
        ("providers.my-proxy.base_url", "CONDUCTOR_PROVIDERS_MY_PROXY_BASE_URL"),
        ("prices.\"gpt-4.1\".input_per_mtok", "CONDUCTOR_PRICES_GPT_4_1_INPUT_PER_MTOK"),
    ])
    func environment(dotted: String, name: String) throws {
        #expect(try #require(ConfigKey(parsing: dotted)).environmentName == name)
    }

    @Test("suggestions come from close spellings only", arguments: [
        ("verfy", ["verify", "mode"], "verify"),
        ("modee", ["verify", "mode"], "mode"),
        ("max_token", ["max_tokens", "max_iterations"], "max_tokens"),
        ("streamline", ["fast", "streamlined", "full"], "streamlined"),
        ("banana", ["verify", "mode"], nil),
        ("api_key", ["api_key_env", "kind", "model"], nil),
    ] as [(String, [String], String?)])
    func suggestions(word: String, candidates: [String], expected: String?) {
        #expect(Suggestion.closest(to: word, among: candidates) == expected)
    }

    @Test("edit distance counts a swap of neighbours as one edit")
    func editDistance() {
        #expect(Suggestion.editDistance("verify", "verfiy") == 1)
        #expect(Suggestion.editDistance("kitten", "sitting") == 3)
        #expect(Suggestion.editDistance("", "abc") == 3)
    }

    @Test("secret-looking names", arguments: [
        ("api_key", true), ("api-key", true), ("token", true), ("password", true), ("github_token", true),
        ("openai_api_key", true), ("client_secret", true),
        ("api_key_env", false), ("max_tokens", false), ("context_budget_tokens", false), ("model", false),
    ])
    func secrets(name: String, isSecret: Bool) {
        #expect(ConfigSchema.looksLikeSecret(name) == isSecret)
    }
}
