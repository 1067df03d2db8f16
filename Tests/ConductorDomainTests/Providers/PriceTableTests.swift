import ConductorDomain
import Testing

@Suite("Accounting: the price table")
struct PriceTableTests {
    let table = PriceTable()

    func usage(_ model: String?, in tokensIn: Int, out tokensOut: Int, cached: Int? = nil, cost: Double? = nil, estimated: Bool = false) -> TokenUsage {
        TokenUsage(model: model, tokensIn: tokensIn, tokensOut: tokensOut, cachedTokens: cached, estimated: estimated, costUSD: cost)
    }

    @Test("every model the issue names has a price, with a cached rate below the input rate")
    func coverage() throws {
        let names = [
            "gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "o3", "o4-mini", "gpt-5", "gpt-5-mini",
            "claude-opus-4", "claude-sonnet-4", "claude-sonnet-4-5", "claude-3-5-haiku", "claude-haiku-4-5",
            "gemini-2.5-pro", "gemini-2.5-flash",
        ]
        for name in names {
            let price = try #require(table.price(for: name), "\(name) has no price")
            #expect(price.input > 0 && price.output > price.input, "\(name)")
            #expect(try #require(price.cachedInput) < price.input, "\(name)")
        }
    }

    @Test("cost: cached tokens at the cached rate, the rest of the input at the input rate, output at the output rate")
    func arithmetic() throws {
        // gpt-4o: 2.50 in, 1.25 cached, 10.00 out per million.
        let cost = try #require(table.cost(for: usage("gpt-4o", in: 1_000_000, out: 100_000, cached: 400_000)))
        #expect(abs(cost - (0.6 * 2.50 + 0.4 * 1.25 + 0.1 * 10.00)) < 1e-9)
        // claude-sonnet-4-5: 3 in, 15 out.
        let sonnet = try #require(table.cost(for: usage("claude-sonnet-4-5", in: 2000, out: 500)))
        #expect(abs(sonnet - (2000 * 3.0 + 500 * 15.0) / 1_000_000) < 1e-12)
    }

    @Test("cached counts above the input count, or negative counts, cannot make a cost negative or larger than all-uncached")
    func clamping() {
        let price = ModelPrice(input: 2, output: 8, cachedInput: 0.5)
        #expect(price.cost(tokensIn: 100, tokensOut: 0, cachedTokens: 1000) == 100.0 * 0.5 / 1_000_000)
        #expect(price.cost(tokensIn: -5, tokensOut: -5, cachedTokens: -5) == 0)
        #expect(ModelPrice(input: 2, output: 8).cost(tokensIn: 100, tokensOut: 0, cachedTokens: 50) == 100.0 * 2 / 1_000_000)
    }

    @Test("an unknown model, or none at all, costs nil (unknown), never 0")
    func unknown() {
        #expect(table.cost(for: usage("llama3.1:8b", in: 1000, out: 1000)) == nil)
        #expect(table.cost(for: usage(nil, in: 1000, out: 1000)) == nil)
        #expect(table.priced(usage("mystery", in: 1, out: 1)).costUSD == nil)
    }

    @Test("a cost the provider reported wins over the table, even 0 and even for an unknown model")
    func reportedWins() {
        #expect(table.cost(for: usage("gpt-4o", in: 1_000_000, out: 0, cost: 0.42)) == 0.42)
        #expect(table.cost(for: usage("mystery", in: 10, out: 10, cost: 0)) == 0)
        #expect(table.priced(usage("gpt-4o", in: 1_000_000, out: 0, cost: 0.42)).costUSD == 0.42)
    }

    @Test("priced(_:) fills only the cost and keeps every other field")
    func priced() {
        let original = usage("gpt-4o-mini", in: 1_000_000, out: 1_000_000, cached: 10, estimated: true)
        let priced = table.priced(original)
        #expect(priced.model == "gpt-4o-mini" && priced.tokensIn == 1_000_000 && priced.tokensOut == 1_000_000)
        #expect(priced.cachedTokens == 10 && priced.estimated)
        #expect(priced.costUSD != nil)
    }

    @Test("dated snapshots and -latest match their model", arguments: [
        ("claude-sonnet-4-5-20250929", "claude-sonnet-4-5"),
        ("claude-sonnet-4-20250514", "claude-sonnet-4"),
        ("claude-opus-4-1-20250805", "claude-opus-4-1"),
        ("claude-3-5-haiku-20241022", "claude-3-5-haiku"),
        ("claude-3-5-haiku-latest", "claude-3-5-haiku"),
        ("claude-haiku-4-5@20251001", "claude-haiku-4-5"),
        ("gpt-4o-2024-08-06", "gpt-4o"),
        ("gpt-4o-mini-2024-07-18", "gpt-4o-mini"),
        ("gpt-4.1-2025-04-14", "gpt-4.1"),
        ("o3-2025-04-16", "o3"),
        ("gpt-5-mini-2025-08-07", "gpt-5-mini"),
    ])
    func datedVariants(name: String, base: String) throws {
        let price = try #require(table.price(for: name))
        #expect(price == table.price(for: base))
    }

    @Test("case, provider prefixes and dots for dashes do not matter", arguments: [
        ("GPT-4o", "gpt-4o"),
        ("openai/gpt-4.1-mini", "gpt-4.1-mini"),
        ("anthropic/claude-sonnet-4.5", "claude-sonnet-4-5"),
        ("models/gemini-2.5-pro", "gemini-2.5-pro"),
        ("gemini-2-5-flash", "gemini-2.5-flash"),
    ])
    func spellings(name: String, base: String) throws {
        let price = try #require(table.price(for: name))
        #expect(price == table.price(for: base))
    }

    @Test("relatives that are priced differently do not match by prefix", arguments: [
        "claude-opus-4-6", "claude-opus-4-6-20260101", "o3-mini", "o3-pro", "gpt-4o-audio-preview", "gpt-5-nano",
        "gpt-5-codex", "gemini-2.5-flash-lite", "gpt-4", "claude-sonnet", "gpt-4o-20240806x", "gpt-4o-1999-01-01",
        "gpt-4o-2024-8-6", "gemini-2.5-pro-preview-05-06",
    ])
    func noLooseMatches(name: String) {
        #expect(table.price(for: name) == nil, "\(name) must be unknown")
    }

    @Test("a dated variant takes the longest known name: claude-opus-4-1-… is opus 4.1, not opus 4")
    func longestMatch() {
        let table = PriceTable(prices: ["claude-opus-4": ModelPrice(input: 15, output: 75), "claude-opus-4-1": ModelPrice(input: 1, output: 2)])
        #expect(table.price(for: "claude-opus-4-1-20250805") == ModelPrice(input: 1, output: 2))
        #expect(table.price(for: "claude-opus-4-20250514") == ModelPrice(input: 15, output: 75))
    }

    @Test("overrides from configuration replace built-in prices and add new models, in any spelling")
    func overrides() throws {
        let table = PriceTable(overrides: [
            "GPT-4o": ModelPrice(input: 1, output: 1),
            "my-local-model": ModelPrice(input: 0, output: 0),
            "anthropic/claude-opus-4.6": ModelPrice(input: 5, output: 25, cachedInput: 0.5),
        ])
        #expect(table.price(for: "gpt-4o-2024-08-06") == ModelPrice(input: 1, output: 1))
        #expect(table.cost(for: usage("my-local-model", in: 5000, out: 5000)) == 0)
        #expect(table.price(for: "claude-opus-4-6-20260101") == ModelPrice(input: 5, output: 25, cachedInput: 0.5))
        #expect(table.price(for: "gpt-5") == PriceTable.builtIn["gpt-5"], "other built-in prices stay")
    }
}
