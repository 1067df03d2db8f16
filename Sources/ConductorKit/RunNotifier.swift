import ConductorDomain
import Foundation

/// Announces a finished run to the configured webhook (`notify.webhook`): one POST of a JSON
/// summary, within `notify.timeout_seconds`. Best effort: a webhook that is down, slow or
/// refusing costs the run nothing but a warning; it never changes the outcome.
public struct RunNotifier: Sendable {
    let settings: NotifySettings
    let redactor: SecretRedactor

    public init(settings: NotifySettings, redactor: SecretRedactor) {
        self.settings = settings
        self.redactor = redactor
    }

    /// The summary sent: what a chat channel or a CI job wants to know about the run.
    public struct Summary: Sendable, Equatable, Encodable {
        public let event = "run_finished"
        public let run: RunID
        public let state: RunState
        public let reason: FailureReason?
        public let detail: String?
        public let iterations: Int
        public let taskBranch: String

        enum CodingKeys: String, CodingKey {
            case event, run, state, reason, detail, iterations
            case taskBranch = "task_branch"
        }
    }

    /// Posts the outcome; returns a warning when the webhook could not take it, nil when it
    /// did or no webhook is configured.
    public func notify(_ outcome: RunOutcome) async -> String? {
        guard let webhook = settings.webhook else { return nil }
        let summary = Summary(
            run: outcome.run, state: outcome.state, reason: outcome.reason, detail: outcome.detail.map(redactor.redact),
            iterations: outcome.iterations, taskBranch: outcome.taskBranch
        )
        let body = (try? JSONEncoder().encode(summary)).map { Array($0) } ?? []
        let transport = HTTPTransport(provider: "the webhook", timeouts: HTTPTimeouts(connect: settings.timeoutSeconds, idleRead: settings.timeoutSeconds, total: settings.timeoutSeconds))
        do throws(ProviderError) {
            let status = try await transport.post(HTTPCall(url: webhook, headers: [], credential: nil, body: body)) { head, _ in head.status }
            return (200..<300).contains(status) ? nil : "the notification webhook answered HTTP \(status)"
        } catch {
            return redactor.redact("could not notify the webhook: \(error.description)")
        }
    }
}
