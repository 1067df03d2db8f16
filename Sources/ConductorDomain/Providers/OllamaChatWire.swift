/// Ollama's native chat API (`POST /api/chat`): the system prompt is a `system` message, the
/// sampling settings go under `options`, and a stream is newline-delimited JSON whose last
/// object (`"done": true`) carries the counts: `prompt_eval_count` (input) and `eval_count`
/// (output). Ollama leaves `prompt_eval_count` out when the whole prompt came from its cache,
/// so input is then estimated.
public enum OllamaChatWire {
    public struct Message: Sendable, Equatable, Codable {
        public let role: String
        public let content: String
    }

    public struct Options: Sendable, Equatable, Encodable {
        public let temperature: Double
        /// The output limit (Ollama's `num_predict`), when there is one.
        public let numPredict: Int?
        enum CodingKeys: String, CodingKey { case temperature, numPredict = "num_predict" }
    }

    public struct RequestBody: Sendable, Equatable, Encodable {
        public let model: String
        public let messages: [Message]
        /// Sent always: Ollama streams when it is left out.
        public let stream: Bool
        public let options: Options
        /// The schema the answer must follow (Ollama 0.5 and later constrain decoding to it).
        public let format: JSONValue?

        /// - Parameters:
        ///   - maxTokens: the output limit when the request sets none.
        ///   - structured: ``StructuredOutputForm/format`` sends the request's schema as `format`.
        public init(request: ProviderRequest, model: String, stream: Bool, maxTokens: Int? = nil, structured: StructuredOutputForm? = nil) {
            self.model = model
            messages = (request.system.isEmpty ? [] : [Message(role: "system", content: request.system)])
                + request.messages.map { Message(role: $0.role.rawValue, content: PromptCache.stripped($0.content)) }
            self.stream = stream
            options = Options(temperature: request.temperature, numPredict: request.maxOutputTokens ?? maxTokens)
            format = structured == .format ? request.responseSchema?.schema : nil
        }
    }

    /// A whole answer, and each line of a stream; an `error` instead when Ollama failed.
    public struct Response: Sendable, Equatable, Decodable {
        public struct Content: Sendable, Equatable, Decodable {
            public let content: String?
        }

        public let model: String?
        public let message: Content?
        public let done: Bool?
        public let doneReason: String?
        public let promptEvalCount: Int?
        public let evalCount: Int?
        public let error: String?

        enum CodingKeys: String, CodingKey {
            case model, message, done, error
            case doneReason = "done_reason", promptEvalCount = "prompt_eval_count", evalCount = "eval_count"
        }

        var reported: ReportedUsage { ReportedUsage(tokensIn: promptEvalCount, tokensOut: evalCount) }

        public func providerResponse(for request: ProviderRequest, configuredModel: String?) throws(WireFormatError) -> ProviderResponse {
            guard let message else { throw WireFormatError("the answer has no message") }
            let text = message.content ?? ""
            let model = model.flatMap { $0.isEmpty ? nil : $0 } ?? configuredModel
            return ProviderResponse(text: text, usage: reported.tokenUsage(model: model, request: request, text: text), finishReason: doneReason)
        }
    }

    /// `{"error": "…"}`, Ollama's error answer.
    public struct ErrorBody: Sendable, Equatable, Decodable {
        public let error: String?
        public var message: String? { error }
    }

    /// Assembles a streamed answer line by line.
    public struct StreamAccumulator: Sendable, Equatable {
        public private(set) var text = ""
        public private(set) var final: Response?

        public init() {}

        public mutating func add(_ line: Response) -> StreamStep {
            if let error = line.error { return .failure(status: nil, message: error) }
            if line.done == true { final = line }
            guard let piece = line.message?.content, !piece.isEmpty else { return .none }
            text += piece
            return .text(piece)
        }

        public func providerResponse(for request: ProviderRequest, configuredModel: String?) throws(WireFormatError) -> ProviderResponse {
            guard let final else { throw WireFormatError("the stream ended before the answer was complete") }
            let model = final.model.flatMap { $0.isEmpty ? nil : $0 } ?? configuredModel
            return ProviderResponse(text: text, usage: final.reported.tokenUsage(model: model, request: request, text: text), finishReason: final.doneReason)
        }
    }
}
