/// What a model accepts in a request, where models of one API differ: OpenAI's reasoning
/// models (the o-series, the gpt-5 family) refuse `temperature` and `max_tokens`, want the
/// system prompt under the `developer` role, take `max_completion_tokens` and
/// `reasoning_effort`. Looked up by model name next to the ``PriceTable``, and overridable per
/// profile (`providers.<name>.capabilities`, docs/configuration.md).
public struct ModelCapabilities: Sendable, Equatable {
    /// The role the system prompt is sent under.
    public enum SystemRole: String, Sendable, Equatable {
        case system, developer
        /// No system or developer message at all (o1-mini, o1-preview): the system prompt is
        /// put before the first user message.
        case user
    }

    /// Whether `temperature` may be sent. Where it may not, the loop guardian's temperature
    /// escalation has nothing to raise.
    public var allowsTemperature: Bool
    public var systemRole: SystemRole
    public var limitField: OpenAIChatWire.TokenLimitField
    /// Whether `reasoning_effort` may be sent.
    public var supportsReasoningEffort: Bool

    public init(allowsTemperature: Bool, systemRole: SystemRole, limitField: OpenAIChatWire.TokenLimitField, supportsReasoningEffort: Bool) {
        self.allowsTemperature = allowsTemperature
        self.systemRole = systemRole
        self.limitField = limitField
        self.supportsReasoningEffort = supportsReasoningEffort
    }

    /// Chat models: everything as the compatible servers know it.
    public static let standard = ModelCapabilities(allowsTemperature: true, systemRole: .system, limitField: .maxTokens, supportsReasoningEffort: false)
    /// OpenAI's reasoning models.
    public static let reasoning = ModelCapabilities(allowsTemperature: false, systemRole: .developer, limitField: .maxCompletionTokens, supportsReasoningEffort: true)
    /// The first reasoning previews, which take neither a system nor a developer message.
    public static let earlyReasoning = ModelCapabilities(allowsTemperature: false, systemRole: .user, limitField: .maxCompletionTokens, supportsReasoningEffort: false)

    /// The families, by the canonical name's start (``PriceTable/canonicalName(_:)``: lower
    /// case, no `provider/` prefix, `.` read as `-`); the first match wins, so the exceptions
    /// come before their family. Names not listed are ``standard``.
    public static let families: [(prefix: String, capabilities: ModelCapabilities)] = [
        ("o1-mini", earlyReasoning),
        ("o1-preview", earlyReasoning),
        ("o1", reasoning),
        ("o3", reasoning),
        ("o4-mini", reasoning),
        // gpt-5-chat is the non-reasoning model behind ChatGPT: a chat model.
        ("gpt-5-chat", standard),
        ("gpt-5", reasoning),
    ]

    /// The capabilities of `model`. A family prefix matches the whole name or a name that
    /// continues with `-` (`o3-mini`, `gpt-5-2025-08-07`), never a longer word (`o10`).
    public static func of(model: String?) -> ModelCapabilities {
        guard let model else { return .standard }
        let name = PriceTable.canonicalName(model)
        for (prefix, capabilities) in families where name == prefix || name.hasPrefix(prefix + "-") {
            return capabilities
        }
        return .standard
    }

    /// The capabilities of `model` with a profile's override applied: `reasoning` or
    /// `standard` replace the table's answer; nil keeps it.
    public static func of(model: String?, override: ModelCapabilityOverride?) -> ModelCapabilities {
        switch override {
        case .reasoning?: .reasoning
        case .standard?: .standard
        case nil: of(model: model)
        }
    }
}

/// `providers.<name>.capabilities`: what a profile says its model is, over the table.
public enum ModelCapabilityOverride: String, Sendable, Equatable, Codable, CaseIterable {
    case reasoning, standard
}

/// `providers.<name>.reasoning_effort`, sent as `reasoning_effort` to models that take it.
public enum ReasoningEffort: String, Sendable, Equatable, Codable, CaseIterable {
    case minimal, low, medium, high
}
