import ConductorDomain
import ConductorKit
import ConductorTesting
import Foundation
import Testing

/// A list that concurrent callbacks (observers, sleepers, delta handlers) append to.
final class Recorder<Element: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var elements: [Element] = []

    func append(_ element: Element) {
        lock.withLock { elements.append(element) }
    }

    var all: [Element] { lock.withLock { elements } }
}

/// A clock that stands still until a test moves it.
final class ManualClock: Clock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Timestamp

    init(_ start: Timestamp = Timestamp(milliseconds: 1_700_000_000_000)) {
        current = start
    }

    func now() -> Timestamp { lock.withLock { current } }

    func advance(seconds: Double) {
        lock.withLock { current = Timestamp(milliseconds: current.milliseconds + Int64(seconds * 1000)) }
    }
}

enum ProviderFixtures {
    /// A key that must never show up in any error, record or description.
    static let secret = "sk-test-SECRET-0123456789abcdef"
    static let key = APIKey(secret)

    static let request = ProviderRequest(
        purpose: .build, system: "You edit code.",
        messages: [ChatMessage(role: .user, content: "Fix add() in Sources/Add.swift")],
        temperature: 0.2, maxOutputTokens: 256
    )

    /// Short timeouts, so that the tests that wait for them stay quick.
    static let quick = HTTPTimeouts(connect: 2, idleRead: 2, total: 10)

    /// A sleeper that records the waits and returns at once.
    static func recordingSleeper() -> (RetrySleeper, Recorder<Double>) {
        let waits = Recorder<Double>()
        return (RetrySleeper { waits.append($0) }, waits)
    }

    static func openAI(_ server: TestHTTPServer, stream: Bool = false, key: APIKey? = key, timeouts: HTTPTimeouts = quick, onDelta: StreamDeltaHandler? = nil) throws -> OpenAIProvider {
        try OpenAIProvider(
            settings: OpenAISettings(baseURL: server.baseURL + "/v1", model: "gpt-4o", apiKey: key, stream: stream, timeouts: timeouts),
            onDelta: onDelta
        )
    }

    static func anthropic(_ server: TestHTTPServer, stream: Bool = false, timeouts: HTTPTimeouts = quick, onDelta: StreamDeltaHandler? = nil) throws -> AnthropicProvider {
        try AnthropicProvider(
            settings: AnthropicSettings(baseURL: server.baseURL, model: "claude-sonnet-4-5", apiKey: key, stream: stream, timeouts: timeouts),
            onDelta: onDelta
        )
    }

    static func ollama(_ server: TestHTTPServer, stream: Bool = false, key: APIKey? = nil, timeouts: HTTPTimeouts = quick) throws -> OllamaProvider {
        try OllamaProvider(settings: OllamaSettings(baseURL: server.baseURL, model: "llama3.2", apiKey: key, apiKeyVariable: key == nil ? nil : "OLLAMA_API_KEY", stream: stream, timeouts: timeouts))
    }

    /// The error `provider` fails `request` with, or nil (and a recorded issue) when it answers.
    static func failure(of provider: any Provider, _ request: ProviderRequest = request, sourceLocation: SourceLocation = #_sourceLocation) async -> ProviderError? {
        do {
            let response = try await provider.complete(request)
            Issue.record("expected an error, got \(response)", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }
}
