/// What a run needs from configuration, typed and checked: the result of merging every layer
/// (docs/configuration.md). Built only by ``ConfigurationResolver``, so a value of this type
/// has passed validation: every profile named by `provider` and `fallback` exists and is
/// complete, every number is in range.
public struct Configuration: Sendable, Equatable {
    /// The profile named by `provider`, as written (`anthropic`, `ollama:qwen2.5-coder`); nil
    /// when none is configured, in which case the caller auto-detects one.
    public var provider: ProviderReference?
    /// Overrides the chosen profile's model.
    public var model: String?
    /// Profiles tried in order when the primary fails.
    public var fallback: [ProviderReference]
    public var mode: RunMode
    /// The verify commands, each with its timeout (its own, or `verify_timeout_seconds`).
    public var verify: [VerifyCommand]
    public var verifyTimeoutSeconds: Int
    /// Glob patterns the model may not edit.
    public var protect: [String]
    /// How many tokens of repository files a prompt may carry.
    public var contextBudgetTokens: Int
    public var budgets: LoopLimits
    public var diffLimits: DiffLimits
    public var worktreeRetention: WorktreeRetention
    public var timeouts: HTTPTimeouts
    public var retry: RetrySettings
    public var circuitBreaker: CircuitBreakerSettings
    /// Price overrides by model name, over the built-in price table.
    public var prices: [String: PriceSettings]
    /// Every profile: the built-in ones and those the configuration defines, by name.
    public var providers: [String: ProviderProfile]
    /// Where to announce a finished run.
    public var notify = NotifySettings()
    /// The output limit of each kind of request (`max_output_tokens.*`); a profile's
    /// `max_output_tokens` replaces them for that profile.
    public var outputLimits = OutputTokenLimits()

    /// The built-in defaults alone, for callers (and tests) that have no layers to read.
    public static var defaults: Configuration {
        guard let configuration = ConfigurationResolver.resolve([.defaults]).configuration else {
            preconditionFailure("the built-in defaults do not validate")
        }
        return configuration
    }

    /// The paths the model may not write.
    public var pathPolicy: PathPolicy { PathPolicy(protected: protect) }

    /// The profile that answers first, with `model` (or the model in `provider: name:model`)
    /// applied; nil when no provider is configured.
    public var primaryProvider: ProviderProfile? {
        guard let provider, var profile = providers[provider.profile] else { return nil }
        if let model = model ?? provider.model { profile.model = model }
        return profile
    }

    /// The fallback profiles in order, each with its own model override applied.
    public var fallbackProviders: [ProviderProfile] {
        fallback.compactMap { reference in
            guard var profile = providers[reference.profile] else { return nil }
            if let model = reference.model { profile.model = model }
            return profile
        }
    }
}

/// `name` or `name:model`: a profile, and optionally the model to ask it for. The name
/// cannot hold `:`, so everything after the first one is the model (`ollama:qwen2.5-coder:7b`).
public struct ProviderReference: Sendable, Hashable, CustomStringConvertible {
    public let profile: String
    public let model: String?

    public init(profile: String, model: String? = nil) {
        self.profile = profile
        self.model = model
    }

    /// Nil when the name or the model is empty.
    public init?(parsing text: String) {
        guard let colon = text.firstIndex(of: ":") else {
            guard !text.isEmpty else { return nil }
            self.init(profile: text)
            return
        }
        let profile = String(text[..<colon]), model = String(text[text.index(after: colon)...])
        guard !profile.isEmpty, !model.isEmpty else { return nil }
        self.init(profile: profile, model: model)
    }

    public var description: String { model.map { "\(profile):\($0)" } ?? profile }
}

/// One provider profile: which API it speaks and how to reach it. It names the environment
/// variable that holds the key (`apiKeyEnv`), never the key.
public struct ProviderProfile: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case openai, anthropic, ollama, azure, command, script
    }

    /// The command-line agents the command provider knows how to drive.
    public enum Preset: String, Sendable, CaseIterable {
        case claude, codex, gemini, llm
    }

    public var name: String
    public var kind: Kind
    /// openai, anthropic, ollama: the API's root (`https://api.openai.com/v1`).
    public var baseURL: String?
    public var model: String?
    /// The environment variable holding the API key.
    public var apiKeyEnv: String?
    /// Whether to ask for a streamed answer where the API offers one.
    public var stream: Bool
    /// azure: `https://<resource>.openai.azure.com`, the deployment, and `api-version`.
    public var endpoint: String?
    public var deployment: String?
    public var apiVersion: String?
    /// command: which CLI's conventions (argv and output format) to use.
    public var preset: Preset?
    /// command: the argv to run instead of the preset's.
    public var command: [String]?
    /// command: whether the CLI edits the run's worktree itself.
    public var agentic: Bool
    /// script: the file of canned answers.
    public var path: String?
    /// openai, anthropic, ollama, azure: the output limit of every request through this
    /// profile, over `max_output_tokens.*`.
    public var maxOutputTokens: Int?
    /// openai, azure: what the model is, over the table (``ModelCapabilities``).
    public var capabilities: ModelCapabilityOverride?
    /// openai, azure: sent as `reasoning_effort` to models that take it.
    public var reasoningEffort: ReasoningEffort?

    public init(
        name: String, kind: Kind, baseURL: String? = nil, model: String? = nil, apiKeyEnv: String? = nil, stream: Bool = true,
        endpoint: String? = nil, deployment: String? = nil, apiVersion: String? = nil, preset: Preset? = nil,
        command: [String]? = nil, agentic: Bool = false, path: String? = nil, maxOutputTokens: Int? = nil,
        capabilities: ModelCapabilityOverride? = nil, reasoningEffort: ReasoningEffort? = nil
    ) {
        self.name = name
        self.kind = kind
        self.baseURL = baseURL
        self.model = model
        self.apiKeyEnv = apiKeyEnv
        self.stream = stream
        self.endpoint = endpoint
        self.deployment = deployment
        self.apiVersion = apiVersion
        self.preset = preset
        self.command = command
        self.agentic = agentic
        self.path = path
        self.maxOutputTokens = maxOutputTokens
        self.capabilities = capabilities
        self.reasoningEffort = reasoningEffort
    }

    /// The output limits of calls through this profile: its own `max_output_tokens` for every
    /// kind when set, else `configured`.
    public func outputLimits(_ configured: OutputTokenLimits) -> OutputTokenLimits {
        maxOutputTokens.map(OutputTokenLimits.init(all:)) ?? configured
    }

    /// What the profile's model accepts: the table's answer for its model (the deployment's
    /// name for Azure), or the profile's `capabilities`.
    public var modelCapabilities: ModelCapabilities {
        switch kind {
        case .openai: ModelCapabilities.of(model: model, override: capabilities)
        case .azure: ModelCapabilities.of(model: model ?? deployment, override: capabilities)
        // Temperature is the only capability the other APIs share, and they all take it.
        case .anthropic, .ollama, .command, .script: .standard
        }
    }

    /// The fields that mean something for each kind; setting another is an error rather
    /// than silently ignored, because it usually means the profile's kind is not what the
    /// user thinks.
    public static func applicableFields(for kind: Kind) -> Set<String> {
        let common: Set = ["kind", "model"]
        return switch kind {
        case .openai: common.union(["base_url", "api_key_env", "stream", "max_output_tokens", "capabilities", "reasoning_effort"])
        case .anthropic, .ollama: common.union(["base_url", "api_key_env", "stream", "max_output_tokens"])
        case .azure: common.union(["endpoint", "deployment", "api_version", "api_key_env", "stream", "max_output_tokens", "capabilities", "reasoning_effort"])
        case .command: common.union(["preset", "command", "agentic"])
        case .script: common.union(["path"])
        }
    }

    /// The base URL a profile of this kind uses when it names none.
    public static func defaultBaseURL(for kind: Kind) -> String? {
        switch kind {
        case .openai: "https://api.openai.com/v1"
        case .anthropic: "https://api.anthropic.com"
        case .ollama: "http://127.0.0.1:11434"
        case .azure, .command, .script: nil
        }
    }
}

/// Retrying a failed provider call: exponential backoff with full jitter, capped in attempts
/// and in total waiting.
public struct RetrySettings: Sendable, Equatable {
    /// Attempts in all, the first included: 1 means no retry.
    public var maxAttempts: Int
    public var baseDelayMilliseconds: Int
    public var maxDelayMilliseconds: Int
    /// The most time spent waiting between attempts, over the whole call.
    public var maxTotalWaitSeconds: Double

    public init(maxAttempts: Int = 4, baseDelayMilliseconds: Int = 500, maxDelayMilliseconds: Int = 30_000, maxTotalWaitSeconds: Double = 120) {
        self.maxAttempts = maxAttempts
        self.baseDelayMilliseconds = baseDelayMilliseconds
        self.maxDelayMilliseconds = maxDelayMilliseconds
        self.maxTotalWaitSeconds = maxTotalWaitSeconds
    }
}

/// The circuit breaker of each provider: open after so many failures in a row, half-open
/// after the cool-down.
public struct CircuitBreakerSettings: Sendable, Equatable {
    public var failureThreshold: Int
    public var coolDownSeconds: Double

    public init(failureThreshold: Int = 5, coolDownSeconds: Double = 30) {
        self.failureThreshold = failureThreshold
        self.coolDownSeconds = coolDownSeconds
    }
}

/// A best-effort announcement when a run ends: a JSON summary POSTed to a webhook.
public struct NotifySettings: Sendable, Equatable {
    /// An http or https URL; nil sends nothing.
    public var webhook: String?
    /// How long the POST may take; a slow or dead webhook never holds a run up for longer.
    public var timeoutSeconds: Double

    public init(webhook: String? = nil, timeoutSeconds: Double = 5) {
        self.webhook = webhook
        self.timeoutSeconds = timeoutSeconds
    }
}

/// A model's price in US dollars per million tokens.
public struct PriceSettings: Sendable, Equatable {
    public var inputPerMillionTokens: Double
    public var outputPerMillionTokens: Double
    /// Nil when the provider does not discount cached input (or it is not known).
    public var cachedInputPerMillionTokens: Double?

    public init(inputPerMillionTokens: Double, outputPerMillionTokens: Double, cachedInputPerMillionTokens: Double? = nil) {
        self.inputPerMillionTokens = inputPerMillionTokens
        self.outputPerMillionTokens = outputPerMillionTokens
        self.cachedInputPerMillionTokens = cachedInputPerMillionTokens
    }
}

// A run records the provider settings it was started with (its `config.json`), so that
// `resume` and `replay` rebuild the same providers; the keys are the configuration's own.

extension ProviderProfile.Kind: Codable {}
extension ProviderProfile.Preset: Codable {}

extension ProviderProfile: Codable {
    enum CodingKeys: String, CodingKey {
        case name, kind, model, stream, endpoint, deployment, preset, command, agentic, path, capabilities
        case baseURL = "base_url", apiKeyEnv = "api_key_env", apiVersion = "api_version"
        case maxOutputTokens = "max_output_tokens", reasoningEffort = "reasoning_effort"
    }
}


extension RetrySettings: Codable {
    enum CodingKeys: String, CodingKey {
        case maxAttempts = "max_attempts", baseDelayMilliseconds = "base_delay_ms"
        case maxDelayMilliseconds = "max_delay_ms", maxTotalWaitSeconds = "max_total_wait_seconds"
    }
}

extension CircuitBreakerSettings: Codable {
    enum CodingKeys: String, CodingKey {
        case failureThreshold = "failure_threshold", coolDownSeconds = "cool_down_seconds"
    }
}

extension PriceSettings: Codable {
    enum CodingKeys: String, CodingKey {
        case inputPerMillionTokens = "input_per_mtok", outputPerMillionTokens = "output_per_mtok"
        case cachedInputPerMillionTokens = "cached_input_per_mtok"
    }
}
