/// The most tokens an answer may have, per kind of request (`max_output_tokens.*`), so that
/// no call runs on at the user's expense: a plan is short, an edit may be long. A profile's
/// `providers.<name>.max_output_tokens` replaces every kind's figure for that profile (a
/// small local model's context, a provider's own cap).
///
/// A request that sets its own ``ProviderRequest/maxOutputTokens`` keeps it.
public struct OutputTokenLimits: Sendable, Equatable, Codable {
    public var spec: Int
    public var plan: Int
    public var build: Int
    public var repair: Int

    public static let defaultSpec = 2000
    public static let defaultPlan = 2000
    public static let defaultBuild = 8000
    public static let defaultRepair = 8000

    public init(spec: Int = defaultSpec, plan: Int = defaultPlan, build: Int = defaultBuild, repair: Int = defaultRepair) {
        self.spec = spec
        self.plan = plan
        self.build = build
        self.repair = repair
    }

    /// The same figure for every kind.
    public init(all tokens: Int) {
        self.init(spec: tokens, plan: tokens, build: tokens, repair: tokens)
    }

    public func tokens(for purpose: RequestPurpose) -> Int {
        switch purpose {
        case .spec: spec
        case .plan: plan
        case .build: build
        case .repair: repair
        }
    }

    /// The limit a call to the API carries: the request's own, else this table's.
    public func limit(for request: ProviderRequest) -> Int {
        request.maxOutputTokens ?? tokens(for: request.purpose)
    }
}
