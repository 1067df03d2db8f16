/// When a provider's circuit opens and for how long.
public struct CircuitBreakerPolicy: Sendable, Equatable {
    /// Consecutive failed calls that open the circuit.
    public var failureThreshold: Int
    /// Seconds the circuit stays open before one trial call (half-open) is let through.
    public var coolDown: Double

    public init(failureThreshold: Int = 5, coolDown: Double = 30) {
        self.failureThreshold = max(1, failureThreshold)
        self.coolDown = max(0, coolDown)
    }
}

/// A circuit breaker's state machine, with time passed in so that it is a pure value:
///
/// - **closed**: calls go through; `failureThreshold` consecutive failures open it.
/// - **open**: calls are refused at once, without touching the network, until `coolDown`
///   has passed since it opened. A failing provider is then not hammered, and a fallback
///   chain moves on without waiting for timeouts.
/// - **half-open**: one trial call goes through and the others are refused; its success
///   closes the circuit, its failure opens it again for another cool-down.
public struct CircuitBreakerState: Sendable, Equatable {
    public enum Phase: Sendable, Equatable {
        case closed(consecutiveFailures: Int)
        case open(since: Timestamp)
        case halfOpen(trialInFlight: Bool)
    }

    /// What the breaker says to a call about to be made.
    public enum Admission: Sendable, Equatable {
        /// Go ahead.
        case allowed
        /// Go ahead as the half-open circuit's one trial: report its outcome.
        case trial
        /// Refused: the circuit is open; calls resume in about this many seconds.
        case rejected(retryInSeconds: Double)
    }

    public let policy: CircuitBreakerPolicy
    public private(set) var phase: Phase = .closed(consecutiveFailures: 0)

    public init(policy: CircuitBreakerPolicy) {
        self.policy = policy
    }

    /// Asks to make a call at `now`; an open circuit whose cool-down has passed turns
    /// half-open and lets this call through as its trial.
    public mutating func admit(at now: Timestamp) -> Admission {
        switch phase {
        case .closed:
            return .allowed
        case .open(let since):
            let elapsed = Double(now.milliseconds - since.milliseconds) / 1000
            guard elapsed >= policy.coolDown else { return .rejected(retryInSeconds: policy.coolDown - elapsed) }
            phase = .halfOpen(trialInFlight: true)
            return .trial
        case .halfOpen(let trialInFlight):
            // Another caller's trial is still running; its outcome decides.
            guard !trialInFlight else { return .rejected(retryInSeconds: policy.coolDown) }
            phase = .halfOpen(trialInFlight: true)
            return .trial
        }
    }

    /// The provider answered (an answer it refused for the request's own fault counts too:
    /// the service is up).
    public mutating func recordSuccess() {
        phase = .closed(consecutiveFailures: 0)
    }

    /// The provider failed in a way that says it is unwell (server error, overload, timeout,
    /// connection failure).
    public mutating func recordFailure(at now: Timestamp) {
        switch phase {
        case .closed(let failures):
            phase = failures + 1 >= policy.failureThreshold ? .open(since: now) : .closed(consecutiveFailures: failures + 1)
        case .halfOpen:
            phase = .open(since: now)
        case .open:
            break
        }
    }

    /// The call ended without saying anything about the provider's health (it was cancelled,
    /// or never sent): a trial it held is given back, so the next call can be the trial.
    public mutating func recordNeutral() {
        if case .halfOpen = phase { phase = .halfOpen(trialInFlight: false) }
    }
}
