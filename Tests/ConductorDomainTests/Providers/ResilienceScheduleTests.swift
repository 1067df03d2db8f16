import ConductorDomain
import Testing

@Suite("Retry schedule")
struct RetryScheduleTests {
    let policy = ProviderRetryPolicy(maxAttempts: 5, baseDelay: 1, maxDelay: 8, maxTotalWait: 20)

    @Test("the bound doubles from the base delay and stops at the maximum")
    func ceiling() {
        #expect((1...6).map { policy.ceiling(afterAttempt: $0) } == [1, 2, 4, 8, 8, 8])
        #expect(policy.ceiling(afterAttempt: 10_000) == 8, "no overflow for absurd attempt numbers")
    }

    @Test("full jitter: anywhere between zero and the bound")
    func fullJitter() {
        #expect(policy.backoff(afterAttempt: 3, unitRandom: 0) == 0)
        #expect(policy.backoff(afterAttempt: 3, unitRandom: 0.5) == 2)
        #expect(policy.backoff(afterAttempt: 3, unitRandom: 0.999) < 4)
        #expect(policy.backoff(afterAttempt: 3, unitRandom: 7) == 4, "a random value out of range is clamped")
    }

    @Test("a server's Retry-After is honoured as it is, even past the schedule's maximum")
    func retryAfterWins() {
        #expect(policy.delay(afterAttempt: 1, waited: 0, retryAfter: 12, unitRandom: 0.5) == 12)
        #expect(policy.delay(afterAttempt: 1, waited: 0, retryAfter: -3, unitRandom: 0.5) == 0)
    }

    @Test("no retry once the tries are used up")
    func attemptsCap() {
        #expect(policy.delay(afterAttempt: 4, waited: 0, retryAfter: nil, unitRandom: 0.5) != nil)
        #expect(policy.delay(afterAttempt: 5, waited: 0, retryAfter: nil, unitRandom: 0.5) == nil)
        #expect(ProviderRetryPolicy.never.delay(afterAttempt: 1, waited: 0, retryAfter: 1, unitRandom: 0) == nil)
    }

    @Test("the waits of one call stay within the total: the last one is shortened, a Retry-After past it ends the retries")
    func totalWaitCap() {
        #expect(policy.delay(afterAttempt: 4, waited: 18, retryAfter: nil, unitRandom: 0.99) == 2)
        #expect(policy.delay(afterAttempt: 2, waited: 20, retryAfter: nil, unitRandom: 0.5) == nil)
        #expect(policy.delay(afterAttempt: 2, waited: 10, retryAfter: 10, unitRandom: 0.5) == 10)
        #expect(policy.delay(afterAttempt: 2, waited: 10, retryAfter: 10.5, unitRandom: 0.5) == nil)
    }

    @Test("408, 409, 429 and 5xx are retried; other 4xx are not")
    func retryableStatuses() {
        #expect([408, 409, 429, 500, 502, 503, 504, 529].allSatisfy(ProviderRetryPolicy.isRetryable(status:)))
        #expect(![400, 401, 403, 404, 413, 422, 200, 302].contains(where: ProviderRetryPolicy.isRetryable(status:)))
    }
}

@Suite("Retry-After")
struct RetryAfterTests {
    /// Sun, 06 Nov 1994 08:49:37 GMT.
    static let now = Timestamp(milliseconds: 784_111_777_000)

    @Test("delta seconds, with or without a fraction")
    func seconds() {
        #expect(RetryAfter.seconds(retryAfterMilliseconds: nil, retryAfter: "7", now: Self.now) == 7)
        #expect(RetryAfter.seconds(retryAfterMilliseconds: nil, retryAfter: " 1.5 ", now: Self.now) == 1.5)
        #expect(RetryAfter.seconds(retryAfterMilliseconds: nil, retryAfter: "0", now: Self.now) == 0)
    }

    @Test("retry-after-ms wins over Retry-After")
    func milliseconds() {
        #expect(RetryAfter.seconds(retryAfterMilliseconds: "250", retryAfter: "7", now: Self.now) == 0.25)
        #expect(RetryAfter.seconds(retryAfterMilliseconds: "soon", retryAfter: "7", now: Self.now) == 7, "an unreadable ms header falls back")
    }

    @Test("HTTP dates in the three forms RFC 9110 names, as a wait from now")
    func dates() {
        for text in ["Sun, 06 Nov 1994 08:49:47 GMT", "Sunday, 06-Nov-94 08:49:47 GMT", "Sun Nov  6 08:49:47 1994"] {
            #expect(RetryAfter.seconds(retryAfterMilliseconds: nil, retryAfter: text, now: Self.now) == 10, "\(text)")
        }
        #expect(RetryAfter.httpDate("Thu, 01 Jan 1970 00:00:00 GMT") == Timestamp(milliseconds: 0))
        #expect(RetryAfter.seconds(retryAfterMilliseconds: nil, retryAfter: "Sat, 05 Nov 1994 08:49:37 GMT", now: Self.now) == 0, "a date in the past means now")
    }

    @Test("what cannot be read asks for no particular wait", arguments: ["", "soon", "-5", "1e3", "Sun, 31 Feb 1994 08:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 06 Nov 1994 25:00:00 GMT"])
    func unreadable(_ text: String) {
        #expect(RetryAfter.seconds(retryAfterMilliseconds: nil, retryAfter: text, now: Self.now) == nil)
    }
}

@Suite("Circuit breaker state")
struct CircuitBreakerStateTests {
    static func at(_ seconds: Int) -> Timestamp { Timestamp(milliseconds: Int64(seconds) * 1000) }

    @Test("closed until the threshold of consecutive failures; a success in between starts the count again")
    func opensAtThreshold() {
        var breaker = CircuitBreakerState(policy: CircuitBreakerPolicy(failureThreshold: 3, coolDown: 30))
        breaker.recordFailure(at: Self.at(0))
        breaker.recordFailure(at: Self.at(1))
        breaker.recordSuccess()
        breaker.recordFailure(at: Self.at(2))
        breaker.recordFailure(at: Self.at(3))
        #expect(breaker.admit(at: Self.at(3)) == .allowed)
        breaker.recordFailure(at: Self.at(4))
        #expect(breaker.phase == .open(since: Self.at(4)))
        #expect(breaker.admit(at: Self.at(14)) == .rejected(retryInSeconds: 20))
    }

    @Test("after the cool-down one trial goes through; its success closes the circuit")
    func halfOpenRecovers() {
        var breaker = CircuitBreakerState(policy: CircuitBreakerPolicy(failureThreshold: 1, coolDown: 30))
        breaker.recordFailure(at: Self.at(0))
        #expect(breaker.admit(at: Self.at(30)) == .trial)
        #expect(breaker.admit(at: Self.at(31)) == .rejected(retryInSeconds: 30), "only one trial at a time")
        breaker.recordSuccess()
        #expect(breaker.phase == .closed(consecutiveFailures: 0))
        #expect(breaker.admit(at: Self.at(31)) == .allowed)
    }

    @Test("a failed trial opens the circuit for another cool-down")
    func halfOpenFails() {
        var breaker = CircuitBreakerState(policy: CircuitBreakerPolicy(failureThreshold: 2, coolDown: 10))
        breaker.recordFailure(at: Self.at(0))
        breaker.recordFailure(at: Self.at(0))
        #expect(breaker.admit(at: Self.at(10)) == .trial)
        breaker.recordFailure(at: Self.at(12))
        #expect(breaker.admit(at: Self.at(21)) == .rejected(retryInSeconds: 1))
        #expect(breaker.admit(at: Self.at(22)) == .trial)
    }

    @Test("a cancelled trial gives its place back")
    func neutralReleasesTrial() {
        var breaker = CircuitBreakerState(policy: CircuitBreakerPolicy(failureThreshold: 1, coolDown: 5))
        breaker.recordFailure(at: Self.at(0))
        #expect(breaker.admit(at: Self.at(5)) == .trial)
        breaker.recordNeutral()
        #expect(breaker.admit(at: Self.at(6)) == .trial)
    }

    @Test("thresholds below one are taken as one")
    func policyBounds() {
        #expect(CircuitBreakerPolicy(failureThreshold: 0, coolDown: -1) == CircuitBreakerPolicy(failureThreshold: 1, coolDown: 0))
    }
}
