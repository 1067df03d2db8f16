import ConductorDomain

/// How the resilience layer reads a ``ProviderError``: whether another try may succeed,
/// whether it says the provider is unwell, and how it is recorded as an attempt.
extension ProviderError {
    /// Worth another try of the same provider: the statuses ``ProviderRetryPolicy/isRetryable(status:)``
    /// names, connection failures, and the connect and idle-read timeouts. A total deadline that
    /// passed is not retried: the next try would take as long.
    public var isRetryable: Bool {
        switch self {
        case let .http(_, status, _, _, _): ProviderRetryPolicy.isRetryable(status: status)
        case .transport: true
        case let .timeout(_, phase, _): phase != HTTPTimeouts.Phase.total.rawValue
        default: false
        }
    }

    /// The wait the server asked for, in seconds.
    public var retryAfter: Double? {
        if case let .http(_, _, _, _, retryAfter) = self { return retryAfter }
        return nil
    }

    /// What this failure tells a circuit breaker. An HTTP answer that blames the request
    /// (400, 401, 404…) shows the service is up; a call that never went out says nothing.
    public var health: ProviderHealth {
        switch self {
        case let .http(_, status, _, _, _):
            status >= 500 || status == 408 || status == 429 ? .unwell : .well
        case .transport, .timeout, .malformedResponse, .commandFailed:
            .unwell
        default:
            .unknown  // cancelled, no key, refused by the breaker itself, script and replay errors
        }
    }

    /// The outcome word recorded for an attempt that failed with this error.
    public var attemptOutcome: ProviderAttemptOutcome {
        switch self {
        case let .http(_, status, _, _, _): .http(status: status)
        case .transport: .transport
        case .timeout: .timeout
        case .malformedResponse: .malformed
        case .missingCredential: .credential
        case .circuitOpen: .circuitOpen
        case .cancelled: .cancelled
        default: .failed
        }
    }
}

/// What a call's outcome says about a provider's health, for its circuit breaker.
public enum ProviderHealth: Sendable, Equatable {
    case well, unwell, unknown
}
