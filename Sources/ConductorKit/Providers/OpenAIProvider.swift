import ConductorDomain

/// How to reach an OpenAI Chat Completions API: OpenAI itself or any compatible server
/// (llama.cpp's server, vLLM, LM Studio, OpenRouter, Together…) at `baseURL`.
///
/// Deliberately not `Codable`: it holds the API key, and a key is never written anywhere.
public struct OpenAISettings: Sendable, Equatable {
    /// Recorded as the provider's name; a compatible server may be given its own ("vllm").
    public var name: String
    /// Up to and including the version path: the call goes to `{baseURL}/chat/completions`.
    public var baseURL: String
    public var model: String
    /// Sent as `Authorization: Bearer …`; local servers often need none.
    public var apiKey: APIKey?
    /// Where the key comes from, named in the message for a refused key.
    public var apiKeyVariable: String
    /// Stream the answer (server-sent events), with `stream_options.include_usage`.
    public var stream: Bool
    public var timeouts: HTTPTimeouts
    /// `max_tokens` (the compatible servers) or `max_completion_tokens` (OpenAI's newer models).
    public var tokenLimitField: OpenAIChatWire.TokenLimitField
    /// What the model accepts; nil looks it up by model name (``ModelCapabilities/of(model:)``).
    public var capabilities: ModelCapabilities?
    /// The output limit per kind of request, for requests that set none.
    public var outputLimits: OutputTokenLimits
    /// Sent as `reasoning_effort` to models that take it.
    public var reasoningEffort: ReasoningEffort?

    public static let defaultBaseURL = "https://api.openai.com/v1"

    public init(
        name: String = "openai", baseURL: String = defaultBaseURL, model: String, apiKey: APIKey? = nil,
        apiKeyVariable: String = "OPENAI_API_KEY", stream: Bool = true, timeouts: HTTPTimeouts = HTTPTimeouts(),
        tokenLimitField: OpenAIChatWire.TokenLimitField = .maxTokens,
        capabilities: ModelCapabilities? = nil, outputLimits: OutputTokenLimits = OutputTokenLimits(), reasoningEffort: ReasoningEffort? = nil
    ) {
        self.name = name
        self.baseURL = baseURL
        self.model = model
        self.apiKey = apiKey
        self.apiKeyVariable = apiKeyVariable
        self.stream = stream
        self.timeouts = timeouts
        self.tokenLimitField = tokenLimitField
        self.capabilities = capabilities
        self.outputLimits = outputLimits
        self.reasoningEffort = reasoningEffort
    }

    /// The capabilities calls use: the configured or looked-up ones, with
    /// `max_completion_tokens` when ``tokenLimitField`` asks for it.
    var effectiveCapabilities: ModelCapabilities {
        var capabilities = capabilities ?? ModelCapabilities.of(model: model)
        if tokenLimitField == .maxCompletionTokens { capabilities.limitField = .maxCompletionTokens }
        return capabilities
    }
}

/// The `openai` provider: Chat Completions, streamed or not.
public struct OpenAIProvider: ModelReporting {
    public let settings: OpenAISettings
    private let exchange: ChatCompletionsExchange

    public var name: String { settings.name }
    public var model: String? { settings.model }

    /// - Parameters:
    ///   - onDelta: receives each piece of a streamed answer as it arrives.
    ///   - clock: "now" for a `Retry-After` given as a date.
    /// - Throws: ``ProviderError/transport(provider:detail:)`` when `baseURL` is not an
    ///   http(s) URL.
    ///   - memory: where the structured-output form that worked is remembered.
    public init(
        settings: OpenAISettings, onDelta: StreamDeltaHandler? = nil, clock: any Clock = SystemClock(), memory: StructuredOutputMemory? = nil
    ) throws(ProviderError) {
        self.settings = settings
        let base = try ProviderURL.base(settings.baseURL, setting: "base_url", provider: settings.name)
        let reader = APIAnswerReader(
            provider: settings.name,
            context: .init(model: settings.model, credentialVariable: settings.apiKeyVariable, endpoint: base),
            key: settings.apiKey, clock: clock
        )
        exchange = ChatCompletionsExchange(
            transport: HTTPTransport(provider: settings.name, timeouts: settings.timeouts), reader: reader,
            url: base + "/chat/completions",
            credential: settings.apiKey.map(CredentialHeader.bearer),
            bodyModel: settings.model, configuredModel: settings.model, stream: settings.stream,
            capabilities: settings.effectiveCapabilities, outputLimits: settings.outputLimits, reasoningEffort: settings.reasoningEffort,
            structured: StructuredOutputLadder(api: .chatCompletions, profile: settings.name, endpoint: base, memory: memory), onDelta: onDelta
        )
    }

    public func complete(_ request: ProviderRequest) async throws(ProviderError) -> ProviderResponse {
        try await exchange.complete(request)
    }

    /// Whether requests carry `temperature` (not for reasoning models).
    public var allowsTemperature: Bool { settings.effectiveCapabilities.allowsTemperature }
}
