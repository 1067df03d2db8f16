/// Why the engine is calling the model; providers and scripts may answer differently per purpose.
public enum RequestPurpose: String, Sendable, Codable, CaseIterable {
    case spec, plan, build, repair
}

/// One message of a conversation with the model.
public struct ChatMessage: Sendable, Equatable, Codable {
    public enum Role: String, Sendable, Codable {
        case user, assistant
    }

    public let role: Role
    public let content: String

    public init(role: Role, content: String) {
        self.role = role
        self.content = content
    }
}

/// Everything a provider needs for one call. It is recorded under `iterations/<n>/request.json`,
/// so it holds no credentials: those stay inside the provider.
public struct ProviderRequest: Sendable, Equatable, Codable {
    public let purpose: RequestPurpose
    /// Carried in the API's own system field where the API has one.
    public let system: String
    public let messages: [ChatMessage]
    /// Sent only to models that take it (``ModelCapabilities/allowsTemperature``).
    public let temperature: Double
    /// The output limit; nil leaves it to the provider's configured limits
    /// (``OutputTokenLimits``, `max_output_tokens`).
    public let maxOutputTokens: Int?
    /// The schema the answer must follow (plans and specs), sent in each API's own form;
    /// nil for free text.
    public let responseSchema: JSONSchema?

    public init(
        purpose: RequestPurpose, system: String, messages: [ChatMessage], temperature: Double, maxOutputTokens: Int? = nil,
        responseSchema: JSONSchema? = nil
    ) {
        self.purpose = purpose
        self.system = system
        self.messages = messages
        self.temperature = temperature
        self.maxOutputTokens = maxOutputTokens
        self.responseSchema = responseSchema
    }

    enum CodingKeys: String, CodingKey {
        case purpose, system, messages, temperature, maxOutputTokens = "max_output_tokens", responseSchema = "response_schema"
    }
}

/// A provider's answer: its text and what it cost.
public struct ProviderResponse: Sendable, Equatable, Codable {
    public let text: String
    public let usage: TokenUsage
    /// Why the model stopped, normalised across APIs (``FinishReason/normalised(_:)``):
    /// `stop`, `length` (cut off by the output limit), `tool`, `content_filter`, or the API's
    /// own word for anything else; nil when it gives none.
    public let finishReason: String?
    /// The session (or thread) a command-line agent ran the call in, when it reports one: with
    /// it, the agent's own transcript of the call can be found or resumed.
    public let sessionID: String?
    /// How the call asked for structured output, when the request had a schema.
    public var structuredOutput: StructuredOutputForm?
    /// The output limit the call carried, when it carried one.
    public var maxOutputTokens: Int?

    public init(
        text: String, usage: TokenUsage, finishReason: String? = nil, sessionID: String? = nil,
        structuredOutput: StructuredOutputForm? = nil, maxOutputTokens: Int? = nil
    ) {
        self.text = text
        self.usage = usage
        self.finishReason = finishReason.map(FinishReason.normalised)
        self.sessionID = sessionID
        self.structuredOutput = structuredOutput
        self.maxOutputTokens = maxOutputTokens
    }

    /// The answer was cut off by the output limit: its text is incomplete, and edits in it
    /// must not be applied (the engine asks again for smaller edits).
    public var isTruncated: Bool { finishReason == FinishReason.length }

    /// The same answer with other usage: how decorators fill in what an adapter left unknown.
    public func with(usage: TokenUsage) -> ProviderResponse {
        ProviderResponse(
            text: text, usage: usage, finishReason: finishReason, sessionID: sessionID,
            structuredOutput: structuredOutput, maxOutputTokens: maxOutputTokens
        )
    }

    enum CodingKeys: String, CodingKey {
        case text, usage, finishReason = "finish_reason", sessionID = "session_id"
        case structuredOutput = "structured", maxOutputTokens = "max_output_tokens"
    }
}

/// The APIs' reasons for stopping, in one vocabulary.
public enum FinishReason {
    /// Cut off by the output limit: OpenAI's `length`, Anthropic's `max_tokens`, Ollama's
    /// `length`, the Responses API's `max_output_tokens`.
    public static let length = "length"

    /// `stop` for a natural end (`stop`, `end_turn`, `stop_sequence`), `length` for a cut-off,
    /// `tool` for a tool call (`tool_use`, `tool_calls`, `function_call`), `content_filter`
    /// for a refusal; any other word lowercased as it came.
    public static func normalised(_ raw: String) -> String {
        switch raw.lowercased() {
        case "stop", "end_turn", "stop_sequence", "eos": "stop"
        case "length", "max_tokens", "max_output_tokens", "model_length": length
        case "tool_use", "tool_calls", "function_call": "tool"
        case "content_filter", "refusal", "safety": "content_filter"
        case let other: other
        }
    }
}
