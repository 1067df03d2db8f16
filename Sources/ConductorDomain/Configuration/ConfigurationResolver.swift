/// One key of the merged configuration: its value and the layer (and file, variable or git
/// key) it came from. `config show --json` prints a list of these.
public struct EffectiveSetting: Sendable, Equatable, Encodable {
    public let key: ConfigKey
    public let value: ConfigValue
    public let origin: ConfigOrigin

    public init(key: ConfigKey, value: ConfigValue, origin: ConfigOrigin) {
        self.key = key
        self.value = value
        self.origin = origin
    }

    enum CodingKeys: String, CodingKey {
        case key, value, origin
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(key.description, forKey: .key)
        try container.encode(value, forKey: .value)
        try container.encode(origin, forKey: .origin)
    }
}

/// Everything known about the configuration after merging: every key with its origin, every
/// problem, and the typed ``Configuration`` when there is no error. `config show` and
/// `config validate` read this; a run asks for ``effective()``.
public struct ConfigurationReport: Sendable, Equatable {
    /// Every key with a value, in the order of docs/configuration.md.
    public let settings: [EffectiveSetting]
    public let problems: [ConfigurationProblem]
    /// Nil when any problem is an error.
    public let configuration: Configuration?

    public var errors: [ConfigurationProblem] { problems.filter(\.isError) }
    public var warnings: [ConfigurationProblem] { problems.filter { !$0.isError } }

    /// The same report with more problems, found outside the domain (a key variable that is
    /// not set); an error among them makes the configuration unusable.
    public func adding(_ more: [ConfigurationProblem]) -> ConfigurationReport {
        let problems = problems + more
        return ConfigurationReport(
            settings: settings, problems: problems, configuration: problems.contains(where: \.isError) ? nil : configuration
        )
    }

    /// The configuration a run can use, or every problem when there is an error.
    public func effective() throws(ConfigurationError) -> EffectiveConfiguration {
        guard let configuration else { throw ConfigurationError(problems: problems) }
        return EffectiveConfiguration(configuration: configuration, settings: settings, warnings: warnings)
    }
}

/// A valid configuration: the typed value a run uses, each key's value and origin (for the
/// run's record and for `config show`), and the warnings to print before starting.
public struct EffectiveConfiguration: Sendable, Equatable {
    public let configuration: Configuration
    public let settings: [EffectiveSetting]
    public let warnings: [ConfigurationProblem]

    /// The setting at a dotted key (`budgets.max_tokens`), if it has a value.
    public func setting(_ key: ConfigKey) -> EffectiveSetting? {
        settings.first { $0.key == key }
    }
}

/// Merges layers and checks the result: the pure heart of configuration. Higher layers
/// replace lower ones key by key (a list is replaced whole, never appended to), then the
/// merged keys are decoded into a ``Configuration`` and checked across keys: profiles that
/// exist and are complete, kinds and the fields that belong to them, ranges that depend on
/// each other.
public enum ConfigurationResolver {
    public static func resolve(_ layers: [LayerSettings]) -> ConfigurationReport {
        var merged: [ConfigKey: ConfigSetting] = [:]
        for layer in layers.sorted(by: { $0.layer < $1.layer }) {
            merged.merge(layer.settings) { _, higher in higher }
        }
        var resolution = Resolution(merged: merged, reportedKeys: Set(layers.flatMap(\.problems).compactMap(\.key)))
        resolution.deriveDefaults()
        let configuration = resolution.decode()
        let problems = layers.flatMap(\.problems) + resolution.problems
        let settings = resolution.orderedSettings()
        return ConfigurationReport(
            settings: settings, problems: problems,
            configuration: problems.contains(where: \.isError) ? nil : configuration
        )
    }
}

/// The merged keys while they are being decoded and checked.
private struct Resolution {
    var merged: [ConfigKey: ConfigSetting]
    /// Keys a layer already reported a problem with: not to be called missing as well.
    let reportedKeys: Set<String>
    var problems: [ConfigurationProblem] = []

    // MARK: Reading

    func setting(_ key: ConfigKey) -> ConfigSetting? { merged[key] }
    func value(_ key: ConfigKey) -> ConfigValue { merged[key]?.value ?? .null }
    func origin(_ key: ConfigKey) -> ConfigOrigin? { merged[key]?.origin }

    /// Whether a layer above the defaults set the key.
    func isSet(_ key: ConfigKey) -> Bool {
        guard let origin = origin(key) else { return false }
        return origin.layer != .defaults
    }

    /// The origin of the first of `keys` that has one (above the defaults, if asked).
    func firstOrigin(_ keys: [ConfigKey], aboveDefaults: Bool = false) -> ConfigOrigin? {
        keys.compactMap { origin($0) }.first { !aboveDefaults || $0.layer != .defaults }
    }

    mutating func error(_ key: ConfigKey, _ origin: ConfigOrigin?, _ message: String) {
        problems.append(.error(key, origin, message))
    }

    /// Profile names, built-in first, then the user's in name order.
    var profileNames: [String] {
        let builtIn = ConfigSchema.builtInProfileNames
        let defined = Set(merged.keys.filter { $0.segments.count == 3 && $0.segments[0] == "providers" }.map { $0.segments[1] })
        return builtIn + defined.subtracting(builtIn).sorted()
    }

    var priceModels: [String] {
        Set(merged.keys.filter { $0.segments.count == 3 && $0.segments[0] == "prices" }.map { $0.segments[1] }).sorted()
    }

    // MARK: Derived defaults

    /// Defaults that depend on other keys: the iteration limit of a fast run, and what a
    /// profile the user defines gets from its kind (the base URL, streaming). A profile of
    /// the user's never inherits a key variable: a key is only sent where the user paired it.
    mutating func deriveDefaults() {
        let maxIterations: ConfigKey = "budgets.max_iterations"
        if value("mode") == .string(RunMode.fast.rawValue), !isSet(maxIterations) {
            merged[maxIterations] = ConfigSetting(
                .integer(ConfigSchema.fastModeMaxIterations), origin: ConfigOrigin(layer: .defaults, source: "fast mode")
            )
        }
        for name in profileNames where !ConfigSchema.builtInProfileNames.contains(name) {
            let profile = ConfigKey(["providers", name])
            guard let kindText = value(profile.appending("kind")).string, let kind = ProviderProfile.Kind(rawValue: kindText) else { continue }
            let origin = ConfigOrigin(layer: .defaults, source: "kind \(kind.rawValue)")
            let applicable = ProviderProfile.applicableFields(for: kind)
            if let url = ProviderProfile.defaultBaseURL(for: kind), setting(profile.appending("base_url")) == nil {
                merged[profile.appending("base_url")] = ConfigSetting(.string(url), origin: origin)
            }
            if applicable.contains("stream"), setting(profile.appending("stream")) == nil {
                merged[profile.appending("stream")] = ConfigSetting(true, origin: origin)
            }
            if applicable.contains("agentic"), setting(profile.appending("agentic")) == nil {
                merged[profile.appending("agentic")] = ConfigSetting(false, origin: origin)
            }
        }
    }

    // MARK: Decoding

    mutating func decode() -> Configuration {
        let verifyTimeout = value("verify_timeout_seconds").integer ?? 600
        let limits = LoopLimits(
            maxIterations: value("budgets.max_iterations").integer ?? 8,
            maxWallSeconds: value("budgets.max_wall_seconds").integer ?? 3600,
            maxTokens: value("budgets.max_tokens").integer,
            maxCostUSD: value("budgets.max_cost_usd").number
        )
        var configuration = Configuration(
            provider: nil, model: value("model").string, fallback: [],
            mode: value("mode").string.flatMap(RunMode.init(rawValue:)) ?? .streamlined,
            verify: decodeVerify(defaultTimeoutSeconds: verifyTimeout),
            verifyTimeoutSeconds: verifyTimeout,
            protect: value("protect").strings ?? [],
            contextBudgetTokens: value("context_budget_tokens").integer ?? 8000,
            budgets: limits,
            diffLimits: DiffLimits(maxFiles: value("diff_limits.max_files").integer, maxChangedLines: value("diff_limits.max_changed_lines").integer),
            worktreeRetention: value("worktree.retention").string.flatMap(WorktreeRetention.init(rawValue:)) ?? .default,
            timeouts: HTTPTimeouts(
                connect: value("timeouts.connect_seconds").number ?? 10,
                idleRead: value("timeouts.idle_read_seconds").number ?? 120,
                total: value("timeouts.total_seconds").number ?? 600
            ),
            retry: decodeRetry(),
            circuitBreaker: CircuitBreakerSettings(
                failureThreshold: value("circuit_breaker.failure_threshold").integer ?? 5,
                coolDownSeconds: value("circuit_breaker.cool_down_seconds").number ?? 30
            ),
            prices: decodePrices(),
            providers: [:]
        )
        configuration.notify = decodeNotify()
        configuration.outputLimits = OutputTokenLimits(
            spec: value("max_output_tokens.spec").integer ?? OutputTokenLimits.defaultSpec,
            plan: value("max_output_tokens.plan").integer ?? OutputTokenLimits.defaultPlan,
            build: value("max_output_tokens.build").integer ?? OutputTokenLimits.defaultBuild,
            repair: value("max_output_tokens.repair").integer ?? OutputTokenLimits.defaultRepair
        )
        configuration.providers = decodeProfiles()
        configuration.provider = decodeReference("provider", profiles: configuration.providers)
        configuration.fallback = decodeFallback(profiles: configuration.providers)
        checkReferencedProfiles(configuration)
        return configuration
    }

    mutating func decodeVerify(defaultTimeoutSeconds: Int) -> [VerifyCommand] {
        guard let items = value("verify").list else { return [] }
        let origin = origin("verify")
        var commands: [VerifyCommand] = []
        for (index, item) in items.enumerated() {
            let command: VerifyCommand
            if let line = item.string {
                command = VerifyCommand(line, timeoutMilliseconds: defaultTimeoutSeconds * 1000)
            } else {
                let seconds = item[field: "timeout_seconds"]?.integer ?? defaultTimeoutSeconds
                command = VerifyCommand(
                    item[field: "command"]?.string ?? "", timeoutMilliseconds: seconds * 1000, junitPath: item[field: "junit"]?.string
                )
                if command.junitPath != nil, !command.junitPathIsContained {
                    error(ConfigKey(["verify[\(index)]", "junit"]), origin, "must be a relative path inside the worktree, without '.' or '..'")
                }
            }
            commands.append(command)
        }
        return commands
    }

    /// A webhook must be an http or https URL; anything else would be sent nowhere, quietly.
    mutating func decodeNotify() -> NotifySettings {
        let webhook = value("notify.webhook").string
        if let webhook, let problem = Self.urlProblem(webhook) { error("notify.webhook", origin("notify.webhook"), problem) }
        return NotifySettings(webhook: webhook, timeoutSeconds: value("notify.timeout_seconds").number ?? 5)
    }

    mutating func decodeRetry() -> RetrySettings {
        let retry = RetrySettings(
            maxAttempts: value("retry.max_attempts").integer ?? 4,
            baseDelayMilliseconds: value("retry.base_delay_ms").integer ?? 500,
            maxDelayMilliseconds: value("retry.max_delay_ms").integer ?? 30_000,
            maxTotalWaitSeconds: value("retry.max_total_wait_seconds").number ?? 120
        )
        if retry.maxDelayMilliseconds < retry.baseDelayMilliseconds {
            let key: ConfigKey = isSet("retry.max_delay_ms") ? "retry.max_delay_ms" : "retry.base_delay_ms"
            error(key, origin(key), "retry.max_delay_ms (\(retry.maxDelayMilliseconds)) must be at least retry.base_delay_ms (\(retry.baseDelayMilliseconds))")
        }
        return retry
    }

    mutating func decodePrices() -> [String: PriceSettings] {
        var prices: [String: PriceSettings] = [:]
        for model in priceModels {
            let entry = ConfigKey(["prices", model])
            let input = value(entry.appending("input_per_mtok")).number
            let output = value(entry.appending("output_per_mtok")).number
            guard let input, let output else {
                let missing = input == nil ? "input_per_mtok" : "output_per_mtok"
                guard !reportedKeys.contains(entry.appending(missing).description) else { continue }
                let someOrigin = firstOrigin(ConfigSchema.priceFields.map { entry.appending($0.name) })
                error(entry.appending(missing), someOrigin, "is missing: a price needs both input_per_mtok and output_per_mtok (US dollars per million tokens)")
                continue
            }
            prices[model] = PriceSettings(
                inputPerMillionTokens: input, outputPerMillionTokens: output,
                cachedInputPerMillionTokens: value(entry.appending("cached_input_per_mtok")).number
            )
        }
        return prices
    }

    // MARK: Profiles

    mutating func decodeProfiles() -> [String: ProviderProfile] {
        var profiles: [String: ProviderProfile] = [:]
        for name in profileNames {
            if let profile = decodeProfile(name) { profiles[name] = profile }
        }
        return profiles
    }

    /// The keys set under a profile, in schema order.
    func profileKeys(_ name: String) -> [ConfigKey] {
        ConfigSchema.profileFields.map { ConfigKey(["providers", name, $0.name]) }.filter { merged[$0] != nil }
    }

    mutating func decodeProfile(_ name: String) -> ProviderProfile? {
        let profile = ConfigKey(["providers", name])
        let kindKey = profile.appending("kind")
        let isBuiltIn = ConfigSchema.builtInProfileNames.contains(name)
        guard let kindText = value(kindKey).string, let kind = ProviderProfile.Kind(rawValue: kindText) else {
            guard !reportedKeys.contains(kindKey.description) else { return nil }
            let someOrigin = profileKeys(name).first.flatMap { origin($0) }
            let kinds = ProviderProfile.Kind.allCases.map(\.rawValue).joined(separator: ", ")
            error(kindKey, someOrigin, "is missing: say which API the profile \(name) speaks (\(kinds))")
            return nil
        }
        if isBuiltIn, kindText != name {
            error(kindKey, origin(kindKey), "the built-in profile \(name) is always of kind \(name); define a profile under another name for kind \(kindText)")
            return nil
        }
        let applicable = ProviderProfile.applicableFields(for: kind)
        for key in profileKeys(name) where isSet(key) && !applicable.contains(key.last) {
            let kinds = ProviderProfile.Kind.allCases.filter { ProviderProfile.applicableFields(for: $0).contains(key.last) }
            error(key, origin(key), "does not apply to a profile of kind \(kind.rawValue); it is for \(kinds.map(\.rawValue).joined(separator: ", ")) profiles")
        }
        for field in ["base_url", "endpoint"] {
            let key = profile.appending(field)
            if let url = value(key).string, let problem = Self.urlProblem(url) { error(key, origin(key), problem) }
        }
        let keyEnv = profile.appending("api_key_env")
        if let variable = value(keyEnv).string, !Self.isVariableName(variable) {
            error(keyEnv, origin(keyEnv), "must be the name of an environment variable (letters, digits and '_', such as OPENAI_API_KEY), never the key itself; the value is not shown")
        }
        let commandKey = profile.appending("command")
        if let argv = value(commandKey).strings, argv.isEmpty, isSet(commandKey) {
            error(commandKey, origin(commandKey), "must name at least the program to run")
        }
        return ProviderProfile(
            name: name, kind: kind,
            baseURL: value(profile.appending("base_url")).string,
            model: value(profile.appending("model")).string,
            apiKeyEnv: value(keyEnv).string,
            stream: value(profile.appending("stream")).bool ?? true,
            endpoint: value(profile.appending("endpoint")).string,
            deployment: value(profile.appending("deployment")).string,
            apiVersion: value(profile.appending("api_version")).string,
            preset: value(profile.appending("preset")).string.flatMap(ProviderProfile.Preset.init(rawValue:)),
            command: value(commandKey).strings.flatMap { $0.isEmpty ? nil : $0 },
            agentic: value(profile.appending("agentic")).bool ?? false,
            path: value(profile.appending("path")).string,
            maxOutputTokens: value(profile.appending("max_output_tokens")).integer,
            capabilities: value(profile.appending("capabilities")).string.flatMap(ModelCapabilityOverride.init(rawValue:)),
            reasoningEffort: value(profile.appending("reasoning_effort")).string.flatMap(ReasoningEffort.init(rawValue:))
        )
    }

    /// `provider`: a profile, optionally with a model.
    mutating func decodeReference(_ key: ConfigKey, profiles: [String: ProviderProfile]) -> ProviderReference? {
        guard let text = value(key).string else { return nil }
        return reference(text, key: key, origin: origin(key), profiles: profiles)
    }

    mutating func decodeFallback(profiles: [String: ProviderProfile]) -> [ProviderReference] {
        let items = value("fallback").strings ?? []
        return items.enumerated().compactMap { index, text in
            reference(text, key: ConfigKey(["fallback[\(index)]"]), origin: origin("fallback"), profiles: profiles)
        }
    }

    mutating func reference(_ text: String, key: ConfigKey, origin: ConfigOrigin?, profiles: [String: ProviderProfile]) -> ProviderReference? {
        guard let reference = ProviderReference(parsing: text) else {
            error(key, origin, "expected a profile name, or name:model, not \(ConfigValue.quote(text))")
            return nil
        }
        guard profileNames.contains(reference.profile) else {
            let names = profileNames
            error(key, origin, "names no provider profile: \(reference.profile)" + Suggestion.phrase(for: reference.profile, among: names)
                + " (profiles: \(names.joined(separator: ", ")); define others under providers)")
            return nil
        }
        return reference
    }

    /// The profiles a run would use must be complete; so must every profile the user
    /// defined, since it can be chosen from the command line at any time.
    mutating func checkReferencedProfiles(_ configuration: Configuration) {
        var checked: Set<String> = []
        var uses: [(ProviderReference, ConfigKey, Bool)] = []
        if let provider = configuration.provider { uses.append((provider, "provider", true)) }
        for (index, reference) in configuration.fallback.enumerated() {
            uses.append((reference, ConfigKey(["fallback[\(index)]"]), false))
        }
        for (reference, key, primary) in uses {
            guard let profile = configuration.providers[reference.profile] else { continue }
            let model = reference.model ?? (primary ? configuration.model : nil) ?? profile.model
            checkComplete(profile, model: model, usedBy: key, origin: origin(primary ? "provider" : "fallback"))
            checked.insert(profile.name)
        }
        for name in profileNames where !ConfigSchema.builtInProfileNames.contains(name) && !checked.contains(name) {
            guard let profile = configuration.providers[name] else { continue }
            checkComplete(profile, model: profile.model, usedBy: nil, origin: nil)
        }
    }

    mutating func checkComplete(_ profile: ProviderProfile, model: String?, usedBy: ConfigKey?, origin referenceOrigin: ConfigOrigin?) {
        let key = ConfigKey(["providers", profile.name])
        let because = usedBy.map { " (the profile is chosen by \($0))" } ?? ""
        // The error points at the reference when the profile is one of ours, and at the
        // profile's own keys when the user defined it.
        let origin = referenceOrigin ?? firstOrigin(profileKeys(profile.name), aboveDefaults: true)
        func missing(_ field: String, _ what: String) {
            guard !reportedKeys.contains(key.appending(field).description) else { return }
            error(key.appending(field), origin, "is missing: a \(profile.kind.rawValue) profile needs \(what)\(because)")
        }
        switch profile.kind {
        case .script where profile.path == nil:
            missing("path", "the file of canned answers")
        case .azure:
            if profile.endpoint == nil { missing("endpoint", "the resource endpoint, such as https://<resource>.openai.azure.com") }
            if profile.deployment == nil { missing("deployment", "the deployment name") }
        case .command where profile.preset == nil && profile.command == nil:
            missing("preset", "a preset (\(ProviderProfile.Preset.allCases.map(\.rawValue).joined(separator: ", "))) or a command")
        case .openai, .anthropic, .ollama:
            if profile.baseURL == nil { missing("base_url", "the API's base URL") }
            if model == nil { missing("model", "a model") }
        default:
            break
        }
    }

    // MARK: Checks

    /// Why `text` is not an http or https URL with a host, or nil.
    static func urlProblem(_ text: String) -> String? {
        let lowered = text.lowercased()
        guard let scheme = ["https://", "http://"].first(where: lowered.hasPrefix) else {
            return "must be an http or https URL, not \(ConfigValue.quote(ConfigNode.abbreviated(text)))"
        }
        let host = text.dropFirst(scheme.count).prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if host.isEmpty || host.hasPrefix(":") { return "has no host: \(ConfigValue.quote(ConfigNode.abbreviated(text)))" }
        if text.contains(where: { $0 == " " || $0.asciiValue.map { $0 < 0x20 } == true }) {
            return "must not contain spaces or control characters"
        }
        return nil
    }

    static func isVariableName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return text.unicodeScalars.allSatisfy { $0.isASCIIAlphanumeric || $0 == "_" }
    }

    // MARK: Listing

    /// Fixed keys in table order, then prices by model, then profiles (built-in first),
    /// each profile's fields in table order. Key variables that are not variable names are
    /// replaced by a placeholder: such a value may be a pasted key, and is never shown.
    func orderedSettings() -> [EffectiveSetting] {
        var keys = ConfigSchema.fixedLeafKeys
        for model in priceModels { keys += ConfigSchema.priceFields.map { ConfigKey(["prices", model, $0.name]) } }
        for name in profileNames { keys += ConfigSchema.profileFields.map { ConfigKey(["providers", name, $0.name]) } }
        return keys.compactMap { key in
            guard let setting = merged[key] else { return nil }
            var value = setting.value
            if key.last.hasSuffix("_env"), let text = value.string, !Self.isVariableName(text) {
                value = .string("<hidden: not a variable name>")
            }
            return EffectiveSetting(key: key, value: value, origin: setting.origin)
        }
    }
}
