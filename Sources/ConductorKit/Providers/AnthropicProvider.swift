import ConductorDomain
import Foundation

/// How to reach Anthropic's Messages API.
///
/// Deliberately not `Codable`: it holds the API key, and a key is never written anywhere.
public struct AnthropicSettings: Sendable, Equatable {
    public var name: String
    /// The call goes to `{baseURL}/v1/messages`.
    public var baseURL: String
    public var model: String
    /// Sent as `x-api-key`; required.
    public var apiKey: APIKey?
    public var apiKeyVariable: String
    /// The `anthropic-version` header.
    public var apiVersion: String
    /// Stream the answer (server-sent events).
    public var stream: Bool
    public var timeouts: HTTPTimeouts
    /// `max_tokens` when the request sets no limit: the API requires one.
    public var defaultMaxTokens: Int
    /// The output limit per kind of request, for requests that set none (over
    /// `defaultMaxTokens`).
    public var outputLimits: OutputTokenLimits?
    /// Put `cache_control` breakpoints on the system prompt and the first user message's
    /// stable prefix (``PromptCache``).
    public var cachePrompt: Bool

    public static let defaultBaseURL = "https://api.anthropic.com"
    public static let defaultAPIVersion = "2023-06-01"

    public init(
        name: String = "anthropic", baseURL: String = defaultBaseURL, model: String, apiKey: APIKey?,
        apiKeyVariable: String = "ANTHROPIC_API_KEY", apiVersion: String = defaultAPIVersion, stream: Bool = true,
        timeouts: HTTPTimeouts = HTTPTimeouts(), defaultMaxTokens: Int = AnthropicMessagesWire.defaultMaxTokens,
        outputLimits: OutputTokenLimits? = OutputTokenLimits(), cachePrompt: Bool = true
    ) {
        self.name = name
        self.baseURL = baseURL
        self.model = model
        self.apiKey = apiKey
        self.apiKeyVariable = apiKeyVariable
        self.apiVersion = apiVersion
        self.stream = stream
        self.timeouts = timeouts
        self.defaultMaxTokens = defaultMaxTokens
        self.outputLimits = outputLimits
        self.cachePrompt = cachePrompt
    }
}

/// The `anthropic` provider: the Messages API, streamed or not, with the system prompt in
/// the API's own `system` field.
public struct AnthropicProvider: ModelReporting {
    public let settings: AnthropicSettings
    private let transport: HTTPTransport
    private let reader: APIAnswerReader
    private let url: String
    private let credential: CredentialHeader
    private let onDelta: StreamDeltaHandler?
    private let structured: StructuredOutputLadder

    public var name: String { settings.name }
    public var model: String? { settings.model }

    /// - Throws: ``ProviderError/missingCredential(provider:variable:)`` without a key,
    ///   ``ProviderError/transport(provider:detail:)`` when `baseURL` is not an http(s) URL.
    public init(
        settings: AnthropicSettings, onDelta: StreamDeltaHandler? = nil, clock: any Clock = SystemClock(), memory: StructuredOutputMemory? = nil
    ) throws(ProviderError) {
        self.settings = settings
        guard let key = settings.apiKey else { throw .missingCredential(provider: settings.name, variable: settings.apiKeyVariable) }
        let base = try ProviderURL.base(settings.baseURL, setting: "base_url", provider: settings.name)
        transport = HTTPTransport(provider: settings.name, timeouts: settings.timeouts)
        reader = APIAnswerReader(
            provider: settings.name,
            context: .init(model: settings.model, credentialVariable: settings.apiKeyVariable, endpoint: base),
            key: key, clock: clock
        )
        url = base + "/v1/messages"
        credential = CredentialHeader(name: "x-api-key", scheme: "", key: key)
        self.onDelta = onDelta
        structured = StructuredOutputLadder(api: .anthropicMessages, profile: settings.name, endpoint: base, memory: memory)
    }

    public func complete(_ request: ProviderRequest) async throws(ProviderError) -> ProviderResponse {
        let limit = request.maxOutputTokens ?? settings.outputLimits?.tokens(for: request.purpose) ?? settings.defaultMaxTokens
        return try await structured.send(request) { (form: StructuredOutputForm?) async throws(ProviderError) -> ProviderResponse in
            var response = try await send(request, form: form, limit: limit)
            response.maxOutputTokens = limit
            return response
        }
    }

    private func send(_ request: ProviderRequest, form: StructuredOutputForm?, limit: Int) async throws(ProviderError) -> ProviderResponse {
        let body = try reader.encode(AnthropicMessagesWire.RequestBody(
            request: request, model: settings.model, stream: settings.stream, maxTokens: limit, cache: settings.cachePrompt, structured: form
        ))
        let call = HTTPCall(
            url: url,
            headers: [("anthropic-version", settings.apiVersion), ("accept", settings.stream ? "text/event-stream, application/json" : "application/json")],
            credential: credential, body: body
        )
        let (reader, stream, configuredModel, onDelta) = (reader, settings.stream, settings.model, onDelta)
        return try await transport.post(call) { (head: HTTPAnswerHead, answer: inout HTTPAnswerBody) async throws(ProviderError) -> ProviderResponse in
            guard head.isSuccess else {
                throw await reader.failure(head, body: &answer) { bytes in
                    try? JSONDecoder().decode(AnthropicMessagesWire.ErrorBody.self, from: Data(bytes)).message
                }
            }
            let isJSON = head.header("content-type")?.lowercased().contains("json") ?? false
            guard stream, !isJSON else {
                let whole = try await reader.decodeAnswer(AnthropicMessagesWire.Response.self, from: &answer)
                do throws(WireFormatError) {
                    return try whole.providerResponse(for: request, configuredModel: configuredModel)
                } catch {
                    throw reader.malformed(error)
                }
            }
            var accumulator = AnthropicMessagesWire.StreamAccumulator()
            try await answer.forEachEvent { event throws(ProviderError) in
                switch accumulator.add(try reader.decode(AnthropicMessagesWire.StreamEvent.self, from: event.data.utf8), named: event.type) {
                case .text(let piece): onDelta?(piece)
                case let .failure(status, message): throw reader.streamFailure(status: status, message: message)
                case .none: break
                }
                return !accumulator.stopped
            }
            do throws(WireFormatError) {
                return try accumulator.providerResponse(for: request, configuredModel: configuredModel)
            } catch {
                throw reader.malformed(error)
            }
        }
    }
}
