/// What a model costs, in US dollars per million tokens.
///
/// `cachedInput` is the rate for input tokens the provider served from its prompt cache
/// (OpenAI's "cached input", Anthropic's "cache hits", Gemini's "context caching"); when nil,
/// cached tokens are charged at the full input rate, which errs on the expensive side.
public struct ModelPrice: Sendable, Equatable, Codable {
    public var input: Double
    public var output: Double
    public var cachedInput: Double?

    public init(input: Double, output: Double, cachedInput: Double? = nil) {
        self.input = input
        self.output = output
        self.cachedInput = cachedInput
    }

    /// The cost of one call. `tokensIn` counts every input token, cached ones included, so the
    /// cached part (at most all of them) is charged at the cached rate and the rest at the
    /// input rate.
    public func cost(tokensIn: Int, tokensOut: Int, cachedTokens: Int?) -> Double {
        let cached = min(max(cachedTokens ?? 0, 0), max(tokensIn, 0))
        let uncached = max(tokensIn, 0) - cached
        let dollars = Double(uncached) * input + Double(cached) * (cachedInput ?? input) + Double(max(tokensOut, 0)) * output
        return dollars / 1_000_000
    }

    enum CodingKeys: String, CodingKey {
        case input, output, cachedInput = "cached_input"
    }
}

/// Prices of models by name, so a call whose provider states no cost still gets one.
///
/// A model the table does not know has no cost (nil, shown as "unknown"), never 0: a budget
/// that counted unknown calls as free would never stop a run. A cost the provider reports
/// itself always wins over the table, since it knows about discounts, batch rates and long
/// context surcharges that a per-token table cannot.
///
/// Names are matched without regard to case, to a provider prefix (`openai/gpt-4o`,
/// `models/gemini-2.5-pro`) or to `.` versus `-` (`claude-sonnet-4.5` is `claude-sonnet-4-5`):
/// first exactly, then as a dated or `-latest` variant of a known name
/// (`claude-sonnet-4-5-20250929`, `gpt-4o-2024-08-06`, `claude-sonnet-4-5@20250929`). Nothing
/// else matches by prefix: `claude-opus-4-6` is not `claude-opus-4`, and `o3-mini` is not `o3`,
/// because such relatives are often priced differently, and an unknown cost is better than a
/// wrong one.
public struct PriceTable: Sendable, Equatable {
    /// The prices by canonical name (see ``canonicalName(_:)``).
    private var prices: [String: ModelPrice]

    /// The built-in prices, with `overrides` (from configuration) replacing or adding entries.
    public init(overrides: [String: ModelPrice] = [:]) {
        self.init(prices: Self.builtIn, overrides: overrides)
    }

    /// Exactly these prices and nothing built in.
    public init(prices: [String: ModelPrice], overrides: [String: ModelPrice] = [:]) {
        var table: [String: ModelPrice] = [:]
        for (name, price) in prices { table[Self.canonicalName(name)] = price }
        for (name, price) in overrides { table[Self.canonicalName(name)] = price }
        self.prices = table
    }

    /// The price of `model`, or nil when the table does not know it.
    public func price(for model: String) -> ModelPrice? {
        let name = Self.canonicalName(model)
        if let price = prices[name] { return price }
        // The longest known name of which `name` is a dated variant.
        var best: (length: Int, price: ModelPrice)?
        for (known, price) in prices where name.count > known.count && name.hasPrefix(known) {
            guard Self.isVersionSuffix(name.dropFirst(known.count)) else { continue }
            if best.map({ known.count > $0.length }) ?? true { best = (known.count, price) }
        }
        return best?.price
    }

    /// What the call cost: the provider's own figure when it gave one, else the table's price
    /// for the usage's model; nil when neither is known.
    public func cost(for usage: TokenUsage) -> Double? {
        if let reported = usage.costUSD { return reported }
        guard let model = usage.model, let price = price(for: model) else { return nil }
        return price.cost(tokensIn: usage.tokensIn, tokensOut: usage.tokensOut, cachedTokens: usage.cachedTokens)
    }

    /// `usage` with its cost filled in from the table when the provider left it unknown.
    public func priced(_ usage: TokenUsage) -> TokenUsage {
        guard usage.costUSD == nil, let cost = cost(for: usage) else { return usage }
        return usage.with(costUSD: cost)
    }

    /// The form names are compared in: lower case, without any `provider/` prefix, with `.`
    /// read as `-`.
    public static func canonicalName(_ model: String) -> String {
        let trimmed = model.split(separator: "/").last.map(String.init) ?? model
        return String(trimmed.lowercased().map { $0 == "." ? "-" : $0 })
    }

    /// Whether what follows a known name marks a snapshot of that model: `-latest`, or a date
    /// `-YYYYMMDD`, `-YYYY-MM-DD` or `@YYYYMMDD` (Vertex AI's spelling).
    static func isVersionSuffix(_ suffix: Substring) -> Bool {
        if suffix == "-latest" { return true }
        guard let separator = suffix.first, separator == "-" || separator == "@" else { return false }
        let date = suffix.dropFirst()
        let digits = date.filter { $0 != "-" }
        guard digits.count == 8, digits.allSatisfy({ $0.isASCII && $0.isNumber }), date.hasPrefix("20") else { return false }
        // Either no dashes, or exactly YYYY-MM-DD.
        let parts = date.split(separator: "-", omittingEmptySubsequences: false)
        return parts.count == 1 || (parts.count == 3 && parts.map(\.count) == [4, 2, 2])
    }

    /// Standard (not batch, not priority) rates for prompts under the long-context threshold,
    /// in USD per million tokens, as published on the providers' pricing pages, read on
    /// 2026-11-25 (docs/accounting.md lists the pages):
    /// - OpenAI: https://developers.openai.com/api/docs/pricing
    /// - Anthropic: https://platform.claude.com/docs/en/about-claude/pricing (cached input is
    ///   the "cache hits & refreshes" rate; cache writes are charged at the input rate here)
    /// - Google: https://ai.google.dev/gemini-api/docs/pricing (prompts up to 200k tokens;
    ///   thinking tokens are output tokens)
    public static let builtIn: [String: ModelPrice] = [
        // OpenAI
        "gpt-4o": ModelPrice(input: 2.50, output: 10.00, cachedInput: 1.25),
        "gpt-4o-mini": ModelPrice(input: 0.15, output: 0.60, cachedInput: 0.075),
        "gpt-4.1": ModelPrice(input: 2.00, output: 8.00, cachedInput: 0.50),
        "gpt-4.1-mini": ModelPrice(input: 0.40, output: 1.60, cachedInput: 0.10),
        "o3": ModelPrice(input: 2.00, output: 8.00, cachedInput: 0.50),
        "o4-mini": ModelPrice(input: 1.10, output: 4.40, cachedInput: 0.275),
        "gpt-5": ModelPrice(input: 1.25, output: 10.00, cachedInput: 0.125),
        "gpt-5-mini": ModelPrice(input: 0.25, output: 2.00, cachedInput: 0.025),
        // Anthropic
        "claude-opus-4": ModelPrice(input: 15.00, output: 75.00, cachedInput: 1.50),
        "claude-opus-4-1": ModelPrice(input: 15.00, output: 75.00, cachedInput: 1.50),
        "claude-opus-4-5": ModelPrice(input: 5.00, output: 25.00, cachedInput: 0.50),
        "claude-sonnet-4": ModelPrice(input: 3.00, output: 15.00, cachedInput: 0.30),
        "claude-sonnet-4-5": ModelPrice(input: 3.00, output: 15.00, cachedInput: 0.30),
        "claude-3-5-haiku": ModelPrice(input: 0.80, output: 4.00, cachedInput: 0.08),
        "claude-haiku-4-5": ModelPrice(input: 1.00, output: 5.00, cachedInput: 0.10),
        // Google
        "gemini-2.5-pro": ModelPrice(input: 1.25, output: 10.00, cachedInput: 0.125),
        "gemini-2.5-flash": ModelPrice(input: 0.30, output: 2.50, cachedInput: 0.03),
    ]
}
