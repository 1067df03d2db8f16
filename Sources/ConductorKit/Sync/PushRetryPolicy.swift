/// How long `push` keeps trying against a remote that keeps moving (docs/sync.md, "Many
/// clones pushing at once").
///
/// Each refused push costs a fetch and a merge before the next try, and only one of the
/// clones pushing at the same moment can win each round. Clones that retry at once collide
/// again in lockstep, so every retry waits first: capped exponential backoff with full jitter
/// (a uniform wait between 0 and `base · 2^(attempt-1)`), which spreads the losers out and
/// lets them land one after another. Twenty clones pushing together all land within a few
/// seconds; `maxAttempts` and `maxDuration` only bound a remote that never settles.
public struct PushRetryPolicy: Sendable, Equatable {
    /// Pushes in all, the first one included.
    public var maxAttempts: Int
    /// The bound of the first wait, in seconds; each further retry doubles it.
    public var baseDelay: Double
    /// No wait is longer than this, in seconds.
    public var maxDelay: Double
    /// No push starts later than this many seconds after the first one.
    public var maxDuration: Double

    public static let defaultAttempts = 30
    public static let defaultDuration: Double = 120

    public init(maxAttempts: Int = Self.defaultAttempts, baseDelay: Double = 0.05, maxDelay: Double = 2, maxDuration: Double = Self.defaultDuration) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = max(0, baseDelay)
        self.maxDelay = max(0, maxDelay)
        self.maxDuration = max(0, maxDuration)
    }

    /// The exponential bound of the wait after push `attempt` (1-based), at most ``maxDelay``.
    public func ceiling(afterAttempt attempt: Int) -> Double {
        var bound = baseDelay
        for _ in 1..<max(1, min(attempt, 63)) where bound < maxDelay { bound *= 2 }
        return min(maxDelay, bound)
    }

    /// The wait before the next push after push `attempt` was refused, `elapsed` seconds after
    /// the first one started; nil to give up: the attempts are used up, or the next push would
    /// start after ``maxDuration``. `unitRandom` (in 0..<1) picks the wait below the bound.
    public func delay(afterAttempt attempt: Int, elapsed: Double, unitRandom: Double) -> Double? {
        guard attempt < maxAttempts else { return nil }
        let wait = ceiling(afterAttempt: attempt) * min(max(unitRandom, 0), 1)
        return elapsed + wait <= maxDuration ? wait : nil
    }
}
