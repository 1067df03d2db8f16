/// The Anthropic Messages API wire format (`POST /v1/messages`): the system prompt has its
/// own top-level field, `max_tokens` is required, the answer is a list of content blocks, and
/// a stream is a sequence of named events (`message_start`, `content_block_delta`,
/// `message_delta`, `message_stop`, `ping`, `error`).
///
/// Anthropic's `input_tokens` counts only the uncached part of the prompt; the cache's reads
/// and writes are reported beside it. ``TokenUsage/tokensIn`` is every input token, as at
/// OpenAI, so the three are added, and the cache reads are also reported as cached tokens.
public enum AnthropicMessagesWire {
    /// Used when a request sets no output limit, since the API requires one.
    public static let defaultMaxTokens = 8192

    /// `{"type": "ephemeral"}`: a prompt-cache breakpoint. Everything up to and including the
    /// block that carries it (tools, system, messages, in that order) is cached for five
    /// minutes and read back at a tenth of the input price; writing it costs a quarter more
    /// than input. Prefixes shorter than the model's minimum (1024 tokens for most) are simply
    /// not cached.
    public struct CacheControl: Sendable, Equatable, Encodable {
        public let type: String
        public static let ephemeral = CacheControl(type: "ephemeral")
    }

    /// One text block of a system prompt or a message.
    public struct TextBlock: Sendable, Equatable, Encodable {
        public let type: String
        public let text: String
        public let cacheControl: CacheControl?

        public init(_ text: String, cached: Bool = false) {
            type = "text"
            self.text = text
            cacheControl = cached ? .ephemeral : nil
        }

        enum CodingKeys: String, CodingKey { case type, text, cacheControl = "cache_control" }
    }

    /// A message's content: a plain string, or text blocks when part of it is cached.
    public enum Content: Sendable, Equatable, Encodable {
        case text(String)
        case blocks([TextBlock])

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .text(let text): try container.encode(text)
            case .blocks(let blocks): try container.encode(blocks)
            }
        }
    }

    public struct Message: Sendable, Equatable, Encodable {
        public let role: String
        public let content: Content
    }

    /// The one tool of a structured request: its `input_schema` is the answer's schema.
    public struct Tool: Sendable, Equatable, Encodable {
        public let name: String
        public let description: String
        public let inputSchema: JSONValue

        enum CodingKeys: String, CodingKey { case name, description, inputSchema = "input_schema" }
    }

    /// `{"type": "tool", "name": …}`: the model must call that tool.
    public struct ToolChoice: Sendable, Equatable, Encodable {
        public let type: String
        public let name: String
    }

    public struct RequestBody: Sendable, Equatable, Encodable {
        public let model: String
        public let maxTokens: Int
        /// Omitted when empty; a cached block when caching.
        public let system: Content?
        public let messages: [Message]
        public let temperature: Double?
        public let stream: Bool
        public let tools: [Tool]?
        public let toolChoice: ToolChoice?

        enum CodingKeys: String, CodingKey {
            case model, system, messages, temperature, stream, tools, maxTokens = "max_tokens", toolChoice = "tool_choice"
        }

        /// - Parameters:
        ///   - maxTokens: the output limit (required by the API): the request's own, else this,
        ///     else `defaultMaxTokens`.
        ///   - cache: put `cache_control` breakpoints on the stable prefix: the system prompt,
        ///     and the first user message up to its ``PromptCache/boundary``.
        ///   - structured: ``StructuredOutputForm/tool`` forces a call of a tool whose input
        ///     schema is the request's schema.
        public init(
            request: ProviderRequest, model: String, stream: Bool, defaultMaxTokens: Int = AnthropicMessagesWire.defaultMaxTokens,
            maxTokens: Int? = nil, cache: Bool = false, structured: StructuredOutputForm? = nil, allowsTemperature: Bool = true
        ) {
            self.model = model
            self.maxTokens = request.maxOutputTokens ?? maxTokens ?? defaultMaxTokens
            if request.system.isEmpty {
                system = nil
            } else {
                system = cache ? .blocks([TextBlock(request.system, cached: true)]) : .text(request.system)
            }
            var cachedOne = false
            messages = request.messages.map { message in
                guard cache, !cachedOne, message.role == .user, let parts = PromptCache.split(message.content), !parts.stable.isEmpty else {
                    return Message(role: message.role.rawValue, content: .text(PromptCache.stripped(message.content)))
                }
                cachedOne = true
                let blocks = [TextBlock(parts.stable, cached: true)] + (parts.rest.isEmpty ? [] : [TextBlock(parts.rest)])
                return Message(role: message.role.rawValue, content: .blocks(blocks))
            }
            temperature = allowsTemperature ? request.temperature : nil
            self.stream = stream
            if let schema = request.responseSchema, structured == .tool {
                tools = [Tool(name: schema.name, description: schema.description, inputSchema: schema.schema)]
                toolChoice = ToolChoice(type: "tool", name: schema.name)
            } else {
                tools = nil
                toolChoice = nil
            }
        }
    }

    public struct Usage: Sendable, Equatable, Decodable {
        public let inputTokens: Int?
        public let outputTokens: Int?
        public let cacheCreationInputTokens: Int?
        public let cacheReadInputTokens: Int?

        enum CodingKeys: String, CodingKey {
            case inputTokens = "input_tokens", outputTokens = "output_tokens"
            case cacheCreationInputTokens = "cache_creation_input_tokens", cacheReadInputTokens = "cache_read_input_tokens"
        }

        /// `input_tokens` plus the cache's writes and reads; the reads are also the cached tokens.
        public var reported: ReportedUsage {
            ReportedUsage(
                tokensIn: inputTokens.map { $0 + (cacheCreationInputTokens ?? 0) + (cacheReadInputTokens ?? 0) },
                tokensOut: outputTokens,
                cachedTokens: cacheReadInputTokens
            )
        }

        /// This usage with the counts `later` reports in place of its own: `message_delta`
        /// carries cumulative counts, some of which `message_start` already gave.
        func updated(with later: Usage) -> Usage {
            Usage(
                inputTokens: later.inputTokens ?? inputTokens,
                outputTokens: later.outputTokens ?? outputTokens,
                cacheCreationInputTokens: later.cacheCreationInputTokens ?? cacheCreationInputTokens,
                cacheReadInputTokens: later.cacheReadInputTokens ?? cacheReadInputTokens
            )
        }

        init(inputTokens: Int?, outputTokens: Int?, cacheCreationInputTokens: Int?, cacheReadInputTokens: Int?) {
            self.inputTokens = inputTokens
            self.outputTokens = outputTokens
            self.cacheCreationInputTokens = cacheCreationInputTokens
            self.cacheReadInputTokens = cacheReadInputTokens
        }
    }

    public struct ContentBlock: Sendable, Equatable, Decodable {
        public let type: String?
        public let text: String?
        /// A `tool_use` block's tool and arguments.
        public let name: String?
        public let input: JSONValue?
    }

    /// A non-streamed answer, and the `message` of a stream's `message_start`.
    public struct Response: Sendable, Equatable, Decodable {
        public let model: String?
        public let content: [ContentBlock]?
        public let stopReason: String?
        public let usage: Usage?

        enum CodingKeys: String, CodingKey { case model, content, usage, stopReason = "stop_reason" }

        /// The text blocks joined; other blocks (thinking) are not the answer's text. When the
        /// answer calls a tool (a structured request's forced tool), the call's input, as
        /// JSON, is the answer.
        public func providerResponse(for request: ProviderRequest, configuredModel: String?) throws(WireFormatError) -> ProviderResponse {
            guard let content else { throw WireFormatError("the answer has no content") }
            let text = content.first(where: { $0.type == "tool_use" }).map { ($0.input ?? .object([:])).serialized }
                ?? content.filter { $0.type == "text" || $0.type == nil }.compactMap(\.text).joined()
            let model = model.flatMap { $0.isEmpty ? nil : $0 } ?? configuredModel
            let usage = (usage?.reported ?? ReportedUsage()).tokenUsage(model: model, request: request, text: text)
            return ProviderResponse(text: text, usage: usage, finishReason: stopReason)
        }
    }

    /// The API's error object, in an error answer and in a stream's `error` event.
    public struct ErrorDetail: Sendable, Equatable, Decodable {
        public let type: String?
        public let message: String?

        /// The HTTP status Anthropic documents for each error type, so that an error in the
        /// middle of a stream is retried and explained like the same error before it.
        public var status: Int? {
            switch type {
            case "invalid_request_error": 400
            case "authentication_error": 401
            case "permission_error": 403
            case "not_found_error": 404
            case "request_too_large": 413
            case "rate_limit_error": 429
            case "api_error": 500
            case "overloaded_error": 529
            default: nil
            }
        }
    }

    /// `{"type": "error", "error": {"type": …, "message": …}}`.
    public struct ErrorBody: Sendable, Equatable, Decodable {
        public let error: ErrorDetail?
        public var message: String? { error?.message }
    }

    /// One stream event's data. Its `type` repeats the SSE event name, so either tells.
    public struct StreamEvent: Sendable, Equatable, Decodable {
        public struct Delta: Sendable, Equatable, Decodable {
            public let type: String?
            public let text: String?
            /// A piece of a tool call's input JSON (`input_json_delta`).
            public let partialJSON: String?
            public let stopReason: String?
            enum CodingKeys: String, CodingKey { case type, text, partialJSON = "partial_json", stopReason = "stop_reason" }
        }

        public let type: String?
        public let message: Response?
        public let contentBlock: ContentBlock?
        public let delta: Delta?
        public let usage: Usage?
        public let error: ErrorDetail?

        enum CodingKeys: String, CodingKey { case type, message, delta, usage, error, contentBlock = "content_block" }
    }

    /// Assembles a streamed answer event by event.
    public struct StreamAccumulator: Sendable, Equatable {
        public private(set) var text = ""
        public private(set) var model: String?
        public private(set) var stopReason: String?
        public private(set) var usage: Usage?
        /// `message_stop` arrived: the answer is whole.
        public private(set) var stopped = false
        /// The input JSON of a tool call, when the answer is one: then it is the answer.
        public private(set) var toolInput: String?

        public init() {}

        /// - Parameter name: the SSE `event:` name, used when the data has no `type`.
        public mutating func add(_ event: StreamEvent, named name: String?) -> StreamStep {
            switch event.type ?? name {
            case "message_start":
                if let message = event.message {
                    if let model = message.model, !model.isEmpty { self.model = model }
                    if let start = message.usage { usage = usage.map { $0.updated(with: start) } ?? start }
                }
            case "content_block_start":
                if event.contentBlock?.type == "tool_use", toolInput == nil { toolInput = "" }
            case "content_block_delta":
                if let delta = event.delta, delta.type == "input_json_delta", let piece = delta.partialJSON, !piece.isEmpty, toolInput != nil {
                    toolInput? += piece
                    return .text(piece)
                }
                if let delta = event.delta, delta.type == "text_delta" || delta.type == nil, let piece = delta.text, !piece.isEmpty {
                    text += piece
                    return .text(piece)
                }
            case "message_delta":
                if let reason = event.delta?.stopReason { stopReason = reason }
                if let later = event.usage { usage = usage.map { $0.updated(with: later) } ?? later }
            case "message_stop":
                stopped = true
            case "error":
                return .failure(status: event.error?.status, message: event.error?.message ?? "the stream reported an error")
            default:
                break  // ping, content_block_start/stop, and event types added later
            }
            return .none
        }

        public func providerResponse(for request: ProviderRequest, configuredModel: String?) throws(WireFormatError) -> ProviderResponse {
            guard stopped || stopReason != nil else { throw WireFormatError("the stream ended before the answer was complete") }
            let model = model ?? configuredModel
            // A tool call with no input pieces had the empty object for input.
            let answer = toolInput.map { $0.isEmpty ? "{}" : $0 } ?? text
            let usage = (usage?.reported ?? ReportedUsage()).tokenUsage(model: model, request: request, text: answer)
            return ProviderResponse(text: answer, usage: usage, finishReason: stopReason)
        }
    }
}
