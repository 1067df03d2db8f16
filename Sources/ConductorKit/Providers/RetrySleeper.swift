/// How the retry layer waits between tries, injectable so that tests record the waits
/// instead of sitting through them.
public struct RetrySleeper: Sendable {
    private let sleep: @Sendable (Double) async throws -> Void

    /// `sleep` waits the given seconds and throws when the task is cancelled.
    public init(_ sleep: @escaping @Sendable (Double) async throws -> Void) {
        self.sleep = sleep
    }

    /// Real waiting, on the continuous clock.
    public static let live = RetrySleeper { seconds in
        try await Task.sleep(for: .seconds(seconds))
    }

    /// Waits `seconds`; false when the wait was cancelled.
    func wait(_ seconds: Double) async -> Bool {
        do {
            try await sleep(seconds)
            return !Task.isCancelled
        } catch {
            return false
        }
    }
}
