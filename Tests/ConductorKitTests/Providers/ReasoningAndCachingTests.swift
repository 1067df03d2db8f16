import ConductorDomain
import ConductorKit
import ConductorTesting
import Foundation
import Testing

/// Reasoning models get the request they accept; Anthropic's stable prefix carries cache
/// breakpoints; cached and reasoning tokens are read from usage and priced.
@Suite("Reasoning models and prompt caching over HTTP")
struct ReasoningAndCachingTests {
    typealias Fixture = ProviderFixtures

    static func openAI(_ server: TestHTTPServer, model: String, capabilities: ModelCapabilities? = nil, effort: ReasoningEffort? = nil) throws -> OpenAIProvider {
        try OpenAIProvider(settings: OpenAISettings(
            baseURL: server.baseURL + "/v1", model: model, apiKey: Fixture.key, stream: false, timeouts: Fixture.quick,
            capabilities: capabilities, reasoningEffort: effort
        ))
    }

    @Test("a reasoning model (o3-mini, gpt-5): no temperature, the developer role, max_completion_tokens, reasoning_effort")
    func reasoningRequest() async throws {
        try await TestHTTPServer.with { server in
            for model in ["o3-mini", "gpt-5-2025-08-07", "openai/o4-mini"] {
                await server.enqueue(.json(ProviderWireFixtures.OpenAI.completion("ok")))
                let provider = try Self.openAI(server, model: model, effort: .low)
                #expect(!provider.allowsTemperature)
                _ = try await provider.complete(Fixture.request)
                let body = try #require(await server.requests.last).json()
                #expect(body["temperature"] == nil, "\(model)")
                #expect(body["max_tokens"] == nil && body["max_completion_tokens"] as? Int == 256, "\(model)")
                #expect(body["reasoning_effort"] as? String == "low", "\(model)")
                let messages = try #require(body["messages"] as? [[String: String]])
                #expect(messages.first == ["role": "developer", "content": "You edit code."], "\(model)")
            }
        }
    }

    @Test("a chat model: temperature, the system role, max_tokens, and no reasoning_effort even when configured")
    func chatRequest() async throws {
        try await TestHTTPServer.with { server in
            await server.enqueue(.json(ProviderWireFixtures.OpenAI.completion("ok")))
            let provider = try Self.openAI(server, model: "gpt-4o", effort: .high)
            #expect(provider.allowsTemperature)
            _ = try await provider.complete(Fixture.request)
            let body = try #require(await server.requests.first).json()
            #expect(body["temperature"] as? Double == 0.2 && body["max_tokens"] as? Int == 256 && body["reasoning_effort"] == nil)
            #expect((body["messages"] as? [[String: String]])?.first?["role"] == "system")
        }
    }

    @Test("o1-mini takes no system or developer message: the system prompt opens the user message")
    func earlyReasoning() async throws {
        try await TestHTTPServer.with { server in
            await server.enqueue(.json(ProviderWireFixtures.OpenAI.completion("ok")))
            _ = try await Self.openAI(server, model: "o1-mini").complete(Fixture.request)
            let messages = try #require(try await server.requests.first?.json()["messages"] as? [[String: String]])
            #expect(messages == [["role": "user", "content": "You edit code.\n\nFix add() in Sources/Add.swift"]])
        }
    }

    @Test("a compatible server's model the table does not know is a reasoning model when the profile says so")
    func override() async throws {
        try await TestHTTPServer.with { server in
            await server.enqueue(.json(ProviderWireFixtures.OpenAI.completion("ok")))
            _ = try await Self.openAI(server, model: "my-thinker", capabilities: .reasoning).complete(Fixture.request)
            let body = try #require(await server.requests.first).json()
            #expect(body["temperature"] == nil && body["max_completion_tokens"] as? Int == 256)
        }
    }

    @Test("reasoning tokens are read from completion_tokens_details, and priced as output")
    func reasoningTokens() async throws {
        try await TestHTTPServer.with { server in
            await server.enqueue(.json(ProviderWireFixtures.OpenAI.completion("ok", model: "o3", usage: ProviderWireFixtures.OpenAI.usage(1000, 3000, cached: 400, reasoning: 2500))))
            let response = try await PricedProvider(try Self.openAI(server, model: "o3")).complete(Fixture.request)
            #expect(response.usage.reasoningTokens == 2500 && response.usage.tokensOut == 3000 && response.usage.cachedTokens == 400)
            // o3: $2 input, $0.50 cached input, $8 output per million.
            let expected = (600 * 2.0 + 400 * 0.5 + 3000 * 8.0) / 1_000_000
            #expect(abs((response.usage.costUSD ?? 0) - expected) < 1e-12)
        }
    }

    @Test("anthropic: cache_control on the system prompt, and on the first user message up to the cache boundary")
    func anthropicCacheControl() async throws {
        try await TestHTTPServer.with { server in
            let request = ProviderRequest(
                purpose: .repair, system: "You edit code.",
                messages: [ChatMessage(role: .user, content: PromptCache.join(stable: "# Task\n\nFix add()\n\n", rest: "# The last verification failed\n\n…"))],
                temperature: 0.2
            )
            await server.enqueue(.json(ProviderWireFixtures.Anthropic.message("ok")))
            _ = try await Fixture.anthropic(server).complete(request)
            let body = try #require(await server.requests.first).json()
            let system = try #require(body["system"] as? [[String: Any]])
            #expect(system.count == 1 && system[0]["text"] as? String == "You edit code.")
            #expect((system[0]["cache_control"] as? [String: String]) == ["type": "ephemeral"])
            let content = try #require((body["messages"] as? [[String: Any]])?.first?["content"] as? [[String: Any]])
            #expect(content.count == 2)
            #expect(content[0]["text"] as? String == "# Task\n\nFix add()\n\n" && (content[0]["cache_control"] as? [String: String]) == ["type": "ephemeral"])
            #expect(content[1]["text"] as? String == "# The last verification failed\n\n…" && content[1]["cache_control"] == nil)

            // Without a boundary the message is plain text; the system prompt is still cached.
            await server.enqueue(.json(ProviderWireFixtures.Anthropic.message("ok")))
            _ = try await Fixture.anthropic(server).complete(Fixture.request)
            let plain = try #require(await server.requests.last).json()
            #expect((plain["messages"] as? [[String: Any]])?.first?["content"] as? String == "Fix add() in Sources/Add.swift")
            #expect((plain["system"] as? [[String: Any]])?.first?["cache_control"] != nil)
        }
    }

    @Test("the boundary never reaches a model that does not cache by breakpoints")
    func boundaryStripped() async throws {
        try await TestHTTPServer.with { server in
            let request = ProviderRequest(
                purpose: .build, system: "s", messages: [ChatMessage(role: .user, content: PromptCache.join(stable: "stable ", rest: "rest"))], temperature: 0.2
            )
            await server.enqueue(.json(ProviderWireFixtures.OpenAI.completion("ok")), .json(ProviderWireFixtures.Ollama.chat("ok")))
            _ = try await Fixture.openAI(server).complete(request)
            _ = try await Fixture.ollama(server).complete(request)
            for sent in await server.requests {
                #expect(!sent.bodyText.contains("cache-boundary"))
                #expect(sent.bodyText.contains("stable rest"))
            }
        }
    }

    @Test("anthropic: cache reads are cached tokens, priced at the cached rate; cache writes at the input rate")
    func anthropicCachedPriced() async throws {
        try await TestHTTPServer.with { server in
            await server.enqueue(.json(ProviderWireFixtures.Anthropic.message(
                "ok", usage: ProviderWireFixtures.Anthropic.usage(100, 50, cacheRead: 4000, cacheCreation: 1000)
            )))
            let response = try await PricedProvider(try Fixture.anthropic(server)).complete(Fixture.request)
            #expect(response.usage.tokensIn == 5100 && response.usage.cachedTokens == 4000)
            // claude-sonnet-4-5: $3 input, $0.30 cache hits, $15 output per million.
            let expected = (1100 * 3.0 + 4000 * 0.30 + 50 * 15.0) / 1_000_000
            #expect(abs((response.usage.costUSD ?? 0) - expected) < 1e-12)
        }
    }

    @Test("openai streaming: cached tokens from the usage chunk, priced at the cached rate")
    func openAICachedStreamed() async throws {
        try await TestHTTPServer.with { server in
            await server.enqueue(.events(ProviderWireFixtures.OpenAI.streamEvents(["ok"], model: "gpt-4o", usage: ProviderWireFixtures.OpenAI.usage(2000, 10, cached: 1500))))
            let response = try await PricedProvider(try Fixture.openAI(server, stream: true)).complete(Fixture.request)
            #expect(response.usage.cachedTokens == 1500)
            let expected = (500 * 2.5 + 1500 * 1.25 + 10 * 10.0) / 1_000_000
            #expect(abs((response.usage.costUSD ?? 0) - expected) < 1e-12)
        }
    }
}
