import ConductorDomain
import Foundation

/// How to reach an Ollama server's native API.
///
/// Deliberately not `Codable`: it may hold an API key (for a server behind an
/// authenticating proxy, or Ollama's hosted service), and a key is never written anywhere.
public struct OllamaSettings: Sendable, Equatable {
    public var name: String
    /// The call goes to `{baseURL}/api/chat`.
    public var baseURL: String
    public var model: String
    /// Sent as `Authorization: Bearer …` when set; a local Ollama needs none.
    public var apiKey: APIKey?
    public var apiKeyVariable: String?
    /// Stream the answer (newline-delimited JSON).
    public var stream: Bool
    public var timeouts: HTTPTimeouts
    /// The output limit per kind of request (`num_predict`), for requests that set none.
    public var outputLimits: OutputTokenLimits

    public static let defaultBaseURL = "http://127.0.0.1:11434"

    public init(
        name: String = "ollama", baseURL: String = defaultBaseURL, model: String, apiKey: APIKey? = nil,
        apiKeyVariable: String? = nil, stream: Bool = true, timeouts: HTTPTimeouts = HTTPTimeouts(),
        outputLimits: OutputTokenLimits = OutputTokenLimits()
    ) {
        self.name = name
        self.baseURL = baseURL
        self.model = model
        self.apiKey = apiKey
        self.apiKeyVariable = apiKeyVariable
        self.stream = stream
        self.timeouts = timeouts
        self.outputLimits = outputLimits
    }
}

/// The `ollama` provider: Ollama's native `/api/chat`, streamed or not.
public struct OllamaProvider: ModelReporting {
    public let settings: OllamaSettings
    private let transport: HTTPTransport
    private let reader: APIAnswerReader
    private let url: String
    private let credential: CredentialHeader?
    private let onDelta: StreamDeltaHandler?
    private let structured: StructuredOutputLadder

    public var name: String { settings.name }
    public var model: String? { settings.model }

    /// - Throws: ``ProviderError/transport(provider:detail:)`` when `baseURL` is not an http(s) URL.
    public init(
        settings: OllamaSettings, onDelta: StreamDeltaHandler? = nil, clock: any Clock = SystemClock(), memory: StructuredOutputMemory? = nil
    ) throws(ProviderError) {
        self.settings = settings
        let base = try ProviderURL.base(settings.baseURL, setting: "base_url", provider: settings.name)
        transport = HTTPTransport(provider: settings.name, timeouts: settings.timeouts)
        reader = APIAnswerReader(
            provider: settings.name,
            context: .init(model: settings.model, credentialVariable: settings.apiKeyVariable, endpoint: base),
            key: settings.apiKey, clock: clock
        )
        url = base + "/api/chat"
        credential = settings.apiKey.map(CredentialHeader.bearer)
        self.onDelta = onDelta
        structured = StructuredOutputLadder(api: .ollamaChat, profile: settings.name, endpoint: base, memory: memory)
    }

    public func complete(_ request: ProviderRequest) async throws(ProviderError) -> ProviderResponse {
        let limit = settings.outputLimits.limit(for: request)
        return try await structured.send(request) { (form: StructuredOutputForm?) async throws(ProviderError) -> ProviderResponse in
            var response = try await send(request, form: form, limit: limit)
            response.maxOutputTokens = limit
            return response
        }
    }

    private func send(_ request: ProviderRequest, form: StructuredOutputForm?, limit: Int) async throws(ProviderError) -> ProviderResponse {
        let body = try reader.encode(OllamaChatWire.RequestBody(
            request: request, model: settings.model, stream: settings.stream, maxTokens: limit, structured: form
        ))
        let call = HTTPCall(url: url, headers: [("accept", "application/json, application/x-ndjson")], credential: credential, body: body)
        let (reader, stream, configuredModel, onDelta) = (reader, settings.stream, settings.model, onDelta)
        return try await transport.post(call) { (head: HTTPAnswerHead, answer: inout HTTPAnswerBody) async throws(ProviderError) -> ProviderResponse in
            guard head.isSuccess else {
                throw await reader.failure(head, body: &answer) { bytes in
                    try? JSONDecoder().decode(OllamaChatWire.ErrorBody.self, from: Data(bytes)).message
                }
            }
            guard stream else {
                let whole = try await reader.decodeAnswer(OllamaChatWire.Response.self, from: &answer)
                if let error = whole.error { throw reader.streamFailure(status: nil, message: error) }
                do throws(WireFormatError) {
                    return try whole.providerResponse(for: request, configuredModel: configuredModel)
                } catch {
                    throw reader.malformed(error)
                }
            }
            var accumulator = OllamaChatWire.StreamAccumulator()
            try await answer.forEachLine { line throws(ProviderError) in
                guard !line.isEmpty else { return true }
                switch accumulator.add(try reader.decode(OllamaChatWire.Response.self, from: line.utf8)) {
                case .text(let piece): onDelta?(piece)
                case let .failure(status, message): throw reader.streamFailure(status: status, message: message)
                case .none: break
                }
                return accumulator.final == nil
            }
            do throws(WireFormatError) {
                return try accumulator.providerResponse(for: request, configuredModel: configuredModel)
            } catch {
                throw reader.malformed(error)
            }
        }
    }
}
