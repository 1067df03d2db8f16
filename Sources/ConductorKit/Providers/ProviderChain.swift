import ConductorDomain

/// The configured providers of a run and how they are called: the primary profile first,
/// then the fallbacks tried in order; network calls retried and guarded by a circuit
/// breaker; every answer priced. Recorded in the run's `config.json` (no keys in it).
public struct ProviderChain: Sendable, Equatable, Codable {
    public var profiles: [ProviderProfile]
    public var timeouts: HTTPTimeouts
    public var retry: RetrySettings
    public var circuitBreaker: CircuitBreakerSettings
    /// Price overrides by model, on top of the built-in table.
    public var prices: [String: PriceSettings]
    /// The output limit per kind of request (`max_output_tokens.*`); a profile's own
    /// `max_output_tokens` replaces it.
    public var outputLimits: OutputTokenLimits

    public init(
        profiles: [ProviderProfile], timeouts: HTTPTimeouts = HTTPTimeouts(), retry: RetrySettings = RetrySettings(),
        circuitBreaker: CircuitBreakerSettings = CircuitBreakerSettings(), prices: [String: PriceSettings] = [:],
        outputLimits: OutputTokenLimits = OutputTokenLimits()
    ) {
        self.profiles = profiles
        self.timeouts = timeouts
        self.retry = retry
        self.circuitBreaker = circuitBreaker
        self.prices = prices
        self.outputLimits = outputLimits
    }

    /// The chain a configuration describes, with `primary` chosen (configured or detected).
    public init(primary: ProviderProfile, configuration: Configuration) {
        self.init(
            profiles: [primary] + configuration.fallbackProviders, timeouts: configuration.timeouts, retry: configuration.retry,
            circuitBreaker: configuration.circuitBreaker, prices: configuration.prices, outputLimits: configuration.outputLimits
        )
    }

    enum CodingKeys: String, CodingKey {
        case profiles, timeouts, retry, prices
        case circuitBreaker = "circuit_breaker", outputLimits = "max_output_tokens"
    }

    /// A run recorded before output limits existed gets the defaults.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        profiles = try container.decode([ProviderProfile].self, forKey: .profiles)
        timeouts = try container.decode(HTTPTimeouts.self, forKey: .timeouts)
        retry = try container.decode(RetrySettings.self, forKey: .retry)
        circuitBreaker = try container.decode(CircuitBreakerSettings.self, forKey: .circuitBreaker)
        prices = try container.decode([String: PriceSettings].self, forKey: .prices)
        outputLimits = try container.decodeIfPresent(OutputTokenLimits.self, forKey: .outputLimits) ?? OutputTokenLimits()
    }

    /// Whether the primary profile's model takes a sampling temperature. Reasoning models
    /// (``ModelCapabilities``) do not: requests to them carry none, so raising it (the loop
    /// guardian's escalation) changes nothing.
    public var allowsTemperature: Bool {
        profiles.first?.modelCapabilities.allowsTemperature ?? true
    }

    /// The environment variables that hold this chain's keys: what a redactor must know.
    public var keyVariables: [String] {
        profiles.compactMap(\.apiKeyEnv)
    }

    func makeProvider(_ context: ProviderSpec.Context) throws(ConductorError) -> any Provider {
        var members: [any Provider] = []
        // One memory for the chain, so members never overwrite each other's entries.
        let memory = StructuredOutputMemory(repository: context.repository)
        for profile in profiles { members.append(try member(profile, context, memory: memory)) }
        let chained: any Provider = members.count == 1 ? members[0] : FallbackProvider(members, observer: context.observer)
        let overrides = prices.mapValues { ModelPrice(input: $0.inputPerMillionTokens, output: $0.outputPerMillionTokens, cachedInput: $0.cachedInputPerMillionTokens) }
        return PricedProvider(chained, prices: PriceTable(overrides: overrides))
    }

    /// One profile's provider; network ones retried and behind their circuit breaker.
    private func member(_ profile: ProviderProfile, _ context: ProviderSpec.Context, memory: StructuredOutputMemory) throws(ConductorError) -> any Provider {
        let environment = context.repository.environment
        let key = APIKey(profile.apiKeyEnv.flatMap { environment[$0] })
        let limits = profile.outputLimits(outputLimits)
        let base: any Provider
        do {
            switch profile.kind {
            case .script:
                return try ProviderSpec.script(path: profile.path ?? "").makeProvider(context)
            case .command:
                let preset = profile.command.map { CommandPreset.custom($0, output: .text) } ?? CommandPreset.builtIn[profile.preset?.rawValue ?? "claude"] ?? .claude
                return CommandProvider(
                    preset: preset, workingDirectory: context.workingDirectory, model: profile.model, agentic: profile.agentic,
                    timeout: .seconds(timeouts.total), environment: environment,
                    redactor: SecretRedactor(environment: environment, keyVariables: keyVariables)
                )
            case .openai:
                base = try OpenAIProvider(settings: OpenAISettings(
                    name: profile.name, baseURL: profile.baseURL ?? OpenAISettings.defaultBaseURL, model: try model(of: profile),
                    apiKey: key, apiKeyVariable: profile.apiKeyEnv ?? "OPENAI_API_KEY", stream: profile.stream, timeouts: timeouts,
                    capabilities: profile.modelCapabilities, outputLimits: limits, reasoningEffort: profile.reasoningEffort
                ), memory: memory)
            case .anthropic:
                base = try AnthropicProvider(settings: AnthropicSettings(
                    name: profile.name, baseURL: profile.baseURL ?? AnthropicSettings.defaultBaseURL, model: try model(of: profile),
                    apiKey: key, apiKeyVariable: profile.apiKeyEnv ?? "ANTHROPIC_API_KEY", stream: profile.stream, timeouts: timeouts,
                    outputLimits: limits
                ), memory: memory)
            case .ollama:
                base = try OllamaProvider(settings: OllamaSettings(
                    name: profile.name, baseURL: profile.baseURL ?? OllamaSettings.defaultBaseURL, model: try model(of: profile),
                    apiKey: key, apiKeyVariable: profile.apiKeyEnv, stream: profile.stream, timeouts: timeouts, outputLimits: limits
                ), memory: memory)
            case .azure:
                base = try AzureOpenAIProvider(settings: AzureOpenAISettings(
                    name: profile.name, endpoint: profile.endpoint ?? "", deployment: profile.deployment ?? "",
                    apiVersion: profile.apiVersion ?? AzureOpenAISettings.defaultAPIVersion, apiKey: key,
                    apiKeyVariable: profile.apiKeyEnv ?? "AZURE_OPENAI_API_KEY", stream: profile.stream, timeouts: timeouts,
                    capabilities: profile.modelCapabilities, outputLimits: limits, reasoningEffort: profile.reasoningEffort
                ), memory: memory)
            }
        } catch let error as ProviderError {
            throw .providerUnavailable(profile.name, detail: error.description)
        } catch let error as ConductorError {
            throw error
        } catch {
            throw .providerUnavailable(profile.name, detail: "\(error)")
        }
        let policy = ProviderRetryPolicy(
            maxAttempts: retry.maxAttempts, baseDelay: Double(retry.baseDelayMilliseconds) / 1000,
            maxDelay: Double(retry.maxDelayMilliseconds) / 1000, maxTotalWait: retry.maxTotalWaitSeconds
        )
        let breaker = CircuitBreaker(provider: profile.name, policy: CircuitBreakerPolicy(failureThreshold: circuitBreaker.failureThreshold, coolDown: circuitBreaker.coolDownSeconds))
        return ResilientProvider(base, policy: policy, breaker: breaker, observer: context.observer)
    }

    private func model(of profile: ProviderProfile) throws(ConductorError) -> String {
        guard let model = profile.model, !model.isEmpty else {
            throw .providerUnavailable(profile.name, detail: "no model is configured; set providers.\(profile.name).model or pass --model")
        }
        return model
    }
}
