import ConductorDomain

/// The engine's port to a model. Adapters (HTTP APIs, other CLIs, the offline script) sit
/// behind it; the engine sees only requests, responses and ``ProviderError``.
public protocol Provider: Sendable {
    /// The name recorded in events and notes (`script`, `anthropic`, …).
    var name: String { get }
    func complete(_ request: ProviderRequest) async throws(ProviderError) -> ProviderResponse
}

/// Why a provider could not answer, phrased so the user knows what to fix.
public enum ProviderError: Error, Equatable, CustomStringConvertible {
    case invalidScript(path: String, detail: String)
    case scriptExhausted(path: String, answered: Int)
    case unexpectedPurpose(path: String, response: Int, expected: RequestPurpose, got: RequestPurpose)
    /// The replayed run received no more answers than these: the replay asked for more.
    case recordingExhausted(run: RunID, answered: Int)
    /// The provider's API answered with an HTTP error status; `cause` is what most likely went
    /// wrong, `detail` how to fix it and the API's own error message (redacted).
    /// `retryAfter` is the wait in seconds the server asked for (`Retry-After`,
    /// `retry-after-ms`), which the retry layer honours.
    case http(provider: String, status: Int, detail: String, cause: String?, retryAfter: Double? = nil)
    /// The connection failed (refused, reset, DNS, TLS) before an answer came.
    case transport(provider: String, detail: String)
    /// A configured timeout passed: `phase` names which (connect, idle read, total deadline).
    case timeout(provider: String, phase: String, seconds: Double)
    /// The answer arrived but could not be understood.
    case malformedResponse(provider: String, detail: String)
    /// No API key: `variable` names the environment variable to set.
    case missingCredential(provider: String, variable: String)
    /// The circuit breaker is open after repeated failures; calls resume after the cool-down.
    case circuitOpen(provider: String, retryInSeconds: Double)
    /// A command-line provider could not run or failed.
    case commandFailed(provider: String, detail: String)
    /// The call was cancelled (the run was stopped).
    case cancelled(provider: String)
    /// Every provider of a fallback chain failed; each attempt's error, in order.
    case allFailed([ProviderError])

    public var description: String {
        switch self {
        case let .invalidScript(path, detail):
            "\(path): \(detail)"
        case let .scriptExhausted(path, answered):
            "\(path) has no more responses: all \(answered) were used"
        case let .unexpectedPurpose(path, response, expected, got):
            "\(path): response \(response) is for a \(expected.rawValue) request, but the engine asked for \(got.rawValue)"
        case let .recordingExhausted(run, answered):
            "run \(run) recorded only \(answered) responses, and the replay asked for more: it did not follow the same path"
        case let .http(provider, status, detail, cause, _):
            "\(cause.map { "\($0) for \(provider)" } ?? "\(provider) failed") (HTTP \(status))" + (detail.isEmpty ? "" : ": \(detail)")
        case let .transport(provider, detail):
            "cannot reach \(provider): \(detail)"
        case let .timeout(provider, phase, seconds):
            "\(provider) timed out: no \(phase) within \(seconds.formatted()) s"
        case let .malformedResponse(provider, detail):
            "\(provider) sent an answer that cannot be read: \(detail)"
        case let .missingCredential(provider, variable):
            "no API key for \(provider): set \(variable)"
        case let .circuitOpen(provider, seconds):
            "\(provider) is failing repeatedly; calls pause for \(Int(seconds.rounded(.up))) s (circuit breaker open)"
        case let .commandFailed(provider, detail):
            "\(provider) failed: \(detail)"
        case .cancelled(let provider):
            "the call to \(provider) was cancelled"
        case .allFailed(let errors):
            "every provider failed: " + errors.map(\.description).joined(separator: "; ")
        }
    }
}
