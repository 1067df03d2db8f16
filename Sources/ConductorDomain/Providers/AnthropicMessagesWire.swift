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

    public struct Message: Sendable, Equatable, Codable {
        public let role: String
        public let content: String
    }

    public struct RequestBody: Sendable, Equatable, Encodable {
        public let model: String
        public let maxTokens: Int
        /// Omitted when empty.
        public let system: String?
        public let messages: [Message]
        public let temperature: Double
        public let stream: Bool

        enum CodingKeys: String, CodingKey {
            case model, system, messages, temperature, stream, maxTokens = "max_tokens"
        }

        public init(request: ProviderRequest, model: String, stream: Bool, defaultMaxTokens: Int = AnthropicMessagesWire.defaultMaxTokens) {
            self.model = model
            maxTokens = request.maxOutputTokens ?? defaultMaxTokens
            system = request.system.isEmpty ? nil : request.system
            messages = request.messages.map { Message(role: $0.role.rawValue, content: $0.content) }
            temperature = request.temperature
            self.stream = stream
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
    }

    /// A non-streamed answer, and the `message` of a stream's `message_start`.
    public struct Response: Sendable, Equatable, Decodable {
        public let model: String?
        public let content: [ContentBlock]?
        public let stopReason: String?
        public let usage: Usage?

        enum CodingKeys: String, CodingKey { case model, content, usage, stopReason = "stop_reason" }

        /// The text blocks joined; other blocks (thinking, tool use) are not the answer's text.
        public func providerResponse(for request: ProviderRequest, configuredModel: String?) throws(WireFormatError) -> ProviderResponse {
            guard let content else { throw WireFormatError("the answer has no content") }
            let text = content.filter { $0.type == "text" || $0.type == nil }.compactMap(\.text).joined()
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
            public let stopReason: String?
            enum CodingKeys: String, CodingKey { case type, text, stopReason = "stop_reason" }
        }

        public let type: String?
        public let message: Response?
        public let delta: Delta?
        public let usage: Usage?
        public let error: ErrorDetail?
    }

    /// Assembles a streamed answer event by event.
    public struct StreamAccumulator: Sendable, Equatable {
        public private(set) var text = ""
        public private(set) var model: String?
        public private(set) var stopReason: String?
        public private(set) var usage: Usage?
        /// `message_stop` arrived: the answer is whole.
        public private(set) var stopped = false

        public init() {}

        /// - Parameter name: the SSE `event:` name, used when the data has no `type`.
        public mutating func add(_ event: StreamEvent, named name: String?) -> StreamStep {
            switch event.type ?? name {
            case "message_start":
                if let message = event.message {
                    if let model = message.model, !model.isEmpty { self.model = model }
                    if let start = message.usage { usage = usage.map { $0.updated(with: start) } ?? start }
                }
            case "content_block_delta":
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
            let usage = (usage?.reported ?? ReportedUsage()).tokenUsage(model: model, request: request, text: text)
            return ProviderResponse(text: text, usage: usage, finishReason: stopReason)
        }
    }
}
