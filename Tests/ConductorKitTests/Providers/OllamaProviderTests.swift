import ConductorDomain
import ConductorKit
import ConductorTesting
import Foundation
import Testing

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
                text: "Hello! How are you today?", usage: TokenUsage(model: "llama3.2", tokensIn: 26, tokensOut: 298, costUSD: nil), finishReason: "stop",
                maxOutputTokens: 256
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
