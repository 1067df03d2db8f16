import ConductorDomain
import ConductorKit
import ConductorTesting
import Foundation

/// The provider stack's own cost per call (issue budget: < 2 ms median added): the same
/// Chat Completions call against the in-process HTTP server, bare and wrapped as a run wraps
/// it (retries, circuit breaker, accounting), the two interleaved so that noise hits both.
struct ProviderBenchmark {
    let samples: Int

    func section() async throws -> Section {
        let (bare, stacked) = try await TestHTTPServer.with { server in
            let answer = ProviderWireFixtures.OpenAI.completion("ok", model: "gpt-4o-2024-08-06", usage: ProviderWireFixtures.OpenAI.usage(1000, 200))
            await server.whenIdle(.json(answer))
            let settings = OpenAISettings(baseURL: server.baseURL + "/v1", model: "gpt-4o", apiKey: APIKey("sk-bench-0000000000000000"), stream: false)
            let base = try OpenAIProvider(settings: settings)
            let stack = PricedProvider(ResilientProvider(base, breaker: CircuitBreaker(provider: "openai")), prices: PriceTable())
            let request = ProviderRequest(purpose: .build, system: "You edit code.", messages: [ChatMessage(role: .user, content: "Fix add()")], temperature: 0.2)
            var bare = Samples(), stacked = Samples()
            for index in 0..<(samples + 10) {
                let plain = try await Self.time { _ = try await base.complete(request) }
                let wrapped = try await Self.time { _ = try await stack.complete(request) }
                guard index >= 10 else { continue }  // warm-up: connections, allocators
                bare.add(plain)
                stacked.add(wrapped)
            }
            return (bare, stacked)
        }
        var section = Section(title: "Provider stack per call against the local test server (non-streaming Chat Completions)")
        section.add("provider.bare.median", "bare OpenAIProvider: median of \(bare.count)", Units.milliseconds(bare.median), .milliseconds)
        section.add("provider.stack.median", "with retry, circuit breaker and pricing: median", Units.milliseconds(stacked.median), .milliseconds)
        section.add("provider.added.median", "added by the stack (difference of medians)", Units.milliseconds(max(0, stacked.median - bare.median)), .milliseconds, target: .below(2))
        return section
    }

    private static func time(_ body: () async throws -> Void) async throws -> UInt64 {
        let start = Monotonic.now()
        try await body()
        return Monotonic.now() - start
    }
}
