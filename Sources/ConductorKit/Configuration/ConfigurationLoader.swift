import ConductorDomain
import Foundation
import GitKit

/// Gathers the configuration layers from where they live and resolves them
/// (docs/configuration.md): built-in defaults, the user file, `conductor.yml` at the
/// repository root, git configuration `conductor.*`, `CONDUCTOR_*` variables and the
/// command line's flags, each higher one overriding the lower ones key by key.
///
/// Outside a repository (``repository`` nil) there is no `conductor.yml` and no git layer:
/// the defaults, the user file and the environment still apply.
///
/// ```swift
/// let loader = ConfigurationLoader(repository: repository, environment: environment)
/// let effective = try loader.load(flags: ["mode": "fast", "verify": ["swift test"]])
/// let limits = effective.configuration.budgets
/// ```
public struct ConfigurationLoader {
    public let repository: ConductorRepository?
    public let environment: [String: String]

    /// The name of the file at the repository root.
    public static let repositoryFileName = "conductor.yml"

    public init(repository: ConductorRepository?, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.repository = repository
        self.environment = environment
    }

    /// The configuration a run uses, or every problem found when any is an error. Warnings
    /// (unknown keys) come with the result, for the caller to print.
    ///
    /// - Parameter flags: values from the command line by dotted key (`mode`,
    ///   `budgets.max_iterations`, `verify`); text is typed by the key, as for environment
    ///   variables (`"5"` is a number where a number is wanted).
    public func load(flags: [String: ConfigNode] = [:]) throws(ConfigurationError) -> EffectiveConfiguration {
        try report(flags: flags).effective()
    }

    /// Every key with its value and origin, and every problem, whether or not the result is
    /// usable: what `config show` and `config validate` print.
    public func report(flags: [String: ConfigNode] = [:]) -> ConfigurationReport {
        let report = ConfigurationResolver.resolve(layers(flags: flags).map(\.settings))
        return report.adding(missingKeyWarnings(report))
    }

    /// A warning for each profile the run would use whose key variable is not set: the
    /// provider would fail at its first call, and this says so before anything starts.
    func missingKeyWarnings(_ report: ConfigurationReport) -> [ConfigurationProblem] {
        guard let configuration = report.configuration else { return [] }
        var seen: Set<String> = []
        let used = [configuration.primaryProvider].compactMap { $0 } + configuration.fallbackProviders
        return used.compactMap { profile in
            guard let variable = profile.apiKeyEnv, seen.insert(profile.name).inserted,
                  (environment[variable] ?? "").isEmpty
            else { return nil }
            let key = ConfigKey(["providers", profile.name, "api_key_env"])
            let origin = report.settings.first { $0.key == key }?.origin
            return ConfigurationProblem(
                .warning, key: key.description, origin: origin,
                "\(variable) is not set, so the \(profile.name) profile has no API key; export it, or name another variable here"
            )
        }
    }

    /// One layer as loaded, with the file or other place it was read from.
    public struct LoadedLayer {
        public let settings: LayerSettings
        /// The file path, `conductor.*` or `CONDUCTOR_*`; nil for defaults and flags.
        public let source: String?
        public let status: ConfigurationFile.Status
    }

    /// The layers, lowest first. Files that do not exist give empty layers.
    public func layers(flags: [String: ConfigNode] = [:]) -> [LoadedLayer] {
        var layers = [LoadedLayer(settings: .defaults, source: nil, status: .read)]
        if let path = userFilePath {
            let (settings, status) = ConfigurationFile.load(path: path, layer: .user)
            layers.append(LoadedLayer(settings: settings, source: path, status: status))
        }
        if let path = repositoryFilePath {
            let (settings, status) = ConfigurationFile.load(path: path, layer: .repository)
            layers.append(LoadedLayer(settings: settings, source: path, status: status))
        }
        if let git = gitLayer() {
            layers.append(LoadedLayer(settings: git, source: "\(ConfigKey.gitSection).*", status: .read))
        }
        let environmentLayer = LayerSettings.environment(environment, lowerLayers: layers.map(\.settings))
        layers.append(LoadedLayer(settings: environmentLayer, source: "\(ConfigKey.environmentPrefix)*", status: .read))
        if !flags.isEmpty {
            layers.append(LoadedLayer(settings: .flags(flags), source: nil, status: .read))
        }
        return layers
    }

    // MARK: Where the layers live

    /// `$XDG_CONFIG_HOME/git-conductor/config.yml`, else `$HOME/.config/git-conductor/config.yml`;
    /// nil when neither variable is set. A relative `XDG_CONFIG_HOME` is ignored, as the XDG
    /// specification asks.
    public var userFilePath: String? {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") {
            return Self.join(xdg, "git-conductor/config.yml")
        }
        if let home = environment["HOME"], !home.isEmpty {
            return Self.join(home, ".config/git-conductor/config.yml")
        }
        return nil
    }

    /// `conductor.yml` in the working tree's root; nil outside a repository or in a bare one.
    public var repositoryFilePath: String? {
        guard let root = repository?.git.workingDirectory else { return nil }
        return Self.join(root, Self.repositoryFileName)
    }

    private static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    /// The `conductor.*` entries of the repository's git configuration (every level git
    /// reads: system, global, local).
    private func gitLayer() -> LayerSettings? {
        guard let repository else { return nil }
        do {
            let entries = try repository.git.configSnapshot().entries(matching: "^\(ConfigKey.gitSection)\\.")
            return .gitConfig(entries.map { GitConfigEntry(name: $0.name, value: $0.value, scope: $0.level.rawValue) })
        } catch {
            var layer = LayerSettings(layer: .git)
            layer.report(.error, origin: ConfigOrigin(layer: .git, source: "\(ConfigKey.gitSection).*"), "cannot be read: \(error.description)")
            return layer
        }
    }

    // MARK: Secrets

    /// The values of every variable a profile names as holding its key (and the usual key
    /// variables), so that output can redact them should one turn up in a setting.
    public func secretValues(in report: ConfigurationReport) -> [String] {
        var names: Set = ["OPENAI_API_KEY", "ANTHROPIC_API_KEY", "AZURE_OPENAI_API_KEY"]
        for setting in report.settings where setting.key.last == "api_key_env" {
            if let name = setting.value.string { names.insert(name) }
        }
        return names.compactMap { environment[$0] }.filter { !$0.isEmpty }
    }
}

extension ConductorError {
    /// The error a command reports for an unusable configuration (exit code 15): every
    /// problem, warnings included, each naming its key and where it was set.
    public init(_ error: ConfigurationError) {
        self = .invalidConfiguration(error.problems)
    }
}
