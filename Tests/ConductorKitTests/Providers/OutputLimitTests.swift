import ConductorDomain
import ConductorKit
import ConductorTesting
import Foundation
import Testing

/// Every request carries an output limit in its API's field, and an answer cut off by it is
/// recognised, whole or streamed, at every API.
@Suite("Output limits and truncation over HTTP")
struct OutputLimitTests {
    typealias Fixture = ProviderFixtures

    static func request(_ purpose: RequestPurpose) -> ProviderRequest {
        ProviderRequest(purpose: purpose, system: "You edit code.", messages: [ChatMessage(role: .user, content: "Fix add()")], temperature: 0.2)
    }

    static let limits = OutputTokenLimits(spec: 111, plan: 222, build: 3333, repair: 4444)

    @Test("openai and compatible servers: max_tokens per kind of request, the request's own limit first")
    func openAILimits() async throws {
        try await TestHTTPServer.with { server in
            let provider = try OpenAIProvider(settings: OpenAISettings(
                baseURL: server.baseURL + "/v1", model: "gpt-4o", apiKey: Fixture.key, stream: false, timeouts: Fixture.quick, outputLimits: Self.limits
            ))
            for purpose in RequestPurpose.allCases {
                await server.enqueue(.json(ProviderWireFixtures.OpenAI.completion("ok")))
                let response = try await provider.complete(Self.request(purpose))
                #expect(response.maxOutputTokens == Self.limits.tokens(for: purpose))
            }
            await server.enqueue(.json(ProviderWireFixtures.OpenAI.completion("ok")))
            _ = try await provider.complete(Fixture.request)  // sets 256 itself
            let bodies = try await server.requests.map { try $0.json() }
            #expect(bodies.map { $0["max_tokens"] as? Int } == [111, 222, 3333, 4444, 256])
            #expect(bodies.allSatisfy { $0["max_completion_tokens"] == nil })
        }
    }

    @Test("the defaults: 2000 for specs and plans, 8000 for builds and repairs")
    func defaults() async throws {
        try await TestHTTPServer.with { server in
            let provider = try OpenAIProvider(settings: OpenAISettings(baseURL: server.baseURL + "/v1", model: "gpt-4o", apiKey: Fixture.key, stream: false, timeouts: Fixture.quick))
            for purpose in [RequestPurpose.plan, .build] {
                await server.enqueue(.json(ProviderWireFixtures.OpenAI.completion("ok")))
                _ = try await provider.complete(Self.request(purpose))
            }
            #expect(try await server.requests.map { try $0.json()["max_tokens"] as? Int } == [2000, 8000])
        }
    }

    @Test("azure: max_tokens; anthropic: the required max_tokens; ollama: options.num_predict")
    func otherAPIs() async throws {
        try await TestHTTPServer.with { server in
            await server.enqueue(.json(ProviderWireFixtures.OpenAI.completion("ok")))
            _ = try await AzureOpenAIProvider(settings: AzureOpenAISettings(
                endpoint: server.baseURL, deployment: "gpt-4o", apiKey: Fixture.key, stream: false, timeouts: Fixture.quick, outputLimits: Self.limits
            )).complete(Self.request(.repair))
            await server.enqueue(.json(ProviderWireFixtures.Anthropic.message("ok")))
            _ = try await AnthropicProvider(settings: AnthropicSettings(
                baseURL: server.baseURL, model: "claude-sonnet-4-5", apiKey: Fixture.key, stream: false, timeouts: Fixture.quick, outputLimits: Self.limits
            )).complete(Self.request(.plan))
            await server.enqueue(.json(ProviderWireFixtures.Ollama.chat("ok")))
            _ = try await OllamaProvider(settings: OllamaSettings(
                baseURL: server.baseURL, model: "llama3.2", stream: false, timeouts: Fixture.quick, outputLimits: Self.limits
            )).complete(Self.request(.build))
            let bodies = try await server.requests.map { try $0.json() }
            #expect(bodies[0]["max_tokens"] as? Int == 4444)
            #expect(bodies[1]["max_tokens"] as? Int == 222)
            #expect((bodies[2]["options"] as? [String: Any])?["num_predict"] as? Int == 3333)
        }
    }

    @Test("openai: finish_reason length, whole and streamed, is a truncated answer")
    func openAITruncated() async throws {
        try await TestHTTPServer.with { server in
            await server.enqueue(.json(ProviderWireFixtures.OpenAI.completion("half an ans", finishReason: "length")))
            let whole = try await Fixture.openAI(server).complete(Fixture.request)
            #expect(whole.isTruncated && whole.finishReason == "length" && whole.text == "half an ans")
            await server.enqueue(.events(ProviderWireFixtures.OpenAI.streamEvents(["half ", "an ans"], finishReason: "length")))
            let streamed = try await Fixture.openAI(server, stream: true).complete(Fixture.request)
            #expect(streamed.isTruncated && streamed.text == "half an ans")
            await server.enqueue(.json(ProviderWireFixtures.OpenAI.completion("whole")))
            #expect(try await Fixture.openAI(server).complete(Fixture.request).isTruncated == false)
        }
    }

    @Test("anthropic: stop_reason max_tokens, whole and streamed, is a truncated answer")
    func anthropicTruncated() async throws {
        try await TestHTTPServer.with { server in
            await server.enqueue(.json(ProviderWireFixtures.Anthropic.message("half", stopReason: "max_tokens")))
            let whole = try await Fixture.anthropic(server).complete(Fixture.request)
            #expect(whole.isTruncated && whole.finishReason == "length")
            await server.enqueue(.events(ProviderWireFixtures.Anthropic.streamEvents(["ha", "lf"], stopReason: "max_tokens")))
            let streamed = try await Fixture.anthropic(server, stream: true).complete(Fixture.request)
            #expect(streamed.isTruncated && streamed.text == "half")
            await server.enqueue(.events(ProviderWireFixtures.Anthropic.streamEvents(["whole"])))
            let complete = try await Fixture.anthropic(server, stream: true).complete(Fixture.request)
            #expect(!complete.isTruncated && complete.finishReason == "stop")
        }
    }

    @Test("ollama: done_reason length, whole and streamed, is a truncated answer")
    func ollamaTruncated() async throws {
        try await TestHTTPServer.with { server in
            await server.enqueue(.json(ProviderWireFixtures.Ollama.chat("half", doneReason: "length")))
            #expect(try await Fixture.ollama(server).complete(Fixture.request).isTruncated)
            await server.enqueue(.lines(ProviderWireFixtures.Ollama.streamLines(["ha", "lf"], doneReason: "length")))
            let streamed = try await Fixture.ollama(server, stream: true).complete(Fixture.request)
            #expect(streamed.isTruncated && streamed.text == "half")
        }
    }

    @Test("a truncated answer is recorded on its attempt with the limit it hit")
    func attemptRecordsTruncation() async throws {
        try await TestHTTPServer.with { server in
            await server.enqueue(.json(ProviderWireFixtures.OpenAI.completion("half", finishReason: "length")))
            let attempts = Recorder<ProviderAttempt>()
            _ = try await ResilientProvider(try Fixture.openAI(server), observer: { attempts.append($0) }).complete(Fixture.request)
            let attempt = try #require(attempts.all.first)
            #expect(attempt.isTruncated && attempt.maxOutputTokens == 256 && attempt.outcome == .ok)
        }
    }
}
