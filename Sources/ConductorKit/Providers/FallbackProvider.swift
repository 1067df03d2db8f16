import ConductorDomain

/// Tries providers in order until one answers, e.g. `anthropic`, then a local `ollama`.
///
/// Any failure moves on to the next provider, except cancellation, which ends the chain.
/// When all fail, the error lists each provider's (``ProviderError/allFailed(_:)``). Every
/// provider tried is reported to the observer with its outcome and latency, which for a
/// ``ResilientProvider`` member covers all its retries; give the observer to the members
/// too to record each of their tries.
public struct FallbackProvider: ModelReporting {
    public let providers: [any Provider]
    private let observer: ProviderAttemptObserver?

    /// `fallback(anthropic, ollama)`, the members' names in order.
    public var name: String { "fallback(" + providers.map(\.name).joined(separator: ", ") + ")" }
    /// The first member's model: the one meant to answer.
    public var model: String? { providers.first.flatMap { ($0 as? any ModelReporting)?.model } }

    /// - Precondition: `providers` is not empty.
    public init(_ providers: [any Provider], observer: ProviderAttemptObserver? = nil) {
        precondition(!providers.isEmpty, "a fallback chain needs at least one provider")
        self.providers = providers
        self.observer = observer
    }

    public func complete(_ request: ProviderRequest) async throws(ProviderError) -> ProviderResponse {
        var errors: [ProviderError] = []
        for provider in providers {
            let model = (provider as? any ModelReporting)?.model
            let started = ContinuousClock.now
            do {
                let response = try await provider.complete(request)
                observer?(ProviderAttempt(
                    provider: provider.name, model: response.usage.model ?? model, attempt: errors.count + 1, outcome: .ok,
                    latencyMilliseconds: ResilientProvider.milliseconds(since: started), structured: response.structuredOutput,
                    finishReason: response.finishReason, maxOutputTokens: response.maxOutputTokens
                ))
                return response
            } catch {
                observer?(ProviderAttempt(
                    provider: provider.name, model: model, attempt: errors.count + 1, outcome: error.attemptOutcome,
                    latencyMilliseconds: ResilientProvider.milliseconds(since: started), error: error.description
                ))
                if case .cancelled = error { throw error }
                errors.append(error)
                if Task.isCancelled { throw .cancelled(provider: name) }
            }
        }
        throw errors.count == 1 ? errors[0] : .allFailed(errors)
    }
}
