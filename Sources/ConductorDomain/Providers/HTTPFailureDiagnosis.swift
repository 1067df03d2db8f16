/// What an HTTP error status most likely means for a model API, and what to do about it, so
/// that a failed call reads "invalid API key for anthropic (HTTP 401): set ANTHROPIC_API_KEY"
/// rather than a bare status.
public struct HTTPFailureDiagnosis: Sendable, Equatable {
    /// What most likely went wrong ("invalid API key").
    public let cause: String
    /// How to fix it ("set ANTHROPIC_API_KEY"), when there is something to do.
    public let remedy: String?

    public init(cause: String, remedy: String?) {
        self.cause = cause
        self.remedy = remedy
    }

    /// What the diagnosis may name: nothing secret, only what the user configured.
    public struct Context: Sendable, Equatable {
        public let model: String
        /// The environment variable the API key comes from; nil for servers without keys.
        public let credentialVariable: String?
        /// Where the call went, as the user would recognise it (`base_url`, or Azure's
        /// endpoint with its deployment).
        public let endpoint: String

        public init(model: String, credentialVariable: String?, endpoint: String) {
            self.model = model
            self.credentialVariable = credentialVariable
            self.endpoint = endpoint
        }
    }

    /// The diagnosis of `status`, or nil for a status that says nothing particular.
    public static func diagnose(status: Int, context: Context) -> HTTPFailureDiagnosis? {
        switch status {
        case 400, 422:
            return .init(cause: "request rejected", remedy: "check the model name '\(context.model)' and the request's options")
        case 401:
            return .init(
                cause: "invalid API key",
                remedy: context.credentialVariable.map { "set \($0)" } ?? "the server at \(context.endpoint) wants an API key"
            )
        case 402:
            return .init(cause: "payment required", remedy: "check the account's credit or billing")
        case 403:
            return .init(cause: "access denied", remedy: "the API key may not be allowed to use model '\(context.model)'")
        case 404:
            return .init(cause: "not found", remedy: "check the URL \(context.endpoint) and the model name '\(context.model)'")
        case 408:
            return .init(cause: "request timed out", remedy: nil)
        case 409:
            return .init(cause: "conflict", remedy: nil)
        case 413:
            return .init(cause: "request too large", remedy: "shorten the prompt or the context sent")
        case 429:
            return .init(cause: "rate limited", remedy: "wait, or raise the account's rate limit or quota")
        case 500:
            return .init(cause: "server error", remedy: nil)
        case 502:
            return .init(cause: "bad gateway", remedy: nil)
        case 503, 529:
            return .init(cause: "overloaded or unavailable", remedy: nil)
        case 504:
            return .init(cause: "gateway timeout", remedy: nil)
        case 501, 505...599:
            return .init(cause: "server error", remedy: nil)
        default:
            return nil
        }
    }

    /// The remedy and the API's own words, for the error's detail:
    /// `set ANTHROPIC_API_KEY (the API said: invalid x-api-key)`.
    public static func detail(remedy: String?, apiMessage: String?) -> String {
        let said = apiMessage.flatMap { $0.isEmpty ? nil : "the API said: \($0)" }
        switch (remedy, said) {
        case let (remedy?, said?): return "\(remedy) (\(said))"
        case let (remedy?, nil): return remedy
        case let (nil, said?): return said
        case (nil, nil): return ""
        }
    }
}
