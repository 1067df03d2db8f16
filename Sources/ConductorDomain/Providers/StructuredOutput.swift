/// A JSON Schema the answer must follow, with the name the APIs want for it (OpenAI's
/// `json_schema.name`, Anthropic's tool name): `[a-zA-Z0-9_-]`, at most 64 characters.
///
/// Set by the engine on plan and spec requests (``ProviderRequest/responseSchema``); each
/// adapter sends it in its API's own form (``StructuredOutputForm``). The schema constrains
/// decoding where the server can; the engine still checks the answer itself, because a
/// server may ignore it.
public struct JSONSchema: Sendable, Equatable, Codable {
    public let name: String
    /// What the answer is, for the API's tool description.
    public let description: String
    public let schema: JSONValue

    public init(name: String, description: String, schema: JSONValue) {
        self.name = name
        self.description = description
        self.schema = schema
    }
}

/// How a call asked for structured output: recorded on each `attempt` event as `structured`.
public enum StructuredOutputForm: String, Sendable, Equatable, Codable, CaseIterable {
    /// OpenAI's `response_format: {type: "json_schema", json_schema: {name, strict, schema}}`
    /// (Azure OpenAI, vLLM, LM Studio, llama.cpp's server, OpenRouter).
    case jsonSchema = "json_schema"
    /// `response_format: {type: "json_object", schema: …}`: llama-cpp-python's form, and JSON
    /// mode at servers that ignore the `schema` member.
    case jsonObject = "json_object"
    /// Anthropic: a forced call of one tool whose `input_schema` is the schema; its input is
    /// the answer.
    case tool
    /// Ollama's `format: <schema>`.
    case format
    /// Nothing in the request: the schema is only described by the prompt.
    case prompt

    /// The forms an API offers, best first; the last is always ``prompt``.
    public static func ladder(for api: StructuredOutputAPI) -> [StructuredOutputForm] {
        switch api {
        case .chatCompletions: [.jsonSchema, .jsonObject, .prompt]
        case .anthropicMessages: [.tool, .prompt]
        case .ollamaChat: [.format, .prompt]
        }
    }

    /// Whether an error answer means "this server does not take this form", so the next form
    /// is worth a try: a 400 or 422 (some servers validate the body with 422) whose message
    /// names the feature. Other 400s (a prompt too long, a bad model name) would fail the same
    /// way in any form and are not retried.
    /// `message` may be a diagnosed error's detail: only what the API said (after
    /// "the API said:") is read then, so a model name never counts as the feature.
    public static func isRefusal(status: Int, message: String) -> Bool {
        guard status == 400 || status == 422 else { return false }
        let said = message.firstRange(of: "the API said:").map { message[$0.upperBound...] } ?? message[...]
        let text = said.lowercased()
        return ["response_format", "json_schema", "json_object", "schema", "structured output", "tool_choice", "tools", "format"]
            .contains { text.contains($0) }
    }
}

/// The request formats that take structured output differently.
public enum StructuredOutputAPI: String, Sendable, Equatable {
    case chatCompletions = "chat_completions"
    case anthropicMessages = "anthropic_messages"
    case ollamaChat = "ollama_chat"
}
