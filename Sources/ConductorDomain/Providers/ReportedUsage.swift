/// The token counts an API reported for one call, any of which may be missing: compatible
/// servers often leave usage out, or report only part of it.
///
/// ``tokenUsage(model:request:text:)`` fills each missing count with an estimate and then marks
/// the whole usage as estimated, so a number the API never gave is never shown as measured.
/// Cost stays unknown here: prices are looked up by model elsewhere.
public struct ReportedUsage: Sendable, Equatable {
    /// All input tokens, cached ones included.
    public var tokensIn: Int?
    public var tokensOut: Int?
    /// Input tokens read from the provider's prompt cache.
    public var cachedTokens: Int?
    /// Output tokens spent on reasoning, part of `tokensOut`.
    public var reasoningTokens: Int?

    public init(tokensIn: Int? = nil, tokensOut: Int? = nil, cachedTokens: Int? = nil, reasoningTokens: Int? = nil) {
        self.tokensIn = tokensIn
        self.tokensOut = tokensOut
        self.cachedTokens = cachedTokens
        self.reasoningTokens = reasoningTokens
    }

    public func tokenUsage(model: String?, request: ProviderRequest, text: String) -> TokenUsage {
        TokenUsage(
            model: model,
            tokensIn: tokensIn ?? TokenUsage.estimateTokens(in: request.promptText),
            tokensOut: tokensOut ?? TokenUsage.estimateTokens(in: text),
            cachedTokens: cachedTokens,
            reasoningTokens: reasoningTokens,
            estimated: tokensIn == nil || tokensOut == nil,
            costUSD: nil
        )
    }
}

extension ProviderRequest {
    /// The text a model reads for this request, for estimating its tokens when the API does
    /// not count them.
    public var promptText: String {
        PromptCache.stripped(([system] + messages.map(\.content)).joined(separator: "\n"))
    }
}

/// An answer's body or stream that is not what the API documents.
public struct WireFormatError: Error, Equatable, Sendable {
    public let detail: String

    public init(_ detail: String) {
        self.detail = detail
    }
}

/// What one event or line of a streamed answer contributed.
public enum StreamStep: Sendable, Equatable {
    /// Nothing visible (metadata, keep-alives, usage).
    case none
    /// More answer text.
    case text(String)
    /// The API reported an error in the middle of the stream. `status` is the HTTP status its
    /// error type stands for, when it names one, so that it is retried and explained like one.
    case failure(status: Int?, message: String)
}
