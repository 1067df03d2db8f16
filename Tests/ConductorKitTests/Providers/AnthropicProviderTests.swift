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
            #expect(body["model"] as? String == "claude-sonnet-4-5")
            // The system prompt is one text block with a cache breakpoint (docs/providers.md).
            let system = try #require(body["system"] as? [[String: Any]])
            #expect(system.count == 1 && system[0]["type"] as? String == "text" && system[0]["text"] as? String == "You plan.")
            #expect(body["max_tokens"] as? Int == OutputTokenLimits.defaultPlan, "required by the API: the plan limit when the request sets none")
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
                finishReason: "stop", maxOutputTokens: 256
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
                finishReason: "stop", maxOutputTokens: 256
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
