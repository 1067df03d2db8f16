/// The Chat Completions wire format (`POST …/chat/completions`), as OpenAI documents it and as
/// the compatible servers (llama.cpp, vLLM, LM Studio, OpenRouter, Together, Azure OpenAI)
/// speak it. Every field of an answer is optional when decoding: these servers leave out
/// what they do not have (usage, ids, finish reasons) and must not fail the call for it.
public enum OpenAIChatWire {
    /// Which request field carries the output limit. OpenAI's newer models want
    /// `max_completion_tokens`; most compatible servers know only `max_tokens`.
    public enum TokenLimitField: String, Sendable, Equatable, CaseIterable {
        case maxTokens = "max_tokens"
        case maxCompletionTokens = "max_completion_tokens"
    }

    public struct Message: Sendable, Equatable, Codable {
        public let role: String
        public let content: String
    }

    public struct StreamOptions: Sendable, Equatable, Codable {
        /// Asks for a last chunk that carries the usage of the whole call.
        public let includeUsage: Bool

        enum CodingKeys: String, CodingKey { case includeUsage = "include_usage" }
    }

    /// `response_format`: `{type: "json_schema", json_schema: {name, strict: true, schema}}`,
    /// or llama-cpp-python's `{type: "json_object", schema}`.
    public struct ResponseFormat: Sendable, Equatable, Encodable {
        public struct SchemaSpec: Sendable, Equatable, Encodable {
            public let name: String
            public let strict: Bool
            public let schema: JSONValue
        }

        public let type: String
        public let jsonSchema: SchemaSpec?
        public let schema: JSONValue?

        enum CodingKeys: String, CodingKey { case type, schema, jsonSchema = "json_schema" }

        /// Nil for the forms that put nothing in the request.
        public init?(_ schema: JSONSchema, form: StructuredOutputForm) {
            switch form {
            case .jsonSchema:
                type = "json_schema"
                jsonSchema = SchemaSpec(name: schema.name, strict: true, schema: schema.schema)
                self.schema = nil
            case .jsonObject:
                type = "json_object"
                jsonSchema = nil
                self.schema = schema.schema
            case .tool, .format, .prompt:
                return nil
            }
        }
    }

    /// The request body. The system prompt is the first message, with the role the model
    /// takes (``ModelCapabilities/systemRole``: `system`, `developer` for reasoning models, or
    /// folded into the first user message for the models that take neither).
    public struct RequestBody: Sendable, Equatable, Encodable {
        /// Absent for Azure, whose URL names the deployment.
        public let model: String?
        public let messages: [Message]
        /// Nil for models that refuse it.
        public let temperature: Double?
        public let maxTokens: Int?
        public let limitField: TokenLimitField
        public let stream: Bool
        public let streamOptions: StreamOptions?
        public let responseFormat: ResponseFormat?
        public let reasoningEffort: ReasoningEffort?

        /// - Parameters:
        ///   - maxTokens: the output limit to send; the request's own when nil.
        ///   - structured: how to ask for the request's schema, when it has one.
        public init(
            request: ProviderRequest, model: String?, stream: Bool, limitField: TokenLimitField = .maxTokens,
            capabilities: ModelCapabilities? = nil, maxTokens: Int? = nil, structured: StructuredOutputForm? = nil,
            reasoningEffort: ReasoningEffort? = nil
        ) {
            let capabilities = capabilities ?? ModelCapabilities(
                allowsTemperature: true, systemRole: .system, limitField: limitField, supportsReasoningEffort: false
            )
            self.model = model
            var messages = request.messages.map { Message(role: $0.role.rawValue, content: PromptCache.stripped($0.content)) }
            if !request.system.isEmpty {
                switch capabilities.systemRole {
                case .system, .developer:
                    messages.insert(Message(role: capabilities.systemRole.rawValue, content: request.system), at: 0)
                case .user:
                    if let first = messages.first, first.role == "user" {
                        messages[0] = Message(role: "user", content: request.system + "\n\n" + first.content)
                    } else {
                        messages.insert(Message(role: "user", content: request.system), at: 0)
                    }
                }
            }
            self.messages = messages
            temperature = capabilities.allowsTemperature ? request.temperature : nil
            self.maxTokens = maxTokens ?? request.maxOutputTokens
            self.limitField = capabilities.limitField
            self.stream = stream
            streamOptions = stream ? StreamOptions(includeUsage: true) : nil
            if let schema = request.responseSchema, let structured {
                responseFormat = ResponseFormat(schema, form: structured)
            } else {
                responseFormat = nil
            }
            self.reasoningEffort = capabilities.supportsReasoningEffort ? reasoningEffort : nil
        }

        struct Key: CodingKey {
            let stringValue: String
            var intValue: Int? { nil }
            init(_ name: String) { stringValue = name }
            init?(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            try container.encodeIfPresent(model, forKey: Key("model"))
            try container.encode(messages, forKey: Key("messages"))
            try container.encodeIfPresent(temperature, forKey: Key("temperature"))
            try container.encodeIfPresent(maxTokens, forKey: Key(limitField.rawValue))
            try container.encode(stream, forKey: Key("stream"))
            try container.encodeIfPresent(streamOptions, forKey: Key("stream_options"))
            try container.encodeIfPresent(responseFormat, forKey: Key("response_format"))
            try container.encodeIfPresent(reasoningEffort, forKey: Key("reasoning_effort"))
        }
    }

    public struct Usage: Sendable, Equatable, Decodable {
        public struct PromptDetails: Sendable, Equatable, Decodable {
            public let cachedTokens: Int?
            enum CodingKeys: String, CodingKey { case cachedTokens = "cached_tokens" }
        }

        public struct CompletionDetails: Sendable, Equatable, Decodable {
            public let reasoningTokens: Int?
            enum CodingKeys: String, CodingKey { case reasoningTokens = "reasoning_tokens" }
        }

        public let promptTokens: Int?
        public let completionTokens: Int?
        public let promptTokensDetails: PromptDetails?
        public let completionTokensDetails: CompletionDetails?

        enum CodingKeys: String, CodingKey {
            case promptTokens = "prompt_tokens", completionTokens = "completion_tokens"
            case promptTokensDetails = "prompt_tokens_details", completionTokensDetails = "completion_tokens_details"
        }

        /// `prompt_tokens_details.cached_tokens` are the cache's reads (part of
        /// `prompt_tokens`); `completion_tokens_details.reasoning_tokens` the reasoning (part
        /// of `completion_tokens`). Some servers send the details with nulls: read as unknown.
        public var reported: ReportedUsage {
            ReportedUsage(
                tokensIn: promptTokens, tokensOut: completionTokens, cachedTokens: promptTokensDetails?.cachedTokens,
                reasoningTokens: completionTokensDetails?.reasoningTokens
            )
        }
    }

    /// A non-streamed answer (`chat.completion`).
    public struct Response: Sendable, Equatable, Decodable {
        public struct Choice: Sendable, Equatable, Decodable {
            public struct Content: Sendable, Equatable, Decodable {
                public let content: String?
            }
            public let message: Content?
            public let finishReason: String?
            enum CodingKeys: String, CodingKey { case message, finishReason = "finish_reason" }
        }

        public let model: String?
        public let choices: [Choice]?
        public let usage: Usage?

        /// The first choice's text and the usage, or an error when there is no choice at all
        /// (a body that is JSON but not an answer).
        public func providerResponse(for request: ProviderRequest, configuredModel: String?) throws(WireFormatError) -> ProviderResponse {
            guard let choice = choices?.first else { throw WireFormatError("the answer has no choices") }
            let text = choice.message?.content ?? ""
            let model = model.flatMap { $0.isEmpty ? nil : $0 } ?? configuredModel
            let usage = (usage?.reported ?? ReportedUsage()).tokenUsage(model: model, request: request, text: text)
            return ProviderResponse(text: text, usage: usage, finishReason: choice.finishReason)
        }
    }

    /// One `data:` payload of a stream (`chat.completion.chunk`). Some servers also put an
    /// `error` object in the stream when generation fails after the answer began.
    public struct StreamChunk: Sendable, Equatable, Decodable {
        public struct Choice: Sendable, Equatable, Decodable {
            public struct Delta: Sendable, Equatable, Decodable {
                public let content: String?
            }
            public let delta: Delta?
            public let finishReason: String?
            enum CodingKeys: String, CodingKey { case delta, finishReason = "finish_reason" }
        }

        public let model: String?
        public let choices: [Choice]?
        public let usage: Usage?
        public let error: ErrorBody.Detail?
    }

    /// Assembles a streamed answer chunk by chunk. Usage may come in the last chunk (OpenAI with
    /// `include_usage`, whose `choices` is then empty), in every chunk (vLLM), or not at all.
    public struct StreamAccumulator: Sendable, Equatable {
        public private(set) var text = ""
        public private(set) var model: String?
        public private(set) var finishReason: String?
        public private(set) var usage: Usage?
        /// `[DONE]` arrived.
        public private(set) var sawDone = false

        public init() {}

        /// Feeds one event's data: a JSON chunk already decoded, or `[DONE]` handled by ``finish``.
        public mutating func add(_ chunk: StreamChunk) -> StreamStep {
            if let error = chunk.error {
                return .failure(status: error.status, message: error.message ?? "the stream reported an error")
            }
            if let model = chunk.model, !model.isEmpty { self.model = model }
            if let usage = chunk.usage { self.usage = usage }
            guard let choice = chunk.choices?.first else { return .none }
            if let reason = choice.finishReason { finishReason = reason }
            guard let delta = choice.delta?.content, !delta.isEmpty else { return .none }
            text += delta
            return .text(delta)
        }

        /// Whether `data` is the `[DONE]` sentinel that ends OpenAI streams.
        public mutating func isDone(_ data: String) -> Bool {
            guard data == "[DONE]" else { return false }
            sawDone = true
            return true
        }

        /// The assembled answer. A stream is complete when it ended with `[DONE]` or a choice
        /// said why it finished; one cut short is an error, not a shorter answer.
        public func providerResponse(for request: ProviderRequest, configuredModel: String?) throws(WireFormatError) -> ProviderResponse {
            guard sawDone || finishReason != nil else { throw WireFormatError("the stream ended before the answer was complete") }
            let model = model ?? configuredModel
            let usage = (usage?.reported ?? ReportedUsage()).tokenUsage(model: model, request: request, text: text)
            return ProviderResponse(text: text, usage: usage, finishReason: finishReason)
        }
    }

    /// An error answer: `{"error": {"message": …, "type": …, "code": …}}`. `code` is a string at
    /// OpenAI and Azure and a number at OpenRouter, so it is read as either.
    public struct ErrorBody: Sendable, Equatable, Decodable {
        public struct Detail: Sendable, Equatable, Decodable {
            public let message: String?
            public let type: String?
            public let code: String?

            enum CodingKeys: String, CodingKey { case message, type, code }

            init(message: String) {
                self.message = message
                type = nil
                code = nil
            }

            public init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                message = try? container.decodeIfPresent(String.self, forKey: .message)
                type = try? container.decodeIfPresent(String.self, forKey: .type)
                if let text = try? container.decodeIfPresent(String.self, forKey: .code) {
                    code = text
                } else if let number = try? container.decodeIfPresent(Int.self, forKey: .code) {
                    code = String(number)
                } else {
                    code = nil
                }
            }

            /// The HTTP status a numeric `code` stands for (OpenRouter's mid-stream errors).
            var status: Int? {
                code.flatMap(Int.init).flatMap { (400...599).contains($0) ? $0 : nil }
            }
        }

        public let error: Detail?

        enum CodingKeys: String, CodingKey { case error }

        /// Also accepts `{"error": "text"}`, which some compatible servers send.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            if let text = try? container.decodeIfPresent(String.self, forKey: .error) {
                error = Detail(message: text)
            } else {
                error = try container.decodeIfPresent(Detail.self, forKey: .error)
            }
        }

        /// The API's own words, for the error message.
        public var message: String? { error?.message }
    }
}
