import ConductorDomain
import ConductorKit
import Foundation
import Testing

@Suite("Accounting: the priced provider")
struct PricedProviderTests {
    /// Answers every request with the same usage.
    struct FixedProvider: Provider {
        let usage: TokenUsage
        var name: String { "fixed" }
        func complete(_ request: ProviderRequest) async throws(ProviderError) -> ProviderResponse {
            ProviderResponse(text: "answer", usage: usage, finishReason: "stop", sessionID: "session-1")
        }
    }

    /// Always fails.
    struct FailingProvider: Provider {
        var name: String { "failing" }
        func complete(_ request: ProviderRequest) async throws(ProviderError) -> ProviderResponse {
            throw .transport(provider: name, detail: "connection refused")
        }
    }

    let request = ProviderRequest(purpose: .build, system: "s", messages: [ChatMessage(role: .user, content: "u")], temperature: 0)

    @Test("a known model without a stated cost gets the table's price; text, finish reason and session stay")
    func fillsCost() async throws {
        let usage = TokenUsage(model: "gpt-4o-mini-2024-07-18", tokensIn: 1_000_000, tokensOut: 1_000_000, costUSD: nil)
        let provider = PricedProvider(FixedProvider(usage: usage))
        let response = try await provider.complete(request)
        #expect(provider.name == "fixed")
        #expect(abs(try #require(response.usage.costUSD) - 0.75) < 1e-12)
        #expect(response.text == "answer" && response.finishReason == "stop" && response.sessionID == "session-1")
        #expect(response.usage.model == usage.model && response.usage.tokensIn == usage.tokensIn)
    }

    @Test("a cost the provider stated is kept, even when the table disagrees")
    func keepsReportedCost() async throws {
        let usage = TokenUsage(model: "claude-sonnet-4-5", tokensIn: 1000, tokensOut: 1000, costUSD: 0.5)
        #expect(try await PricedProvider(FixedProvider(usage: usage)).complete(request).usage.costUSD == 0.5)
    }

    @Test("an unknown model stays unknown, not 0")
    func unknownStaysUnknown() async throws {
        let usage = TokenUsage(model: "qwen2.5-coder:7b", tokensIn: 1000, tokensOut: 1000, costUSD: nil)
        #expect(try await PricedProvider(FixedProvider(usage: usage)).complete(request).usage.costUSD == nil)
    }

    @Test("configuration overrides reach the decorator")
    func overrides() async throws {
        let usage = TokenUsage(model: "qwen2.5-coder:7b", tokensIn: 2_000_000, tokensOut: 0, costUSD: nil)
        let prices = PriceTable(overrides: ["qwen2.5-coder:7b": ModelPrice(input: 0.5, output: 1)])
        #expect(try await PricedProvider(FixedProvider(usage: usage), prices: prices).complete(request).usage.costUSD == 1.0)
    }

    @Test("errors pass through unchanged")
    func errors() async {
        await #expect(throws: ProviderError.transport(provider: "failing", detail: "connection refused")) {
            _ = try await PricedProvider(FailingProvider()).complete(request)
        }
    }

    @Test("an override map decodes from configuration JSON with snake_case keys; cached_input is optional")
    func decodesOverrides() throws {
        let json = #"{"my-model": {"input": 1.5, "output": 6, "cached_input": 0.15}, "other": {"input": 0, "output": 0}}"#
        let overrides = try JSONDecoder().decode([String: ModelPrice].self, from: Data(json.utf8))
        #expect(overrides["my-model"] == ModelPrice(input: 1.5, output: 6, cachedInput: 0.15))
        #expect(overrides["other"] == ModelPrice(input: 0, output: 0))
        let encoded = String(decoding: try JSONEncoder().encode(ModelPrice(input: 1, output: 2, cachedInput: 0.5)), as: UTF8.self)
        #expect(encoded.contains(#""cached_input":0.5"#))
    }
}
