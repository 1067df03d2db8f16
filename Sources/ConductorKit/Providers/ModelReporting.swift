/// A provider that calls one configured model, so that an attempt that failed before any
/// answer can still be recorded with the model it was for.
public protocol ModelReporting: Provider {
    var model: String? { get }
}

/// Receives each piece of a streamed answer as it arrives (to show progress); the provider
/// still returns the whole text.
public typealias StreamDeltaHandler = @Sendable (String) -> Void
