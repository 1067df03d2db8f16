@testable import ConductorKit
import Testing

@Suite("Push retry policy")
struct PushRetryPolicyTests {
    @Test("the bound of the wait doubles from the base after each refused push, up to the cap")
    func ceilings() {
        let policy = PushRetryPolicy(maxAttempts: 30, baseDelay: 0.05, maxDelay: 2, maxDuration: 120)
        #expect((1...8).map(policy.ceiling(afterAttempt:)) == [0.05, 0.1, 0.2, 0.4, 0.8, 1.6, 2, 2])
        #expect(policy.ceiling(afterAttempt: 1_000) == 2)
    }

    @Test("full jitter: the wait is the random fraction of the bound, never more")
    func jitter() {
        let policy = PushRetryPolicy(baseDelay: 0.05, maxDelay: 2)
        #expect(policy.delay(afterAttempt: 3, elapsed: 0, unitRandom: 0) == 0)
        #expect(policy.delay(afterAttempt: 3, elapsed: 0, unitRandom: 0.5) == 0.1)
        #expect(policy.delay(afterAttempt: 3, elapsed: 0, unitRandom: 7) == 0.2)
    }

    @Test("it gives up when the attempts are used up or the next push would start past the time limit")
    func limits() {
        let policy = PushRetryPolicy(maxAttempts: 4, baseDelay: 1, maxDelay: 8, maxDuration: 10)
        #expect(policy.delay(afterAttempt: 3, elapsed: 0, unitRandom: 0.5) == 2)
        #expect(policy.delay(afterAttempt: 4, elapsed: 0, unitRandom: 0.5) == nil)
        #expect(policy.delay(afterAttempt: 2, elapsed: 9.5, unitRandom: 0.5) == nil)
        #expect(policy.delay(afterAttempt: 2, elapsed: 9.5, unitRandom: 0.2) == 0.2 * 2)
        #expect(PushRetryPolicy(maxAttempts: 1).delay(afterAttempt: 1, elapsed: 0, unitRandom: 0) == nil)
    }

    @Test("the defaults let twenty clones that push together all land: 30 attempts, 2 minutes")
    func defaults() {
        let policy = PushRetryPolicy()
        #expect(policy.maxAttempts == 30 && policy.maxDuration == 120)
        #expect(StateSync.seconds(.milliseconds(1_500)) == 1.5)
    }
}
