import ConductorDomain

/// How to reach an Azure OpenAI deployment.
///
/// Deliberately not `Codable`: it holds the API key, and a key is never written anywhere.
public struct AzureOpenAISettings: Sendable, Equatable {
    public var name: String
    /// The resource's endpoint, `https://{resource}.openai.azure.com`.
    public var endpoint: String
    /// The deployment's name, which stands for the model in the URL.
    public var deployment: String
    public var apiVersion: String
    /// Sent as the `api-key` header; required.
    public var apiKey: APIKey?
    public var apiKeyVariable: String
    public var stream: Bool
    public var timeouts: HTTPTimeouts
    public var tokenLimitField: OpenAIChatWire.TokenLimitField
    /// What the model accepts; nil looks it up by model name (``ModelCapabilities/of(model:)``).
    public var capabilities: ModelCapabilities?
    /// The output limit per kind of request, for requests that set none.
    public var outputLimits: OutputTokenLimits
    /// Sent as `reasoning_effort` to models that take it.
    public var reasoningEffort: ReasoningEffort?

    /// The latest generally available data-plane version at the time of writing; it accepts
    /// `stream_options`.
    public static let defaultAPIVersion = "2024-10-21"

    public init(
        name: String = "azure", endpoint: String, deployment: String, apiVersion: String = defaultAPIVersion,
        apiKey: APIKey?, apiKeyVariable: String = "AZURE_OPENAI_API_KEY", stream: Bool = true,
        timeouts: HTTPTimeouts = HTTPTimeouts(), tokenLimitField: OpenAIChatWire.TokenLimitField = .maxTokens,
        capabilities: ModelCapabilities? = nil, outputLimits: OutputTokenLimits = OutputTokenLimits(), reasoningEffort: ReasoningEffort? = nil
    ) {
        self.name = name
        self.endpoint = endpoint
        self.deployment = deployment
        self.apiVersion = apiVersion
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
        var capabilities = capabilities ?? ModelCapabilities.of(model: deployment)
        if tokenLimitField == .maxCompletionTokens { capabilities.limitField = .maxCompletionTokens }
        return capabilities
    }
}

/// The `azure` provider: Azure OpenAI's Chat Completions at
/// `{endpoint}/openai/deployments/{deployment}/chat/completions?api-version={apiVersion}`,
/// with the same bodies and streams as ``OpenAIProvider``.
public struct AzureOpenAIProvider: ModelReporting {
    public let settings: AzureOpenAISettings
    private let exchange: ChatCompletionsExchange

    public var name: String { settings.name }
    /// The deployment: Azure answers with the underlying model's name, which is recorded.
    public var model: String? { settings.deployment }

    /// The URL of a call, for these settings.
    public static func url(endpoint: String, deployment: String, apiVersion: String) -> String {
        "\(endpoint)/openai/deployments/\(ProviderURL.segment(deployment))/chat/completions?api-version=\(ProviderURL.queryValue(apiVersion))"
    }

    /// - Throws: ``ProviderError/missingCredential(provider:variable:)`` without a key,
    ///   ``ProviderError/transport(provider:detail:)`` when `endpoint` is not an http(s) URL.
    public init(
        settings: AzureOpenAISettings, onDelta: StreamDeltaHandler? = nil, clock: any Clock = SystemClock(), memory: StructuredOutputMemory? = nil
    ) throws(ProviderError) {
        self.settings = settings
        guard let key = settings.apiKey else { throw .missingCredential(provider: settings.name, variable: settings.apiKeyVariable) }
        let endpoint = try ProviderURL.base(settings.endpoint, setting: "endpoint", provider: settings.name)
        let reader = APIAnswerReader(
            provider: settings.name,
            context: .init(
                model: settings.deployment, credentialVariable: settings.apiKeyVariable,
                endpoint: "\(endpoint) (deployment '\(settings.deployment)', api-version \(settings.apiVersion))"
            ),
            key: key, clock: clock
        )
        exchange = ChatCompletionsExchange(
            transport: HTTPTransport(provider: settings.name, timeouts: settings.timeouts), reader: reader,
            url: Self.url(endpoint: endpoint, deployment: settings.deployment, apiVersion: settings.apiVersion),
            credential: CredentialHeader(name: "api-key", scheme: "", key: key), bodyModel: nil, configuredModel: settings.deployment,
            stream: settings.stream, capabilities: settings.effectiveCapabilities, outputLimits: settings.outputLimits,
            reasoningEffort: settings.reasoningEffort,
            structured: StructuredOutputLadder(
                api: .chatCompletions, profile: settings.name, endpoint: "\(endpoint)/\(settings.deployment)", memory: memory
            ),
            onDelta: onDelta
        )
    }

    public func complete(_ request: ProviderRequest) async throws(ProviderError) -> ProviderResponse {
        try await exchange.complete(request)
    }

    /// Whether requests carry `temperature` (not for reasoning models).
    public var allowsTemperature: Bool { settings.effectiveCapabilities.allowsTemperature }
}
