/// Every key the configuration knows, its type and its default, in one table: the flattening
/// of each layer, the git and environment spellings, validation, `config show` and
/// docs/configuration.md all follow it, so a key added here is known everywhere at once.
public enum ConfigSchema {
    /// What a key holds. Ranges are checked with the type, so each layer's value is checked
    /// where it was written.
    public enum ValueType: Sendable, Equatable {
        case text(nullable: Bool)
        case integer(minimum: Int, nullable: Bool)
        /// A number, fraction allowed; `exclusive` when the minimum itself is not allowed.
        case number(minimum: Double, exclusive: Bool, nullable: Bool)
        case boolean
        case choice([String], nullable: Bool)
        /// Strings; comma-separated in the environment, one entry per value in git config.
        case textList
        /// Verify commands: each a string, or `{command, timeout_seconds, junit}`.
        case verifyList
    }

    /// A node of the key tree.
    public indirect enum Node: Sendable, Equatable {
        case leaf(ValueType)
        case group([Field])
        /// Names chosen by the user (provider profiles, models under `prices`), each holding
        /// the same fields.
        case entries([Field])
    }

    public struct Field: Sendable, Equatable {
        public let name: String
        public let node: Node

        init(_ name: String, _ node: Node) {
            self.name = name
            self.node = node
        }
    }

    // MARK: The table

    static let providerKinds = ["openai", "anthropic", "ollama", "azure", "command", "script"]
    static let commandPresets = ["claude", "codex", "gemini", "llm"]

    /// The fields of one provider profile. Which fields apply to which kind is checked after
    /// the layers are merged (``ProviderProfile/applicableFields``).
    public static let profileFields: [Field] = [
        Field("kind", .leaf(.choice(providerKinds, nullable: false))),
        Field("base_url", .leaf(.text(nullable: true))),
        Field("model", .leaf(.text(nullable: true))),
        Field("api_key_env", .leaf(.text(nullable: true))),
        Field("stream", .leaf(.boolean)),
        Field("endpoint", .leaf(.text(nullable: true))),
        Field("deployment", .leaf(.text(nullable: true))),
        Field("api_version", .leaf(.text(nullable: true))),
        Field("preset", .leaf(.choice(commandPresets, nullable: true))),
        Field("command", .leaf(.textList)),
        Field("agentic", .leaf(.boolean)),
        Field("path", .leaf(.text(nullable: true))),
        Field("max_output_tokens", .leaf(.integer(minimum: 1, nullable: true))),
        Field("capabilities", .leaf(.choice(ModelCapabilityOverride.allCases.map(\.rawValue), nullable: true))),
        Field("reasoning_effort", .leaf(.choice(ReasoningEffort.allCases.map(\.rawValue), nullable: true))),
    ]

    public static let priceFields: [Field] = [
        Field("input_per_mtok", .leaf(.number(minimum: 0, exclusive: false, nullable: false))),
        Field("output_per_mtok", .leaf(.number(minimum: 0, exclusive: false, nullable: false))),
        Field("cached_input_per_mtok", .leaf(.number(minimum: 0, exclusive: false, nullable: true))),
    ]

    private static func count(min: Int = 1, nullable: Bool = false) -> Node {
        .leaf(.integer(minimum: min, nullable: nullable))
    }

    private static func seconds(min: Double = 0, exclusive: Bool = true) -> Node {
        .leaf(.number(minimum: min, exclusive: exclusive, nullable: false))
    }

    public static let root: [Field] = [
        Field("provider", .leaf(.text(nullable: true))),
        Field("model", .leaf(.text(nullable: true))),
        Field("fallback", .leaf(.textList)),
        Field("mode", .leaf(.choice(RunMode.allCases.map(\.rawValue), nullable: false))),
        Field("verify", .leaf(.verifyList)),
        Field("verify_timeout_seconds", count()),
        Field("protect", .leaf(.textList)),
        Field("context_budget_tokens", count(min: 0)),
        Field("max_output_tokens", .group(RequestPurpose.allCases.map { Field($0.rawValue, count()) })),
        Field("budgets", .group([
            Field("max_iterations", count()),
            Field("max_wall_seconds", count()),
            Field("max_tokens", count(nullable: true)),
            Field("max_cost_usd", .leaf(.number(minimum: 0, exclusive: true, nullable: true))),
        ])),
        Field("diff_limits", .group([
            Field("max_files", count(nullable: true)),
            Field("max_changed_lines", count(nullable: true)),
        ])),
        Field("worktree", .group([
            Field("retention", .leaf(.choice(WorktreeRetention.allCases.map(\.rawValue), nullable: false))),
        ])),
        Field("timeouts", .group([
            Field("connect_seconds", seconds()),
            Field("idle_read_seconds", seconds()),
            Field("total_seconds", seconds()),
        ])),
        Field("retry", .group([
            Field("max_attempts", count()),
            Field("base_delay_ms", count(min: 0)),
            Field("max_delay_ms", count(min: 0)),
            Field("max_total_wait_seconds", seconds(exclusive: false)),
        ])),
        Field("circuit_breaker", .group([
            Field("failure_threshold", count()),
            Field("cool_down_seconds", seconds(exclusive: false)),
        ])),
        Field("prices", .entries(priceFields)),
        Field("providers", .entries(profileFields)),
        Field("notify", .group([
            Field("webhook", .leaf(.text(nullable: true))),
            Field("timeout_seconds", seconds()),
        ])),
    ]

    // MARK: Defaults

    /// The built-in provider profiles and the values they start with. A profile the user
    /// defines under another name inherits none of these (see docs/configuration.md).
    public static let builtInProfiles: [(name: String, fields: [(String, ConfigValue)])] = [
        ("openai", [
            ("kind", "openai"), ("base_url", "https://api.openai.com/v1"), ("model", "gpt-4o"),
            ("api_key_env", "OPENAI_API_KEY"), ("stream", true),
        ]),
        ("anthropic", [
            ("kind", "anthropic"), ("base_url", "https://api.anthropic.com"), ("model", "claude-sonnet-4-5"),
            ("api_key_env", "ANTHROPIC_API_KEY"), ("stream", true),
        ]),
        ("ollama", [
            ("kind", "ollama"), ("base_url", "http://127.0.0.1:11434"), ("model", "qwen2.5-coder"), ("stream", true),
        ]),
        ("azure", [
            ("kind", "azure"), ("api_key_env", "AZURE_OPENAI_API_KEY"), ("api_version", "2024-10-21"), ("stream", true),
        ]),
        ("command", [("kind", "command"), ("preset", "claude"), ("agentic", false)]),
        ("script", [("kind", "script")]),
    ]

    public static var builtInProfileNames: [String] { builtInProfiles.map(\.name) }

    /// Every default, in table order; `config show --effective` lists keys in this order.
    public static let defaults: [(ConfigKey, ConfigValue)] = {
        var values: [(ConfigKey, ConfigValue)] = [
            ("provider", .null), ("model", .null), ("fallback", .list([])), ("mode", .string(RunMode.streamlined.rawValue)),
            ("verify", .list([])), ("verify_timeout_seconds", 600), ("protect", .list([])),
            ("context_budget_tokens", 8000),
            ("max_output_tokens.spec", .integer(OutputTokenLimits.defaultSpec)),
            ("max_output_tokens.plan", .integer(OutputTokenLimits.defaultPlan)),
            ("max_output_tokens.build", .integer(OutputTokenLimits.defaultBuild)),
            ("max_output_tokens.repair", .integer(OutputTokenLimits.defaultRepair)),
            ("budgets.max_iterations", 8), ("budgets.max_wall_seconds", 3600), ("budgets.max_tokens", .null),
            ("budgets.max_cost_usd", .null),
            ("diff_limits.max_files", .integer(DiffLimits.defaultMaxFiles)),
            ("diff_limits.max_changed_lines", .integer(DiffLimits.defaultMaxChangedLines)),
            ("worktree.retention", .string(WorktreeRetention.default.rawValue)),
            ("timeouts.connect_seconds", 10), ("timeouts.idle_read_seconds", 120), ("timeouts.total_seconds", 600),
            ("retry.max_attempts", 4), ("retry.base_delay_ms", 500), ("retry.max_delay_ms", 30000),
            ("retry.max_total_wait_seconds", 120),
            ("circuit_breaker.failure_threshold", 5), ("circuit_breaker.cool_down_seconds", 30),
            ("notify.webhook", .null), ("notify.timeout_seconds", 5),
        ]
        for profile in builtInProfiles {
            for (field, value) in profile.fields {
                values.append((ConfigKey(["providers", profile.name, field]), value))
            }
        }
        return values
    }()

    /// The iteration limit when `mode` is `fast` and nothing else sets one: a fast run is
    /// meant to be a short one.
    public static let fastModeMaxIterations = 3

    // MARK: Looking keys up

    /// The schema node at `key`; nil when the key is not in the schema.
    public static func node(at key: ConfigKey) -> Node? {
        var fields = root
        var node: Node?
        var index = 0
        while index < key.segments.count {
            let name = key.segments[index]
            guard let field = fields.first(where: { $0.name == name }) else { return nil }
            node = field.node
            index += 1
            switch field.node {
            case .leaf:
                return index == key.segments.count ? node : nil
            case .group(let children):
                fields = children
            case .entries(let children):
                // The next segment is a name of the user's; the one after is a field.
                guard index < key.segments.count else { return node }
                index += 1
                fields = children
                if index == key.segments.count { return .group(children) }
            }
        }
        return node
    }

    /// The value type at `key`, when it is a leaf.
    public static func type(at key: ConfigKey) -> ValueType? {
        if case .leaf(let type) = node(at: key) { return type }
        return nil
    }

    /// The names allowed directly under `key` (the root when nil), for suggestions.
    static func fieldNames(under key: ConfigKey?) -> [String] {
        guard let key else { return root.map(\.name) }
        if case .group(let fields) = node(at: key) { return fields.map(\.name) }
        return []
    }

    /// Every leaf key that needs no name of the user's, in table order (docs/configuration.md
    /// lists them all; a test holds it to that).
    public static let fixedLeafKeys: [ConfigKey] = {
        var keys: [ConfigKey] = []
        for field in root {
            switch field.node {
            case .leaf: keys.append(ConfigKey([field.name]))
            case .group(let children): keys += children.map { ConfigKey([field.name, $0.name]) }
            case .entries: break
            }
        }
        return keys
    }()

    /// The top-level names whose children are names of the user's (`providers`, `prices`).
    static let entryGroups: [(name: String, fields: [Field])] = root.compactMap { field in
        if case .entries(let fields) = field.node { return (field.name, fields) }
        return nil
    }

    /// True for keys (case and `-` aside) that would hold a secret. Secrets never belong in
    /// configuration, which is shown, committed and copied around: only the name of the
    /// environment variable holding one does (`api_key_env`).
    public static func looksLikeSecret(_ name: String) -> Bool {
        let name = name.lowercased().replacingDashes()
        let exact: Set = [
            "key", "api_key", "apikey", "token", "access_token", "auth_token", "bearer", "password", "passwd",
            "secret", "client_secret", "authorization", "credential", "credentials",
        ]
        if exact.contains(name) { return true }
        return ["_api_key", "_apikey", "_token", "_password", "_secret", "_credentials"].contains { name.hasSuffix($0) }
    }

    /// The message for a secret-looking key.
    static func secretMessage(profileKey: ConfigKey?) -> String {
        let hint = profileKey.map { "set \($0.appending("api_key_env")) to the name of the environment variable that holds the key" }
            ?? "set providers.<name>.api_key_env to the name of the environment variable that holds the key"
        return "secrets are not accepted in configuration, which is shown and often committed; \(hint) (for example OPENAI_API_KEY)"
    }
}

extension String {
    func replacingDashes() -> String {
        String(map { $0 == "-" ? "_" : $0 })
    }
}

extension ConfigValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral, ExpressibleByFloatLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .integer(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
}
