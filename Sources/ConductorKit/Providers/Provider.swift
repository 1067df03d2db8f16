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
        }
    }
}
