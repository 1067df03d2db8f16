import ConductorDomain
import ConductorKit
import ConductorTesting
import Foundation
import Testing

@Suite("Anthropic provider over HTTP")
struct AnthropicProviderTests {
    typealias Fixture = ProviderFixtures
    typealias Wire = ProviderWireFixtures.Anthropic

    @Test("the request: POST /v1/messages with x-api-key and anthropic-version, the system prompt in its own field, max_tokens set")
    func requestShape() async throws {
        try await TestHTTPServer.with { server in
            await server.enqueue(.json(Wire.message("Done.")))
            let unlimited = ProviderRequest(purpose: .plan, system: "You plan.", messages: [ChatMessage(role: .user, content: "Plan it")], temperature: 0.5)
            _ = try await Fixture.anthropic(server).complete(unlimited)
            let request = try #require(await server.requests.first)
            #expect(request.method == "POST" && request.uri == "/v1/messages")
            #expect(request.header("x-api-key") == Fixture.secret && request.header("anthropic-version") == "2023-06-01")
            #expect(request.header("authorization") == nil)
            let body = try request.json()
            #expect(body["system"] as? String == "You plan." && body["model"] as? String == "claude-sonnet-4-5")
            #expect(body["max_tokens"] as? Int == 8192, "required by the API: the default when the request sets none")
            #expect((body["messages"] as? [[String: String]]) == [["role": "user", "content": "Plan it"]])
            #expect(body["stream"] as? Bool == false && body["temperature"] as? Double == 0.5)
        }
    }

    @Test("a whole answer: input counts cache reads and writes, cache reads are the cached tokens")
    func wholeAnswer() async throws {
        try await TestHTTPServer.with { server in
            await server.enqueue(.json(Wire.message("Hi! My name is Claude.", usage: Wire.usage(2095, 503, cacheRead: 1800, cacheCreation: 100))))
            let response = try await Fixture.anthropic(server).complete(Fixture.request)
            #expect(response == ProviderResponse(
                text: "Hi! My name is Claude.",
                usage: TokenUsage(model: "claude-sonnet-4-5-20250929", tokensIn: 3995, tokensOut: 503, cachedTokens: 1800, costUSD: nil),
                finishReason: "end_turn"
            ))
            #expect((try #require(await server.requests.first).json())["max_tokens"] as? Int == 256)
        }
    }

    @Test("a stream: text deltas, usage from message_start and the cumulative message_delta")
    func streamed() async throws {
        try await TestHTTPServer.with { server in
            await server.enqueue(.events(Wire.streamEvents(["Hello", "!", " How can I help?"], inputTokens: 25, cacheRead: 5, outputTokens: 15), gap: .milliseconds(5)))
            let deltas = Recorder<String>()
            let response = try await Fixture.anthropic(server, stream: true) { deltas.append($0) }.complete(Fixture.request)
            #expect(deltas.all == ["Hello", "!", " How can I help?"])
            #expect(response == ProviderResponse(
                text: "Hello! How can I help?",
                usage: TokenUsage(model: "claude-sonnet-4-5-20250929", tokensIn: 30, tokensOut: 15, cachedTokens: 5, costUSD: nil),
                finishReason: "end_turn"
            ))
            #expect((try #require(await server.requests.first).json())["stream"] as? Bool == true)
        }
    }

    @Test("an error event in the stream (overloaded) becomes the status it stands for, and is retryable")
    func errorEvent() async throws {
        try await TestHTTPServer.with { server in
            await server.enqueue(.events(Wire.streamEvents(["Hel"], stop: false) + [Wire.errorEvent("overloaded_error", "Overloaded")]))
            let error = await Fixture.failure(of: try Fixture.anthropic(server, stream: true))
            #expect(error == .http(provider: "anthropic", status: 529, detail: "the API said: Overloaded", cause: "overloaded or unavailable"))
            #expect(error?.isRetryable == true)
        }
    }

    @Test("401 says exactly what to do, and never repeats the key")
    func unauthorized() async throws {
        try await TestHTTPServer.with { server in
            await server.enqueue(.json(Wire.error("authentication_error", "invalid x-api-key \(Fixture.secret)"), status: 401))
            let error = await Fixture.failure(of: try Fixture.anthropic(server))
            #expect(error?.description == "invalid API key for anthropic (HTTP 401): set ANTHROPIC_API_KEY (the API said: invalid x-api-key [redacted])")
        }
    }

    @Test("malformed JSON, a truncated stream and a stream cut off by a dropped connection")
    func malformed() async throws {
        try await TestHTTPServer.with { server in
            await server.enqueue(.json(#"{"type":"message","content":[{"type":"text","text":"unterminated}]"#))
            #expect(await Fixture.failure(of: try Fixture.anthropic(server))?.description.hasPrefix("anthropic sent an answer that cannot be read: not the JSON the API documents") == true)
            await server.enqueue(.events(Wire.streamEvents(["Hel"], stop: false)))
            #expect(await Fixture.failure(of: try Fixture.anthropic(server, stream: true)) == .malformedResponse(provider: "anthropic", detail: "the stream ended before the answer was complete"))
            await server.enqueue(.events(Wire.streamEvents(["Hel"], stop: false), ending: .drop))
            let dropped = await Fixture.failure(of: try Fixture.anthropic(server, stream: true))
            #expect(dropped?.description.hasPrefix("cannot reach anthropic: the connection closed before the answer was complete") == true, "\(String(describing: dropped))")
        }
    }

    @Test("no key: refused at construction, naming the variable")
    func missingKey() {
        #expect(throws: ProviderError.missingCredential(provider: "anthropic", variable: "ANTHROPIC_API_KEY")) {
            _ = try AnthropicProvider(settings: AnthropicSettings(model: "claude", apiKey: APIKey("")))
        }
    }
}

@Suite("Ollama provider over HTTP")
struct OllamaProviderTests {
    typealias Fixture = ProviderFixtures
    typealias Wire = ProviderWireFixtures.Ollama

    @Test("the request: POST /api/chat, system message first, options, stream always sent; a whole answer's counts")
    func wholeAnswer() async throws {
        try await TestHTTPServer.with { server in
            await server.enqueue(.json(Wire.chat("Hello! How are you today?")))
            let response = try await Fixture.ollama(server).complete(Fixture.request)
            #expect(response == ProviderResponse(
                text: "Hello! How are you today?", usage: TokenUsage(model: "llama3.2", tokensIn: 26, tokensOut: 298, costUSD: nil), finishReason: "stop"
            ))
            let request = try #require(await server.requests.first)
            #expect(request.method == "POST" && request.uri == "/api/chat" && request.header("authorization") == nil)
            let body = try request.json()
            #expect(body["stream"] as? Bool == false && body["model"] as? String == "llama3.2")
            #expect((body["options"] as? [String: Double]) == ["temperature": 0.2, "num_predict": 256])
            #expect((body["messages"] as? [[String: String]])?.first == ["role": "system", "content": "You edit code."])
        }
    }

    @Test("a stream of JSON lines; a prompt served from Ollama's cache (no prompt_eval_count) is estimated")
    func streamed() async throws {
        try await TestHTTPServer.with { server in
            await server.enqueue(.lines(Wire.streamLines(["The", " sky", " is blue."], promptEvalCount: nil), gap: .milliseconds(5)))
            let response = try await Fixture.ollama(server, stream: true).complete(Fixture.request)
            #expect(response.text == "The sky is blue." && response.finishReason == "stop")
            #expect(response.usage == TokenUsage(
                model: "llama3.2", tokensIn: TokenUsage.estimateTokens(in: Fixture.request.promptText), tokensOut: 113, estimated: true, costUSD: nil
            ))
        }
    }

    @Test("a missing model (404) points at the model name; an error line ends the stream")
    func failures() async throws {
        try await TestHTTPServer.with { server in
            await server.enqueue(.json(Wire.error(#"model "llama3.2" not found, try pulling it first"#), status: 404))
            let missing = await Fixture.failure(of: try Fixture.ollama(server))
            #expect(missing?.description == #"not found for ollama (HTTP 404): check the URL \#(server.baseURL) and the model name 'llama3.2' (the API said: model "llama3.2" not found, try pulling it first)"#)
            await server.enqueue(.lines(Wire.streamLines(["par"], done: false) + [Wire.error("model runner has unexpectedly stopped")]))
            let broken = await Fixture.failure(of: try Fixture.ollama(server, stream: true))
            #expect(broken == .http(provider: "ollama", status: 200, detail: "the API said: model runner has unexpectedly stopped", cause: "the answer broke off with an error"))
        }
    }
}

@Suite("Azure OpenAI provider over HTTP")
struct AzureOpenAIProviderTests {
    typealias Fixture = ProviderFixtures

    @Test("the URL names the deployment and api-version; the key goes in api-key; the body names no model")
    func requestShape() async throws {
        try await TestHTTPServer.with { server in
            await server.enqueue(.events(ProviderWireFixtures.OpenAI.streamEvents(["Hi"], model: "gpt-4o-2024-11-20")))
            let settings = AzureOpenAISettings(endpoint: server.baseURL + "/", deployment: "my gpt-4o", apiVersion: "2024-10-21", apiKey: Fixture.key, timeouts: Fixture.quick)
            let response = try await AzureOpenAIProvider(settings: settings).complete(Fixture.request)
            #expect(response.text == "Hi" && response.usage.model == "gpt-4o-2024-11-20")
            let request = try #require(await server.requests.first)
            #expect(request.uri == "/openai/deployments/my%20gpt-4o/chat/completions?api-version=2024-10-21")
            #expect(request.header("api-key") == Fixture.secret && request.header("authorization") == nil)
            let body = try request.json()
            #expect(body["model"] == nil && body["stream"] as? Bool == true)
        }
        #expect(AzureOpenAIProvider.url(endpoint: "https://contoso.openai.azure.com", deployment: "gpt-4o", apiVersion: "2024-10-21")
            == "https://contoso.openai.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21")
    }

    @Test("no key: refused at construction, naming AZURE_OPENAI_API_KEY; a 401 says the same")
    func keys() async throws {
        #expect(throws: ProviderError.missingCredential(provider: "azure", variable: "AZURE_OPENAI_API_KEY")) {
            _ = try AzureOpenAIProvider(settings: AzureOpenAISettings(endpoint: "https://x.openai.azure.com", deployment: "d", apiKey: nil))
        }
        try await TestHTTPServer.with { server in
            await server.enqueue(.json(#"{"error":{"code":"401","message":"Access denied due to invalid subscription key or wrong API endpoint."}}"#, status: 401))
            let settings = AzureOpenAISettings(endpoint: server.baseURL, deployment: "d", apiKey: Fixture.key, stream: false, timeouts: Fixture.quick)
            let error = await Fixture.failure(of: try AzureOpenAIProvider(settings: settings))
            #expect(error?.description == "invalid API key for azure (HTTP 401): set AZURE_OPENAI_API_KEY (the API said: Access denied due to invalid subscription key or wrong API endpoint.)")
        }
    }
}
