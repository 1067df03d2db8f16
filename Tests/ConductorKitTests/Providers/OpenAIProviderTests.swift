import ConductorDomain
import ConductorKit
import ConductorTesting
import Foundation
import Testing

@Suite("OpenAI provider over HTTP")
struct OpenAIProviderTests {
    typealias Fixture = ProviderFixtures
    typealias Wire = ProviderWireFixtures.OpenAI

    @Test("the request: POST /v1/chat/completions with a bearer key, the system prompt as the first message, no stream options when not streaming")
    func requestShape() async throws {
        try await TestHTTPServer.with { server in
            await server.enqueue(.json(Wire.completion("Done.")))
            _ = try await Fixture.openAI(server).complete(Fixture.request)
            let request = try #require(await server.requests.first)
            #expect(request.method == "POST" && request.uri == "/v1/chat/completions")
            #expect(request.header("authorization") == "Bearer \(Fixture.secret)")
            #expect(request.header("content-type") == "application/json")
            let body = try request.json()
            #expect(body["model"] as? String == "gpt-4o")
            #expect(body["max_tokens"] as? Int == 256 && body["temperature"] as? Double == 0.2)
            #expect(body["stream"] as? Bool == false && body["stream_options"] == nil)
            let messages = try #require(body["messages"] as? [[String: String]])
            #expect(messages == [["role": "system", "content": "You edit code."], ["role": "user", "content": "Fix add() in Sources/Add.swift"]])
        }
    }

    @Test("a whole answer: text, finish reason, usage with cached tokens, the model the API names, no cost")
    func wholeAnswer() async throws {
        try await TestHTTPServer.with { server in
            await server.enqueue(.json(Wire.completion("Hello there.", model: "gpt-4o-2024-08-06", usage: Wire.usage(19, 10, cached: 4))))
            let response = try await Fixture.openAI(server).complete(Fixture.request)
            #expect(response == ProviderResponse(
                text: "Hello there.",
                usage: TokenUsage(model: "gpt-4o-2024-08-06", tokensIn: 19, tokensOut: 10, cachedTokens: 4, costUSD: nil),
                finishReason: "stop", maxOutputTokens: 256
            ))
        }
    }

    @Test("a stream: stream_options asked for, deltas reported as they come, usage from the last chunk")
    func streamed() async throws {
        try await TestHTTPServer.with { server in
            await server.enqueue(.events(Wire.streamEvents(["Hel", "lo", " world"], usage: Wire.usage(9, 3, cached: 2)), gap: .milliseconds(5)))
            let deltas = Recorder<String>()
            let response = try await Fixture.openAI(server, stream: true) { deltas.append($0) }.complete(Fixture.request)
            #expect(response.text == "Hello world" && deltas.all == ["Hel", "lo", " world"])
            #expect(response.usage == TokenUsage(model: "gpt-4o-mini", tokensIn: 9, tokensOut: 3, cachedTokens: 2, costUSD: nil))
            #expect(response.finishReason == "stop")
            let body = try #require(await server.requests.first).json()
            #expect(body["stream"] as? Bool == true)
            #expect((body["stream_options"] as? [String: Bool]) == ["include_usage": true])
            #expect(try #require(await server.requests.first).header("accept")?.contains("text/event-stream") == true)
        }
    }

    @Test("a stream without usage is estimated and marked so")
    func streamWithoutUsage() async throws {
        try await TestHTTPServer.with { server in
            await server.enqueue(.events(Wire.streamEvents(["abcd", "efgh"], usage: nil)))
            let response = try await Fixture.openAI(server, stream: true).complete(Fixture.request)
            #expect(response.text == "abcdefgh")
            #expect(response.usage == TokenUsage(
                model: "gpt-4o-mini", tokensIn: TokenUsage.estimateTokens(in: Fixture.request.promptText), tokensOut: 2, estimated: true, costUSD: nil
            ))
        }
    }

    @Test("compatible servers: no usage, no model and no id in a whole answer; no [DONE] after a finish reason; JSON where a stream was asked for")
    func compatibleQuirks() async throws {
        try await TestHTTPServer.with { server in
            // llama.cpp-like: minimal answer, no usage at all.
            await server.enqueue(.json(#"{"choices":[{"message":{"content":"ok"},"finish_reason":"stop"}]}"#))
            let minimal = try await Fixture.openAI(server, key: nil).complete(Fixture.request)
            #expect(minimal.text == "ok" && minimal.usage.model == "gpt-4o" && minimal.usage.estimated)
            #expect(try #require(await server.requests.last).header("authorization") == nil, "no key, no header")
            // A stream that ends at the finish chunk, without [DONE], with usage in every chunk (vLLM).
            await server.enqueue(.events([
                #"data: {"model":"/models/qwen2.5-coder","choices":[{"delta":{"content":"a"}}],"usage":{"prompt_tokens":7,"completion_tokens":1}}"# + "\n\n",
                #"data: {"model":"/models/qwen2.5-coder","choices":[{"delta":{"content":"b"},"finish_reason":"length"}],"usage":{"prompt_tokens":7,"completion_tokens":2}}"# + "\n\n",
            ]))
            let vllm = try await Fixture.openAI(server, stream: true).complete(Fixture.request)
            #expect(vllm == ProviderResponse(text: "ab", usage: TokenUsage(model: "/models/qwen2.5-coder", tokensIn: 7, tokensOut: 2, costUSD: nil), finishReason: "length", maxOutputTokens: 256))
            // A server that ignores stream: true.
            await server.enqueue(.json(Wire.completion("whole", model: "local-model")))
            let whole = try await Fixture.openAI(server, stream: true).complete(Fixture.request)
            #expect(whole.text == "whole" && whole.usage.model == "local-model" && !whole.usage.estimated)
        }
    }

    @Test("401: no retry needed to see why — the message names the provider, status, cause and fix")
    func unauthorized() async throws {
        try await TestHTTPServer.with { server in
            await server.enqueue(.json(Wire.error("Incorrect API key provided: \(Fixture.secret).", code: "invalid_api_key"), status: 401))
            let error = await Fixture.failure(of: try Fixture.openAI(server))
            #expect(error?.description == "invalid API key for openai (HTTP 401): set OPENAI_API_KEY (the API said: Incorrect API key provided: [redacted].)")
            #expect(error?.isRetryable == false)
        }
    }

    @Test("malformed JSON, an answer that is not an answer, and a stream cut short are errors that say so")
    func malformed() async throws {
        try await TestHTTPServer.with { server in
            await server.enqueue(.json(#"{"choices": [{"message": "#))
            let broken = await Fixture.failure(of: try Fixture.openAI(server))
            #expect(broken == .malformedResponse(provider: "openai", detail: #"not the JSON the API documents: '{"choices": [{"message":'"#))
            await server.enqueue(.respond(status: 200, headers: [("content-type", "text/html")], body: "<html><body>Gateway login</body></html>"))
            let html = await Fixture.failure(of: try Fixture.openAI(server))
            #expect(html?.description.contains("<html><body>Gateway login</body></html>") == true)
            // The body ends properly, but the stream never finished its answer.
            await server.enqueue(.events(Array(Wire.streamEvents(["Hel", "lo"], usage: nil, done: false).dropLast())))
            let cut = await Fixture.failure(of: try Fixture.openAI(server, stream: true))
            #expect(cut == .malformedResponse(provider: "openai", detail: "the stream ended before the answer was complete"))
            // The connection drops in the middle of the stream.
            await server.enqueue(.events(Array(Wire.streamEvents(["Hel", "lo"]).prefix(2)), ending: .drop))
            let dropped = await Fixture.failure(of: try Fixture.openAI(server, stream: true))
            guard case .transport(let provider, let detail) = dropped else {
                Issue.record("expected a transport error, got \(String(describing: dropped))")
                return
            }
            #expect(provider == "openai" && detail.contains("closed before the answer was complete"))
            #expect(dropped?.isRetryable == true)
        }
    }

    @Test("an error inside a stream (OpenRouter) is the status it names")
    func errorInStream() async throws {
        try await TestHTTPServer.with { server in
            await server.enqueue(.events([
                Wire.streamEvents(["par"])[1],
                #"data: {"id":"gen-1","object":"chat.completion.chunk","error":{"code":502,"message":"Provider returned error"},"choices":[{"index":0,"delta":{"content":""},"finish_reason":"error"}]}"# + "\n\n",
            ]))
            let error = await Fixture.failure(of: try Fixture.openAI(server, stream: true))
            #expect(error == .http(provider: "openai", status: 502, detail: "the API said: Provider returned error", cause: "bad gateway"))
        }
    }

    @Test("the settings and the provider never print the key; a bad base_url is refused at construction")
    func keyStaysHidden() throws {
        let settings = OpenAISettings(model: "gpt-4o", apiKey: Fixture.key)
        let provider = try OpenAIProvider(settings: settings)
        let printed = ["\(settings)", String(describing: settings), String(reflecting: settings), "\(provider)", String(reflecting: provider)]
        var dumped = ""
        dump(provider, to: &dumped)
        for text in printed + [dumped] {
            #expect(!text.contains(Fixture.secret), "\(text)")
        }
        #expect(throws: ProviderError.transport(provider: "openai", detail: "base_url 'localhost:8080' is not an http or https URL")) {
            _ = try OpenAIProvider(settings: OpenAISettings(baseURL: "localhost:8080", model: "m"))
        }
    }
}
