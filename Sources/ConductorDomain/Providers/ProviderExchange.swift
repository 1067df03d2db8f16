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
    public let temperature: Double
    public let maxOutputTokens: Int?

    public init(purpose: RequestPurpose, system: String, messages: [ChatMessage], temperature: Double, maxOutputTokens: Int? = nil) {
        self.purpose = purpose
        self.system = system
        self.messages = messages
        self.temperature = temperature
        self.maxOutputTokens = maxOutputTokens
    }

    enum CodingKeys: String, CodingKey {
        case purpose, system, messages, temperature, maxOutputTokens = "max_output_tokens"
    }
}

/// A provider's answer: its text and what it cost.
public struct ProviderResponse: Sendable, Equatable, Codable {
    public let text: String
    public let usage: TokenUsage
    /// The provider's own reason for stopping (`stop`, `end_turn`, `length`…), when it gives one.
    public let finishReason: String?
    /// The session (or thread) a command-line agent ran the call in, when it reports one: with
    /// it, the agent's own transcript of the call can be found or resumed.
    public let sessionID: String?

    public init(text: String, usage: TokenUsage, finishReason: String? = nil, sessionID: String? = nil) {
        self.text = text
        self.usage = usage
        self.finishReason = finishReason
        self.sessionID = sessionID
    }

    /// The same answer with other usage: how decorators fill in what an adapter left unknown.
    public func with(usage: TokenUsage) -> ProviderResponse {
        ProviderResponse(text: text, usage: usage, finishReason: finishReason, sessionID: sessionID)
    }

    enum CodingKeys: String, CodingKey {
        case text, usage, finishReason = "finish_reason", sessionID = "session_id"
    }
}
