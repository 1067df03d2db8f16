import ConductorDomain
import Foundation

/// One Chat Completions call, as OpenAI, the OpenAI-compatible servers and Azure OpenAI
/// share it; they differ only in the URL, the key's header and whether the body names the model.
///
/// A server asked to stream that answers with plain JSON anyway (some compatible servers
/// ignore `stream`) is read as a whole answer rather than failed.
struct ChatCompletionsExchange: Sendable {
    let transport: HTTPTransport
    let reader: APIAnswerReader
    let url: String
    let credential: CredentialHeader?
    /// Sent in the body (nil for Azure, whose URL names the deployment).
    let bodyModel: String?
    /// Recorded when the answer names no model.
    let configuredModel: String
    let stream: Bool
    /// What the model accepts: temperature, the system prompt's role, the limit's field.
    let capabilities: ModelCapabilities
    let outputLimits: OutputTokenLimits
    let reasoningEffort: ReasoningEffort?
    /// How a schema is asked for, and which form this endpoint took last time.
    let structured: StructuredOutputLadder
    let onDelta: StreamDeltaHandler?

    func complete(_ request: ProviderRequest) async throws(ProviderError) -> ProviderResponse {
        let limit = outputLimits.limit(for: request)
        return try await structured.send(request) { (form: StructuredOutputForm?) async throws(ProviderError) -> ProviderResponse in
            var response = try await send(request, form: form, limit: limit)
            response.maxOutputTokens = limit
            return response
        }
    }

    private func send(_ request: ProviderRequest, form: StructuredOutputForm?, limit: Int) async throws(ProviderError) -> ProviderResponse {
        let body = try reader.encode(OpenAIChatWire.RequestBody(
            request: request, model: bodyModel, stream: stream, capabilities: capabilities, maxTokens: limit, structured: form,
            reasoningEffort: reasoningEffort
        ))
        let call = HTTPCall(url: url, headers: [("accept", stream ? "text/event-stream, application/json" : "application/json")], credential: credential, body: body)
        let (reader, stream, configuredModel, onDelta) = (reader, stream, configuredModel, onDelta)
        return try await transport.post(call) { (head: HTTPAnswerHead, answer: inout HTTPAnswerBody) async throws(ProviderError) -> ProviderResponse in
            guard head.isSuccess else {
                throw await reader.failure(head, body: &answer) { bytes in
                    try? JSONDecoder().decode(OpenAIChatWire.ErrorBody.self, from: Data(bytes)).message
                }
            }
            let isJSON = head.header("content-type")?.lowercased().contains("json") ?? false
            guard stream, !isJSON else {
                let whole = try await reader.decodeAnswer(OpenAIChatWire.Response.self, from: &answer)
                do throws(WireFormatError) {
                    return try whole.providerResponse(for: request, configuredModel: configuredModel)
                } catch {
                    throw reader.malformed(error)
                }
            }
            var accumulator = OpenAIChatWire.StreamAccumulator()
            try await answer.forEachEvent { event throws(ProviderError) in
                guard !accumulator.isDone(event.data) else { return false }
                switch accumulator.add(try reader.decode(OpenAIChatWire.StreamChunk.self, from: event.data.utf8)) {
                case .text(let piece): onDelta?(piece)
                case let .failure(status, message): throw reader.streamFailure(status: status, message: message)
                case .none: break
                }
                return true
            }
            do throws(WireFormatError) {
                return try accumulator.providerResponse(for: request, configuredModel: configuredModel)
            } catch {
                throw reader.malformed(error)
            }
        }
    }
}
