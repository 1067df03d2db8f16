import ConductorDomain
import Foundation

/// Collects the provider tries the resilience layer reports, from whatever thread it reports
/// them on, until the session records them as the run's `attempt` events.
final class AttemptLog: @unchecked Sendable {
    private let lock = NSLock()
    private var pending: [ProviderAttempt] = []

    /// The observer to give the providers.
    var observer: ProviderAttemptObserver {
        { [self] attempt in lock.withLock { pending.append(attempt) } }
    }

    /// The tries reported since the last call, oldest first.
    func drain() -> [ProviderAttempt] {
        lock.withLock {
            defer { pending = [] }
            return pending
        }
    }
}
