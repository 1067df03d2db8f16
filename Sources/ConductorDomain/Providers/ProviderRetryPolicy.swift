/// How a failed provider call is tried again: capped exponential backoff with full jitter,
/// a cap on the number of tries and on the total time spent waiting between them.
///
/// Full jitter (a uniform wait between 0 and the exponential bound) spreads the retries of many
/// clients that failed together, which is what a rate-limited or overloaded API needs; a
/// server's own `Retry-After` wins over the schedule, because it knows when it will recover.
public struct ProviderRetryPolicy: Sendable, Equatable {
    /// Tries in all, the first one included: 1 means no retry.
    public var maxAttempts: Int
    /// The bound of the first wait, in seconds; each further retry doubles it.
    public var baseDelay: Double
    /// No scheduled wait is longer than this, in seconds (a server's `Retry-After` may be).
    public var maxDelay: Double
    /// The waits of one call add up to at most this many seconds; a `Retry-After` that would
    /// go past it ends the retries instead.
    public var maxTotalWait: Double

    public init(maxAttempts: Int = 4, baseDelay: Double = 1, maxDelay: Double = 30, maxTotalWait: Double = 120) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = max(0, baseDelay)
        self.maxDelay = max(0, maxDelay)
        self.maxTotalWait = max(0, maxTotalWait)
    }

    /// One try and no retry.
    public static let never = ProviderRetryPolicy(maxAttempts: 1)

    /// The statuses worth another try: timeouts, conflicts, rate limits and server errors.
    /// 400, 401, 403 and 404 (and the other 4xx) would fail the same way again.
    public static func isRetryable(status: Int) -> Bool {
        status == 408 || status == 409 || status == 429 || (500...599).contains(status)
    }

    /// The exponential bound for the wait after try `attempt` (1-based): `base · 2^(attempt-1)`,
    /// at most `maxDelay`.
    public func ceiling(afterAttempt attempt: Int) -> Double {
        var bound = baseDelay
        for _ in 1..<max(1, min(attempt, 63)) where bound < maxDelay { bound *= 2 }
        return min(maxDelay, bound)
    }

    /// The full-jitter wait after try `attempt`: `unitRandom` (in 0..<1) of the bound.
    public func backoff(afterAttempt attempt: Int, unitRandom: Double) -> Double {
        ceiling(afterAttempt: attempt) * min(max(unitRandom, 0), 1)
    }

    /// The wait before the next try after try `attempt` failed retryably, or nil to give up:
    /// the tries are used up, or the wait would take the call past ``maxTotalWait``.
    ///
    /// - Parameters:
    ///   - waited: seconds this call has already waited between tries.
    ///   - retryAfter: the server's own wait, when it sent one; honoured as it is.
    public func delay(afterAttempt attempt: Int, waited: Double, retryAfter: Double?, unitRandom: Double) -> Double? {
        guard attempt < maxAttempts else { return nil }
        let remaining = maxTotalWait - waited
        if let retryAfter {
            let wait = max(0, retryAfter)
            return wait <= remaining ? wait : nil
        }
        guard remaining > 0 else { return nil }
        return min(backoff(afterAttempt: attempt, unitRandom: unitRandom), remaining)
    }
}
