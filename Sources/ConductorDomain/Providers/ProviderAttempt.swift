/// One try of one provider, as the resilience layer saw it: which provider and model, how it
/// ended and how long it took. A run records these as events, so that a call that succeeded
/// only on its third try, or only at the second provider of a fallback chain, shows it.
public struct ProviderAttempt: Sendable, Equatable, Codable {
    public let provider: String
    /// The model that answered, or the one configured when there was no answer.
    public let model: String?
    /// The try's number within its call, from 1: a retry's number for `ResilientProvider`'s
    /// records, the member's position for a fallback chain's.
    public let attempt: Int
    public let outcome: ProviderAttemptOutcome
    public let latencyMilliseconds: Int
    /// The error's message (never holding a credential), when the try failed.
    public let error: String?
    /// Seconds waited before the next try, when one follows.
    public let retryInSeconds: Double?
    /// How an answered call asked for structured output (`json_schema`, `json_object`,
    /// `tool`, `format`, `prompt`), when the request had a schema.
    public var structured: StructuredOutputForm?
    /// Why an answered call stopped, normalised (``FinishReason``); `length` marks an answer
    /// cut off by the output limit.
    public var finishReason: String?
    /// The output limit the call carried.
    public var maxOutputTokens: Int?

    public init(
        provider: String, model: String?, attempt: Int, outcome: ProviderAttemptOutcome, latencyMilliseconds: Int, error: String? = nil,
        retryInSeconds: Double? = nil, structured: StructuredOutputForm? = nil, finishReason: String? = nil, maxOutputTokens: Int? = nil
    ) {
        self.provider = provider
        self.model = model
        self.attempt = attempt
        self.outcome = outcome
        self.latencyMilliseconds = latencyMilliseconds
        self.error = error
        self.retryInSeconds = retryInSeconds
        self.structured = structured
        self.finishReason = finishReason
        self.maxOutputTokens = maxOutputTokens
    }

    /// The answer was cut off by its output limit.
    public var isTruncated: Bool { finishReason == FinishReason.length }

    enum CodingKeys: String, CodingKey {
        case provider, model, attempt, outcome, status, error, structured
        case latencyMilliseconds = "latency_ms", retryInSeconds = "retry_in_s"
        case finishReason = "finish", maxOutputTokens = "max_output_tokens"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        provider = try container.decode(String.self, forKey: .provider)
        model = try container.decodeIfPresent(String.self, forKey: .model)
        attempt = try container.decode(Int.self, forKey: .attempt)
        let kind = try container.decode(String.self, forKey: .outcome)
        if kind == "http" {
            outcome = .http(status: try container.decode(Int.self, forKey: .status))
        } else {
            outcome = ProviderAttemptOutcome(kind: kind)
        }
        latencyMilliseconds = try container.decode(Int.self, forKey: .latencyMilliseconds)
        error = try container.decodeIfPresent(String.self, forKey: .error)
        retryInSeconds = try container.decodeIfPresent(Double.self, forKey: .retryInSeconds)
        // A form a later version added reads as unknown rather than failing the event.
        structured = (try? container.decodeIfPresent(String.self, forKey: .structured)).flatMap { $0.flatMap(StructuredOutputForm.init(rawValue:)) }
        finishReason = try container.decodeIfPresent(String.self, forKey: .finishReason)
        maxOutputTokens = try container.decodeIfPresent(Int.self, forKey: .maxOutputTokens)
    }

    /// `{"provider": "anthropic", "model": …, "attempt": 1, "outcome": "http", "status": 429,
    /// "latency_ms": 112, "error": …, "retry_in_s": 2}`, and for an answer `"structured"`,
    /// `"finish"` and `"max_output_tokens"`; absent values are left out.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(provider, forKey: .provider)
        try container.encodeIfPresent(model, forKey: .model)
        try container.encode(attempt, forKey: .attempt)
        try container.encode(outcome.kind, forKey: .outcome)
        if case .http(let status) = outcome { try container.encode(status, forKey: .status) }
        try container.encode(latencyMilliseconds, forKey: .latencyMilliseconds)
        try container.encodeIfPresent(error, forKey: .error)
        try container.encodeIfPresent(retryInSeconds, forKey: .retryInSeconds)
        try container.encodeIfPresent(structured, forKey: .structured)
        try container.encodeIfPresent(finishReason, forKey: .finishReason)
        try container.encodeIfPresent(maxOutputTokens, forKey: .maxOutputTokens)
    }
}

/// How a try ended: an answer, an HTTP error status, or a kind of failure without one.
public enum ProviderAttemptOutcome: Sendable, Equatable, Hashable {
    case ok
    case http(status: Int)
    /// Refused, reset or dropped connection.
    case transport
    case timeout
    /// An answer that could not be read.
    case malformed
    /// No API key.
    case credential
    /// Refused by the open circuit breaker, without a call.
    case circuitOpen
    case cancelled
    /// Anything else (a command-line provider's failure, a script's).
    case failed

    /// The stored `outcome` word.
    public var kind: String {
        switch self {
        case .ok: "ok"
        case .http: "http"
        case .transport: "transport"
        case .timeout: "timeout"
        case .malformed: "malformed"
        case .credential: "credential"
        case .circuitOpen: "circuit_open"
        case .cancelled: "cancelled"
        case .failed: "failed"
        }
    }

    /// The outcome a stored word names; words from a newer version read as `failed`.
    init(kind: String) {
        switch kind {
        case "ok": self = .ok
        case "transport": self = .transport
        case "timeout": self = .timeout
        case "malformed": self = .malformed
        case "credential": self = .credential
        case "circuit_open": self = .circuitOpen
        case "cancelled": self = .cancelled
        default: self = .failed
        }
    }
}

extension ProviderAttemptOutcome: CustomStringConvertible {
    /// `ok`, `HTTP 429`, `timeout`…: for one-line descriptions.
    public var description: String {
        if case .http(let status) = self { return "HTTP \(status)" }
        return kind
    }
}
