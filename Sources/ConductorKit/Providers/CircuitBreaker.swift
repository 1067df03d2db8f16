import ConductorDomain

/// One provider's circuit breaker, shared by every call to that provider in this process
/// (``CircuitBreakerState`` has the rules). An actor, because concurrent calls report to it.
public actor CircuitBreaker {
    public nonisolated let provider: String
    private var state: CircuitBreakerState
    private let clock: any Clock

    public init(provider: String, policy: CircuitBreakerPolicy = CircuitBreakerPolicy(), clock: any Clock = SystemClock()) {
        self.provider = provider
        state = CircuitBreakerState(policy: policy)
        self.clock = clock
    }

    /// Asks to make a call now; ``ProviderError/circuitOpen(provider:retryInSeconds:)`` when refused.
    public func admit() throws(ProviderError) {
        if case .rejected(let seconds) = state.admit(at: clock.now()) {
            throw .circuitOpen(provider: provider, retryInSeconds: seconds)
        }
    }

    /// Reports how an admitted call went.
    public func record(_ health: ProviderHealth) {
        switch health {
        case .well: state.recordSuccess()
        case .unwell: state.recordFailure(at: clock.now())
        case .unknown: state.recordNeutral()
        }
    }

    public var phase: CircuitBreakerState.Phase { state.phase }
}

/// The circuit breakers of one process, one per provider name, so that every call to a
/// provider — from any fallback chain or retry loop that names it — shares one breaker.
public actor CircuitBreakerRegistry {
    /// The process's registry.
    public static let shared = CircuitBreakerRegistry()

    private var breakers: [String: CircuitBreaker] = [:]
    private let clock: any Clock

    public init(clock: any Clock = SystemClock()) {
        self.clock = clock
    }

    /// The breaker for `provider`, made with `policy` the first time it is asked for.
    public func breaker(for provider: String, policy: CircuitBreakerPolicy = CircuitBreakerPolicy()) -> CircuitBreaker {
        if let breaker = breakers[provider] { return breaker }
        let breaker = CircuitBreaker(provider: provider, policy: policy, clock: clock)
        breakers[provider] = breaker
        return breaker
    }
}
