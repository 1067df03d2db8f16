import ConductorDomain
import ConductorKit
import ConductorTesting
import Foundation
import Testing

@Suite("Retries, circuit breaker and fallback over HTTP")
struct ResilienceTests {
    typealias Fixture = ProviderFixtures
    typealias OpenAIWire = ProviderWireFixtures.OpenAI
    typealias AnthropicWire = ProviderWireFixtures.Anthropic

    /// Four tries, a one-second base, the jitter fixed at half the bound.
    static let policy = ProviderRetryPolicy(maxAttempts: 4, baseDelay: 1, maxDelay: 30, maxTotalWait: 60)

    static func resilient(_ provider: any Provider, policy: ProviderRetryPolicy = policy, breaker: CircuitBreaker? = nil, sleeper: RetrySleeper, attempts: Recorder<ProviderAttempt>? = nil) -> ResilientProvider {
        var observer: ProviderAttemptObserver?
        if let attempts { observer = { attempts.append($0) } }
        return ResilientProvider(provider, policy: policy, breaker: breaker, sleeper: sleeper, random: { 0.5 }, observer: observer)
    }

    static func summary(_ attempts: [ProviderAttempt]) -> [String] {
        attempts.map { attempt in
            let outcome = if case .http(let status) = attempt.outcome { "\(status)" } else { attempt.outcome.kind }
            return "\(attempt.provider)#\(attempt.attempt):\(outcome)" + (attempt.retryInSeconds.map { " wait \($0.formatted())" } ?? "")
        }
    }

    @Test("429 with Retry-After, then success — OpenAI and Anthropic; the wait asked for is the wait taken")
    func rateLimitedThenOK() async throws {
        try await TestHTTPServer.with { server in
            let (sleeper, waits) = Fixture.recordingSleeper()
            let attempts = Recorder<ProviderAttempt>()
            await server.enqueue(
                .json(OpenAIWire.error("Rate limit reached for gpt-4o", type: "requests", code: "rate_limit_exceeded"), status: 429, headers: [("retry-after", "2")]),
                .json(OpenAIWire.completion("after the wait"))
            )
            let openAI = Self.resilient(try Fixture.openAI(server), sleeper: sleeper, attempts: attempts)
            #expect(try await openAI.complete(Fixture.request).text == "after the wait")

            await server.enqueue(
                .json(AnthropicWire.error("rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit"), status: 429, headers: [("retry-after", "7"), ("anthropic-ratelimit-tokens-remaining", "0")]),
                .json(AnthropicWire.message("after the wait too"))
            )
            let anthropic = Self.resilient(try Fixture.anthropic(server), sleeper: sleeper, attempts: attempts)
            #expect(try await anthropic.complete(Fixture.request).text == "after the wait too")

            #expect(waits.all == [2, 7])
            #expect(await server.requests.count == 4)
            #expect(Self.summary(attempts.all) == ["openai#1:429 wait 2", "openai#2:ok", "anthropic#1:429 wait 7", "anthropic#2:ok"])
            #expect(attempts.all[1].model == "gpt-4o-2024-08-06", "the model the API named")
            #expect(attempts.all[0].error?.hasPrefix("rate limited for openai (HTTP 429)") == true)
        }
    }

    @Test("retry-after-ms is more precise than Retry-After and wins")
    func retryAfterMilliseconds() async throws {
        try await TestHTTPServer.with { server in
            let (sleeper, waits) = Fixture.recordingSleeper()
            await server.enqueue(
                .json(OpenAIWire.error("slow down"), status: 429, headers: [("retry-after", "1"), ("retry-after-ms", "250")]),
                .json(OpenAIWire.completion("ok"))
            )
            _ = try await Self.resilient(try Fixture.openAI(server), sleeper: sleeper).complete(Fixture.request)
            #expect(waits.all == [0.25])
        }
    }

    @Test("500 twice, then success — OpenAI and Anthropic; the waits follow the jittered schedule")
    func serverErrorsThenOK() async throws {
        try await TestHTTPServer.with { server in
            let (sleeper, waits) = Fixture.recordingSleeper()
            await server.enqueue(
                .json(OpenAIWire.error("The server had an error while processing your request.", type: "server_error"), status: 500),
                .json(OpenAIWire.error("The server had an error while processing your request.", type: "server_error"), status: 500),
                .events(OpenAIWire.streamEvents(["fine"]))
            )
            let openAI = Self.resilient(try Fixture.openAI(server, stream: true), sleeper: sleeper)
            #expect(try await openAI.complete(Fixture.request).text == "fine")
            await server.enqueue(
                .json(AnthropicWire.error("api_error", "Internal server error"), status: 500),
                .json(AnthropicWire.error("overloaded_error", "Overloaded"), status: 529),
                .json(AnthropicWire.message("fine too"))
            )
            let anthropic = Self.resilient(try Fixture.anthropic(server), sleeper: sleeper)
            #expect(try await anthropic.complete(Fixture.request).text == "fine too")
            #expect(waits.all == [0.5, 1, 0.5, 1], "half of 1 s, then half of 2 s")
            #expect(await server.requests.count == 6)
        }
    }

    @Test("503, a dropped connection and an idle timeout are retried too")
    func transientFailures() async throws {
        try await TestHTTPServer.with { server in
            let (sleeper, _) = Fixture.recordingSleeper()
            let attempts = Recorder<ProviderAttempt>()
            await server.enqueue(.respond(status: 503, body: "upstream connect error"), .drop, .stall, .json(ProviderWireFixtures.Ollama.chat("up")))
            let provider = Self.resilient(try Fixture.ollama(server, timeouts: HTTPTimeouts(connect: 2, idleRead: 0.3, total: 10)), sleeper: sleeper, attempts: attempts)
            #expect(try await provider.complete(Fixture.request).text == "up")
            #expect(attempts.all.map(\.outcome) == [.http(status: 503), .transport, .timeout, .ok])
            #expect(attempts.all[0].error == "overloaded or unavailable for ollama (HTTP 503): the API said: 'upstream connect error'")
        }
    }

    @Test("401 is not retried, and says exactly what to do", arguments: [401, 400, 403, 404])
    func noRetry(status: Int) async throws {
        try await TestHTTPServer.with { server in
            let (sleeper, waits) = Fixture.recordingSleeper()
            await server.enqueue(.json(AnthropicWire.error("authentication_error", "invalid x-api-key"), status: status), .json(AnthropicWire.message("never")))
            let error = await Fixture.failure(of: Self.resilient(try Fixture.anthropic(server), sleeper: sleeper))
            #expect(await server.requests.count == 1 && waits.all.isEmpty)
            if status == 401 {
                #expect(error?.description == "invalid API key for anthropic (HTTP 401): set ANTHROPIC_API_KEY (the API said: invalid x-api-key)")
            } else {
                #expect(error?.description.contains("for anthropic (HTTP \(status))") == true)
            }
        }
    }

    @Test("the tries are capped: the last error comes back after the last try")
    func attemptCap() async throws {
        try await TestHTTPServer.with { server in
            let (sleeper, waits) = Fixture.recordingSleeper()
            await server.whenIdle(.json(OpenAIWire.error("boom", type: "server_error"), status: 502))
            let policy = ProviderRetryPolicy(maxAttempts: 3, baseDelay: 1, maxDelay: 30, maxTotalWait: 60)
            let error = await Fixture.failure(of: Self.resilient(try Fixture.openAI(server), policy: policy, sleeper: sleeper))
            #expect(error == .http(provider: "openai", status: 502, detail: "the API said: boom", cause: "bad gateway"))
            #expect(await server.requests.count == 3 && waits.all == [0.5, 1])
        }
    }

    @Test("the total wait is capped: a Retry-After beyond it ends the retries at once")
    func totalWaitCap() async throws {
        try await TestHTTPServer.with { server in
            let (sleeper, waits) = Fixture.recordingSleeper()
            await server.enqueue(.json(OpenAIWire.error("quota"), status: 429, headers: [("retry-after", "120")]), .json(OpenAIWire.completion("never")))
            let policy = ProviderRetryPolicy(maxAttempts: 5, baseDelay: 1, maxDelay: 30, maxTotalWait: 60)
            let error = await Fixture.failure(of: Self.resilient(try Fixture.openAI(server), policy: policy, sleeper: sleeper))
            #expect(error?.retryAfter == 120 && error?.description.hasPrefix("rate limited for openai (HTTP 429): wait, or raise") == true)
            #expect(await server.requests.count == 1 && waits.all.isEmpty)
        }
    }

    @Test("a refused connection is retried, then reported as the transport error it is")
    func refusedIsRetried() async throws {
        let port = try await TestHTTPServer.unusedPort()
        let (sleeper, waits) = Fixture.recordingSleeper()
        let provider = try OpenAIProvider(settings: OpenAISettings(baseURL: "http://127.0.0.1:\(port)", model: "m", timeouts: Fixture.quick))
        let error = await Fixture.failure(of: Self.resilient(provider, policy: ProviderRetryPolicy(maxAttempts: 2), sleeper: sleeper))
        #expect(error == .transport(provider: "openai", detail: "connection refused by 127.0.0.1:\(port)"))
        #expect(waits.all.count == 1)
    }

    @Test("the circuit opens after N failed calls; then the fallback provider answers without a request to the broken one")
    func breakerOpensAndFallbackAnswers() async throws {
        try await TestHTTPServer.with { broken in
            try await TestHTTPServer.with { healthy in
                await broken.whenIdle(.json(OpenAIWire.error("down", type: "server_error"), status: 500))
                await healthy.whenIdle(.json(ProviderWireFixtures.Ollama.chat("local answer")))
                let (sleeper, _) = Fixture.recordingSleeper()
                let clock = ManualClock()
                let breaker = CircuitBreaker(provider: "openai", policy: CircuitBreakerPolicy(failureThreshold: 3, coolDown: 30), clock: clock)
                let attempts = Recorder<ProviderAttempt>()
                let chainAttempts = Recorder<ProviderAttempt>()
                let chain = FallbackProvider([
                    Self.resilient(try Fixture.openAI(broken), policy: ProviderRetryPolicy(maxAttempts: 2), breaker: breaker, sleeper: sleeper, attempts: attempts),
                    Self.resilient(try Fixture.ollama(healthy), sleeper: sleeper, attempts: attempts),
                ], observer: { chainAttempts.append($0) })
                #expect(chain.name == "fallback(openai, ollama)")

                #expect(try await chain.complete(Fixture.request).text == "local answer")
                #expect(try await chain.complete(Fixture.request).text == "local answer")
                #expect(await breaker.phase == .open(since: clock.now()), "two tries, then one more: three failures")
                #expect(await broken.requests.count == 3)
                #expect(Self.summary(attempts.all) == [
                    "openai#1:500 wait 0.5", "openai#2:500", "ollama#1:ok",
                    "openai#1:500 wait 0.5", "openai#2:circuit_open", "ollama#1:ok",
                ])
                #expect(Self.summary(chainAttempts.all) == ["openai#1:500", "ollama#2:ok", "openai#1:500", "ollama#2:ok"])

                #expect(try await chain.complete(Fixture.request).text == "local answer")
                #expect(await broken.requests.count == 3, "an open circuit sends nothing")
                #expect(chainAttempts.all[4].outcome == .circuitOpen)
                #expect(chainAttempts.all[4].error == "openai is failing repeatedly; calls pause for 30 s (circuit breaker open)")
            }
        }
    }

    @Test("after the cool-down one trial call goes through; its success closes the circuit")
    func halfOpenRecovery() async throws {
        try await TestHTTPServer.with { server in
            let clock = ManualClock()
            let breaker = CircuitBreaker(provider: "anthropic", policy: CircuitBreakerPolicy(failureThreshold: 1, coolDown: 30), clock: clock)
            let (sleeper, _) = Fixture.recordingSleeper()
            let provider = Self.resilient(try Fixture.anthropic(server), policy: .never, breaker: breaker, sleeper: sleeper)
            await server.enqueue(.json(AnthropicWire.error("overloaded_error", "Overloaded"), status: 529), .json(AnthropicWire.message("back")))

            #expect(await Fixture.failure(of: provider)?.attemptOutcome == .http(status: 529))
            clock.advance(seconds: 10)
            #expect(await Fixture.failure(of: provider) == .circuitOpen(provider: "anthropic", retryInSeconds: 20))
            clock.advance(seconds: 20)
            #expect(try await provider.complete(Fixture.request).text == "back")
            #expect(await breaker.phase == .closed(consecutiveFailures: 0))
            #expect(await server.requests.count == 2)
        }
    }

    @Test("a failed trial opens the circuit again; client errors do not count against it")
    func halfOpenFailsAndClientErrors() async throws {
        try await TestHTTPServer.with { server in
            let clock = ManualClock()
            let breaker = CircuitBreaker(provider: "openai", policy: CircuitBreakerPolicy(failureThreshold: 1, coolDown: 5), clock: clock)
            let (sleeper, _) = Fixture.recordingSleeper()
            let provider = Self.resilient(try Fixture.openAI(server), policy: .never, breaker: breaker, sleeper: sleeper)
            await server.enqueue(.json(OpenAIWire.error("bad request"), status: 400))
            _ = await Fixture.failure(of: provider)
            #expect(await breaker.phase == .closed(consecutiveFailures: 0), "a 400 is the request's fault, not the service's")
            await server.enqueue(.json(OpenAIWire.error("x", type: "server_error"), status: 500), .json(OpenAIWire.error("x", type: "server_error"), status: 500))
            _ = await Fixture.failure(of: provider)
            clock.advance(seconds: 5)
            _ = await Fixture.failure(of: provider)
            #expect(await breaker.phase == .open(since: clock.now()))
        }
    }

    @Test("every provider failing: the error lists each one's, in order, and every attempt is recorded")
    func allFail() async throws {
        try await TestHTTPServer.with { server in
            await server.enqueue(.json(OpenAIWire.error("Incorrect API key provided"), status: 401), .json(AnthropicWire.error("not_found_error", "model: claude-sonnet-4-5"), status: 404))
            let attempts = Recorder<ProviderAttempt>()
            let chain = FallbackProvider([try Fixture.openAI(server), try Fixture.anthropic(server)], observer: { attempts.append($0) })
            let error = await Fixture.failure(of: chain)
            guard case .allFailed(let errors) = error else {
                Issue.record("expected allFailed, got \(String(describing: error))")
                return
            }
            #expect(errors.map(\.attemptOutcome) == [.http(status: 401), .http(status: 404)])
            #expect(error?.description.hasPrefix("every provider failed: invalid API key for openai (HTTP 401): set OPENAI_API_KEY") == true)
            #expect(attempts.all.map(\.provider) == ["openai", "anthropic"] && attempts.all.map(\.model) == ["gpt-4o", "claude-sonnet-4-5"])
            #expect(attempts.all.allSatisfy { $0.latencyMilliseconds >= 0 })
        }
    }

    @Test("cancellation during a backoff wait ends the call, and a fallback chain, as cancelled")
    func cancelledWhileWaiting() async throws {
        try await TestHTTPServer.with { server in
            await server.whenIdle(.json(OpenAIWire.error("busy"), status: 429, headers: [("retry-after", "30")]))
            let retrying = ResilientProvider(try Fixture.openAI(server), policy: Self.policy, sleeper: .live)
            let chain = FallbackProvider([retrying, try Fixture.ollama(server)])
            let call = Task { await Fixture.failure(of: chain) }
            while await server.requests.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
            try await Task.sleep(for: .milliseconds(50))
            call.cancel()
            #expect(await call.value == .cancelled(provider: "openai"))
            #expect(await server.requests.count == 1, "neither retried nor passed to the next provider")
        }
    }

    @Test("the API key appears in no error and no attempt record, even when the API quotes it back")
    func keyNeverLeaks() async throws {
        try await TestHTTPServer.with { server in
            let secret = Fixture.secret
            await server.enqueue(
                .json(OpenAIWire.error("Incorrect API key provided: \(secret)"), status: 401),
                .json(AnthropicWire.error("api_error", "upstream rejected \(secret)"), status: 500),
                .respond(status: 200, headers: [("content-type", "application/json")], body: "{not json, key=\(secret)"),
                .events(AnthropicWire.streamEvents(["x"], stop: false) + [AnthropicWire.errorEvent("invalid_request_error", "bad key \(secret)")]),
                .json(#"{"error": "key \#(secret) is not allowed"}"#, status: 403)
            )
            let attempts = Recorder<ProviderAttempt>()
            let (sleeper, _) = Fixture.recordingSleeper()
            let chain = FallbackProvider([
                try Fixture.openAI(server),
                Self.resilient(try Fixture.anthropic(server), policy: ProviderRetryPolicy(maxAttempts: 2), sleeper: sleeper, attempts: attempts),
                try Fixture.anthropic(server, stream: true),
                try Fixture.ollama(server, key: Fixture.key),
            ], observer: { attempts.append($0) })
            let error = try #require(await Fixture.failure(of: chain))
            #expect(attempts.all.count == 6)
            let recorded = String(decoding: try JSONEncoder().encode(attempts.all), as: UTF8.self)
            for text in [error.description, String(reflecting: error), recorded] {
                #expect(!text.contains(secret), "\(text)")
                #expect(!text.contains("SECRET"), "no part of it either")
            }
            #expect(error.description.contains("[redacted]"))
            let ollama = try #require(await server.requests.last)
            #expect(ollama.uri == "/api/chat" && ollama.header("authorization") == "Bearer \(secret)", "the key was sent where it belongs")
        }
    }
}

@Suite("Resilient provider without a network")
struct ResilientProviderUnitTests {
    /// Fails with the given errors in turn, then answers.
    actor Flaky: Provider {
        nonisolated let name = "flaky"
        private var failures: [ProviderError]
        private(set) var calls = 0

        init(_ failures: [ProviderError]) { self.failures = failures }

        func complete(_ request: ProviderRequest) async throws(ProviderError) -> ProviderResponse {
            calls += 1
            if !failures.isEmpty { throw failures.removeFirst() }
            return ProviderResponse(text: "ok", usage: TokenUsage(model: "m", tokensIn: 1, tokensOut: 1, costUSD: nil))
        }
    }

    @Test("timeouts: connect and idle read are retried, a passed total deadline is not; a missing key is not")
    func timeoutKinds() async throws {
        let (sleeper, waits) = ProviderFixtures.recordingSleeper()
        let flaky = Flaky([.timeout(provider: "flaky", phase: "connection", seconds: 1), .timeout(provider: "flaky", phase: "data", seconds: 1)])
        #expect(try await ResilientProvider(flaky, sleeper: sleeper, random: { 0 }).complete(ProviderFixtures.request).text == "ok")
        #expect(await flaky.calls == 3 && waits.all == [0, 0])
        for failure in [ProviderError.timeout(provider: "flaky", phase: "complete answer", seconds: 1), .missingCredential(provider: "flaky", variable: "K"), .malformedResponse(provider: "flaky", detail: "x")] {
            let once = Flaky([failure])
            #expect(await ProviderFixtures.failure(of: ResilientProvider(once, sleeper: sleeper)) == failure)
            #expect(await once.calls == 1)
        }
    }

    @Test("the breakers of one process are shared by provider name")
    func registry() async {
        let registry = CircuitBreakerRegistry(clock: ManualClock())
        let first = await registry.breaker(for: "openai", policy: CircuitBreakerPolicy(failureThreshold: 1))
        #expect(await registry.breaker(for: "openai") === first)
        #expect(await registry.breaker(for: "anthropic") !== first)
    }
}
