import ConductorDomain
import Foundation
import Testing

/// Bodies modelled on the public API references (OpenAI Chat Completions, Anthropic Messages,
/// Ollama /api/chat), then the compatible servers' variations.
@Suite("Provider wire formats")
struct WireFormatTests {
    static let request = ProviderRequest(
        purpose: .build, system: "You edit code.",
        messages: [ChatMessage(role: .user, content: "Fix add()"), ChatMessage(role: .assistant, content: "Which file?"), ChatMessage(role: .user, content: "Sources/Add.swift")],
        temperature: 0.2, maxOutputTokens: 512
    )

    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }

    // MARK: OpenAI

    @Test("OpenAI: the system prompt is the first message; streaming asks for usage; the limit field is configurable")
    func openAIRequest() throws {
        let plain = OpenAIChatWire.RequestBody(request: Self.request, model: "gpt-4o", stream: false)
        #expect(try Self.json(plain) == #"{"max_tokens":512,"messages":[{"content":"You edit code.","role":"system"},{"content":"Fix add()","role":"user"},{"content":"Which file?","role":"assistant"},{"content":"Sources/Add.swift","role":"user"}],"model":"gpt-4o","stream":false,"temperature":0.2}"#)
        let streamed = OpenAIChatWire.RequestBody(request: Self.request, model: nil, stream: true, limitField: .maxCompletionTokens)
        let text = try Self.json(streamed)
        #expect(text.contains(#""stream":true,"stream_options":{"include_usage":true}"#))
        #expect(text.contains(#""max_completion_tokens":512"#) && !text.contains("max_tokens\"") && !text.contains("\"model\""))
        let bare = ProviderRequest(purpose: .plan, system: "", messages: [ChatMessage(role: .user, content: "hi")], temperature: 0)
        #expect(try Self.json(OpenAIChatWire.RequestBody(request: bare, model: "m", stream: false)) == #"{"messages":[{"content":"hi","role":"user"}],"model":"m","stream":false,"temperature":0}"#)
    }

    @Test("OpenAI: text, finish reason, usage with cached tokens, and the model the API names")
    func openAIResponse() throws {
        let body = """
            {"id": "chatcmpl-123", "object": "chat.completion", "created": 1677652288, "model": "gpt-4o-2024-08-06",
             "system_fingerprint": "fp_44709d6fcb",
             "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello there, how may I assist you today?", "refusal": null}, "logprobs": null, "finish_reason": "stop"}],
             "usage": {"prompt_tokens": 19, "completion_tokens": 10, "total_tokens": 29, "prompt_tokens_details": {"cached_tokens": 12, "audio_tokens": 0}, "completion_tokens_details": {"reasoning_tokens": 0}}}
            """
        let response = try Self.decode(OpenAIChatWire.Response.self, body).providerResponse(for: Self.request, configuredModel: "gpt-4o")
        #expect(response == ProviderResponse(
            text: "Hello there, how may I assist you today?",
            usage: TokenUsage(model: "gpt-4o-2024-08-06", tokensIn: 19, tokensOut: 10, cachedTokens: 12, reasoningTokens: 0, costUSD: nil),
            finishReason: "stop"
        ))
    }

    @Test("compatible servers: no usage, no model, null content are estimated or defaulted, not errors")
    func openAICompatibleQuirks() throws {
        let body = #"{"choices": [{"message": {"content": "four characters a token"}}]}"#
        let response = try Self.decode(OpenAIChatWire.Response.self, body).providerResponse(for: Self.request, configuredModel: "local")
        #expect(response.text == "four characters a token" && response.finishReason == nil)
        #expect(response.usage == TokenUsage(
            model: "local", tokensIn: TokenUsage.estimateTokens(in: Self.request.promptText),
            tokensOut: TokenUsage.estimateTokens(in: "four characters a token"), estimated: true, costUSD: nil
        ))
        let partial = #"{"model": "", "choices": [{"message": {"content": null}, "finish_reason": "length"}], "usage": {"prompt_tokens": 5, "completion_tokens": null}}"#
        let partly = try Self.decode(OpenAIChatWire.Response.self, partial).providerResponse(for: Self.request, configuredModel: "local")
        #expect(partly.text.isEmpty && partly.usage.model == "local" && partly.usage.tokensIn == 5 && partly.usage.estimated)
        #expect(throws: WireFormatError("the answer has no choices")) {
            _ = try Self.decode(OpenAIChatWire.Response.self, #"{"object": "list", "data": []}"#).providerResponse(for: Self.request, configuredModel: nil)
        }
    }

    static func openAIStream(_ datas: [String]) throws -> (OpenAIChatWire.StreamAccumulator, [StreamStep]) {
        var accumulator = OpenAIChatWire.StreamAccumulator()
        var steps: [StreamStep] = []
        for data in datas where !accumulator.isDone(data) {
            steps.append(accumulator.add(try Self.decode(OpenAIChatWire.StreamChunk.self, data)))
        }
        return (accumulator, steps)
    }

    @Test("OpenAI stream: deltas, usage in the last chunk (empty choices), [DONE]")
    func openAIStreamUsageLast() throws {
        let (accumulator, steps) = try Self.openAIStream([
            #"{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}],"usage":null}"#,
            #"{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"Hello"},"finish_reason":null}],"usage":null}"#,
            #"{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":" world"},"finish_reason":null}],"usage":null}"#,
            #"{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":null}"#,
            #"{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":2,"total_tokens":11,"prompt_tokens_details":{"cached_tokens":0}}}"#,
            "[DONE]",
        ])
        #expect(steps == [.none, .text("Hello"), .text(" world"), .none, .none])
        let response = try accumulator.providerResponse(for: Self.request, configuredModel: "x")
        #expect(response == ProviderResponse(text: "Hello world", usage: TokenUsage(model: "gpt-4o-mini", tokensIn: 9, tokensOut: 2, cachedTokens: 0, costUSD: nil), finishReason: "stop"))
    }

    @Test("OpenAI stream without usage (servers that ignore include_usage) is estimated; choices null is fine")
    func openAIStreamNoUsage() throws {
        let (accumulator, _) = try Self.openAIStream([
            #"{"choices":[{"delta":{"content":"abcd"}}]}"#,
            #"{"choices":null}"#,
            #"{"choices":[{"delta":{"content":"efgh"},"finish_reason":"stop"}]}"#,
        ])
        let response = try accumulator.providerResponse(for: Self.request, configuredModel: "llama")
        #expect(response.text == "abcdefgh" && response.usage.model == "llama" && response.usage.estimated && response.usage.tokensOut == 2)
    }

    @Test("OpenAI stream cut short, and an error inside the stream")
    func openAIStreamFailures() throws {
        let (cut, _) = try Self.openAIStream([#"{"choices":[{"delta":{"content":"Hel"}}]}"#])
        #expect(throws: WireFormatError("the stream ended before the answer was complete")) {
            _ = try cut.providerResponse(for: Self.request, configuredModel: nil)
        }
        let (_, steps) = try Self.openAIStream([#"{"error":{"message":"Upstream overloaded","code":502}}"#])
        #expect(steps == [.failure(status: 502, message: "Upstream overloaded")])
    }

    @Test("OpenAI error bodies: the object form, Azure's string codes, and a bare string")
    func openAIErrors() throws {
        #expect(try Self.decode(OpenAIChatWire.ErrorBody.self, #"{"error":{"message":"Incorrect API key provided.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}"#).message == "Incorrect API key provided.")
        #expect(try Self.decode(OpenAIChatWire.ErrorBody.self, #"{"error":{"code":"401","message":"Access denied due to invalid subscription key."}}"#).error?.code == "401")
        #expect(try Self.decode(OpenAIChatWire.ErrorBody.self, #"{"error":"Unexpected endpoint or method."}"#).message == "Unexpected endpoint or method.")
    }

    // MARK: Anthropic

    @Test("Anthropic: system prompt in its own field, max_tokens always set")
    func anthropicRequest() throws {
        let body = AnthropicMessagesWire.RequestBody(request: Self.request, model: "claude-sonnet-4-5", stream: true)
        #expect(try Self.json(body) == #"{"max_tokens":512,"messages":[{"content":"Fix add()","role":"user"},{"content":"Which file?","role":"assistant"},{"content":"Sources/Add.swift","role":"user"}],"model":"claude-sonnet-4-5","stream":true,"system":"You edit code.","temperature":0.2}"#)
        let unlimited = ProviderRequest(purpose: .plan, system: "", messages: [ChatMessage(role: .user, content: "hi")], temperature: 1)
        let text = try Self.json(AnthropicMessagesWire.RequestBody(request: unlimited, model: "m", stream: false))
        #expect(text == #"{"max_tokens":8192,"messages":[{"content":"hi","role":"user"}],"model":"m","stream":false,"temperature":1}"#)
    }

    @Test("Anthropic: text blocks joined, input counts the cache too, cache reads are the cached tokens")
    func anthropicResponse() throws {
        let body = """
            {"id": "msg_013Zva2CMHLNnXjNJJKqJ2EF", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5-20250929",
             "content": [{"type": "thinking", "thinking": "…", "signature": "x"}, {"type": "text", "text": "Hi! My name is "}, {"type": "text", "text": "Claude."}],
             "stop_reason": "end_turn", "stop_sequence": null,
             "usage": {"input_tokens": 2095, "output_tokens": 503, "cache_creation_input_tokens": 100, "cache_read_input_tokens": 1800}}
            """
        let response = try Self.decode(AnthropicMessagesWire.Response.self, body).providerResponse(for: Self.request, configuredModel: "claude")
        #expect(response == ProviderResponse(
            text: "Hi! My name is Claude.",
            usage: TokenUsage(model: "claude-sonnet-4-5-20250929", tokensIn: 3995, tokensOut: 503, cachedTokens: 1800, costUSD: nil),
            finishReason: "end_turn"
        ))
    }

    static func anthropicStream(_ events: [(String, String)]) throws -> (AnthropicMessagesWire.StreamAccumulator, [StreamStep]) {
        var accumulator = AnthropicMessagesWire.StreamAccumulator()
        let steps = try events.map { name, data in accumulator.add(try Self.decode(AnthropicMessagesWire.StreamEvent.self, data), named: name) }
        return (accumulator, steps)
    }

    @Test("Anthropic stream: message_start usage, text deltas, cumulative message_delta usage, message_stop")
    func anthropicStream() throws {
        let (accumulator, steps) = try Self.anthropicStream([
            ("message_start", #"{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"claude-sonnet-4-5-20250929","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":25,"cache_read_input_tokens":10,"output_tokens":1}}}"#),
            ("content_block_start", #"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#),
            ("ping", #"{"type": "ping"}"#),
            ("content_block_delta", #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}"#),
            ("content_block_delta", #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"!"}}"#),
            ("content_block_stop", #"{"type":"content_block_stop","index":0}"#),
            ("message_delta", #"{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":15}}"#),
            ("message_stop", #"{"type":"message_stop"}"#),
        ])
        #expect(steps.filter { $0 != .none } == [.text("Hello"), .text("!")])
        #expect(try accumulator.providerResponse(for: Self.request, configuredModel: nil) == ProviderResponse(
            text: "Hello!", usage: TokenUsage(model: "claude-sonnet-4-5-20250929", tokensIn: 35, tokensOut: 15, cachedTokens: 10, costUSD: nil), finishReason: "end_turn"
        ))
    }

    @Test("Anthropic stream: an error event carries the status its type stands for; a stream cut short is an error")
    func anthropicStreamFailures() throws {
        let (_, steps) = try Self.anthropicStream([("error", #"{"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}"#)])
        #expect(steps == [.failure(status: 529, message: "Overloaded")])
        let (cut, _) = try Self.anthropicStream([("content_block_delta", #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel"}}"#)])
        #expect(throws: WireFormatError("the stream ended before the answer was complete")) {
            _ = try cut.providerResponse(for: Self.request, configuredModel: nil)
        }
    }

    // MARK: Ollama

    @Test("Ollama: system message first, options, stream always sent")
    func ollamaRequest() throws {
        let body = OllamaChatWire.RequestBody(request: Self.request, model: "llama3.2", stream: false)
        #expect(try Self.json(body) == #"{"messages":[{"content":"You edit code.","role":"system"},{"content":"Fix add()","role":"user"},{"content":"Which file?","role":"assistant"},{"content":"Sources/Add.swift","role":"user"}],"model":"llama3.2","options":{"num_predict":512,"temperature":0.2},"stream":false}"#)
    }

    @Test("Ollama: counts from prompt_eval_count and eval_count; a cached prompt without prompt_eval_count is estimated")
    func ollamaResponse() throws {
        let body = #"{"model":"llama3.2","created_at":"2023-12-12T14:13:43.416799Z","message":{"role":"assistant","content":"Hello! How are you today?"},"done":true,"done_reason":"stop","total_duration":5191566416,"load_duration":2154458,"prompt_eval_count":26,"prompt_eval_duration":383809000,"eval_count":298,"eval_duration":4799921000}"#
        #expect(try Self.decode(OllamaChatWire.Response.self, body).providerResponse(for: Self.request, configuredModel: nil) == ProviderResponse(
            text: "Hello! How are you today?", usage: TokenUsage(model: "llama3.2", tokensIn: 26, tokensOut: 298, costUSD: nil), finishReason: "stop"
        ))
        var accumulator = OllamaChatWire.StreamAccumulator()
        for line in [
            #"{"model":"llama3.2","created_at":"2023-08-04T08:52:19.385406455-07:00","message":{"role":"assistant","content":"The"},"done":false}"#,
            #"{"model":"llama3.2","created_at":"2023-08-04T08:52:19.385406455-07:00","message":{"role":"assistant","content":" sky"},"done":false}"#,
            #"{"model":"llama3.2","created_at":"2023-08-04T19:22:45.499127Z","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop","total_duration":4883583458,"eval_count":113,"eval_duration":4550000000}"#,
        ] {
            _ = accumulator.add(try Self.decode(OllamaChatWire.Response.self, line))
        }
        let streamed = try accumulator.providerResponse(for: Self.request, configuredModel: nil)
        #expect(streamed.text == "The sky" && streamed.usage.tokensOut == 113 && streamed.usage.estimated)
        #expect(streamed.usage.tokensIn == TokenUsage.estimateTokens(in: Self.request.promptText))
    }

    @Test("Ollama: an error line, and a stream without its done line")
    func ollamaFailures() throws {
        var accumulator = OllamaChatWire.StreamAccumulator()
        #expect(accumulator.add(try Self.decode(OllamaChatWire.Response.self, #"{"error":"model runner has unexpectedly stopped"}"#)) == .failure(status: nil, message: "model runner has unexpectedly stopped"))
        #expect(throws: WireFormatError("the stream ended before the answer was complete")) {
            _ = try accumulator.providerResponse(for: Self.request, configuredModel: nil)
        }
    }
}

@Suite("HTTP failure diagnosis")
struct HTTPFailureDiagnosisTests {
    static let context = HTTPFailureDiagnosis.Context(model: "claude-x", credentialVariable: "ANTHROPIC_API_KEY", endpoint: "https://api.anthropic.com")

    @Test("each status names its likely cause and, where there is one, the fix")
    func statuses() {
        #expect(HTTPFailureDiagnosis.diagnose(status: 401, context: Self.context) == HTTPFailureDiagnosis(cause: "invalid API key", remedy: "set ANTHROPIC_API_KEY"))
        #expect(HTTPFailureDiagnosis.diagnose(status: 404, context: Self.context)?.remedy == "check the URL https://api.anthropic.com and the model name 'claude-x'")
        #expect(HTTPFailureDiagnosis.diagnose(status: 429, context: Self.context)?.cause == "rate limited")
        #expect(HTTPFailureDiagnosis.diagnose(status: 529, context: Self.context)?.cause == "overloaded or unavailable")
        #expect(HTTPFailureDiagnosis.diagnose(status: 418, context: Self.context) == nil)
        let keyless = HTTPFailureDiagnosis.Context(model: "m", credentialVariable: nil, endpoint: "http://127.0.0.1:8080/v1")
        #expect(HTTPFailureDiagnosis.diagnose(status: 401, context: keyless)?.remedy == "the server at http://127.0.0.1:8080/v1 wants an API key")
    }

    @Test("the detail puts the fix first and the API's own words after it")
    func detail() {
        #expect(HTTPFailureDiagnosis.detail(remedy: "set X", apiMessage: "invalid x-api-key") == "set X (the API said: invalid x-api-key)")
        #expect(HTTPFailureDiagnosis.detail(remedy: nil, apiMessage: "boom") == "the API said: boom")
        #expect(HTTPFailureDiagnosis.detail(remedy: "set X", apiMessage: "") == "set X")
        #expect(HTTPFailureDiagnosis.detail(remedy: nil, apiMessage: nil).isEmpty)
    }
}

@Suite("Provider attempt records")
struct ProviderAttemptTests {
    @Test("stored as flat JSON with the status beside the outcome, and read back")
    func coding() throws {
        let attempts = [
            ProviderAttempt(provider: "anthropic", model: "claude-x", attempt: 1, outcome: .http(status: 429), latencyMilliseconds: 112, error: "rate limited for anthropic (HTTP 429)", retryInSeconds: 2),
            ProviderAttempt(provider: "ollama", model: "llama3.2", attempt: 1, outcome: .ok, latencyMilliseconds: 950),
            ProviderAttempt(provider: "openai", model: nil, attempt: 3, outcome: .circuitOpen, latencyMilliseconds: 0, error: "open"),
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = try encoder.encode(attempts)
        #expect(String(decoding: try encoder.encode(attempts[0]), as: UTF8.self)
            == #"{"attempt":1,"error":"rate limited for anthropic (HTTP 429)","latency_ms":112,"model":"claude-x","outcome":"http","provider":"anthropic","retry_in_s":2,"status":429}"#)
        #expect(try JSONDecoder().decode([ProviderAttempt].self, from: data) == attempts)
        let newer = #"{"provider":"p","attempt":1,"outcome":"teleported","latency_ms":1}"#
        #expect(try JSONDecoder().decode(ProviderAttempt.self, from: Data(newer.utf8)).outcome == .failed)
    }
}
