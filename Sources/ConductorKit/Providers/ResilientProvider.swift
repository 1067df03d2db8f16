import ConductorDomain

/// Receives every attempt the resilience layer makes, as it ends (the integrator records them
/// as run events). Called from the calling task; keep it quick.
public typealias ProviderAttemptObserver = @Sendable (ProviderAttempt) -> Void

/// A ``Provider`` that retries another: 408, 409, 429, 5xx, connection failures and
/// connect/idle-read timeouts are tried again after a backoff with full jitter, or after the
/// wait the server asked for (`Retry-After`, `retry-after-ms`), within the policy's caps on
/// tries and total waiting. Other failures (400, 401, 403, 404, an answer that cannot be read,
/// a missing key) end the call at once with the provider's own error.
///
/// With a ``CircuitBreaker``, each try asks it first: an open circuit ends the call without a
/// request (with the last real error when a try was already made, else
/// ``ProviderError/circuitOpen(provider:retryInSeconds:)``), and each try's outcome is
/// reported to it.
public struct ResilientProvider: ModelReporting {
    public let base: any Provider
    public let policy: ProviderRetryPolicy
    public let breaker: CircuitBreaker?
    private let sleeper: RetrySleeper
    private let random: @Sendable () -> Double
    private let observer: ProviderAttemptObserver?

    public var name: String { base.name }
    public var model: String? { (base as? any ModelReporting)?.model }

    /// - Parameters:
    ///   - random: a number in `0..<1` for the jitter; tests fix it.
    ///   - observer: receives every try, with its outcome, latency and the wait that follows.
    public init(
        _ base: any Provider, policy: ProviderRetryPolicy = ProviderRetryPolicy(), breaker: CircuitBreaker? = nil,
        sleeper: RetrySleeper = .live, random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        observer: ProviderAttemptObserver? = nil
    ) {
        self.base = base
        self.policy = policy
        self.breaker = breaker
        self.sleeper = sleeper
        self.random = random
        self.observer = observer
    }

    public func complete(_ request: ProviderRequest) async throws(ProviderError) -> ProviderResponse {
        var attempt = 0
        var waited = 0.0
        var lastError: ProviderError?
        while true {
            attempt += 1
            if let breaker {
                do {
                    try await breaker.admit()
                } catch {
                    observer?(ProviderAttempt(provider: name, model: model, attempt: attempt, outcome: .circuitOpen, latencyMilliseconds: 0, error: error.description))
                    throw lastError ?? error
                }
            }
            let started = ContinuousClock.now
            let error: ProviderError
            do {
                let response = try await base.complete(request)
                await breaker?.record(.well)
                observer?(ProviderAttempt(
                    provider: name, model: response.usage.model ?? model, attempt: attempt, outcome: .ok,
                    latencyMilliseconds: Self.milliseconds(since: started), structured: response.structuredOutput,
                    finishReason: response.finishReason, maxOutputTokens: response.maxOutputTokens
                ))
                return response
            } catch let failure {
                error = failure
            }
            await breaker?.record(error.health)
            let delay = error.isRetryable && !Task.isCancelled
                ? policy.delay(afterAttempt: attempt, waited: waited, retryAfter: error.retryAfter, unitRandom: random())
                : nil
            observer?(ProviderAttempt(
                provider: name, model: model, attempt: attempt, outcome: error.attemptOutcome,
                latencyMilliseconds: Self.milliseconds(since: started), error: error.description, retryInSeconds: delay
            ))
            guard let delay else { throw error }
            lastError = error
            guard await sleeper.wait(delay) else { throw .cancelled(provider: name) }
            waited += delay
        }
    }

    static func milliseconds(since start: ContinuousClock.Instant) -> Int {
        let elapsed = ContinuousClock.now - start
        return Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
    }
}
