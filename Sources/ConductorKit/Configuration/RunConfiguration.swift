import ConductorDomain

/// What `git conductor run` asks for, resolved from the six configuration layers (the
/// command line's options on top) into one ``RunRequest``, with its provider chosen: the
/// configured one, else the first one this machine shows signs of (docs/configuration.md).
public enum RunConfiguration {
    public struct Resolved: Sendable {
        public let request: RunRequest
        /// Harmless problems to show (an unknown key, a key variable that is not set).
        public let warnings: [String]
        /// Why the provider was chosen (`configured`, or the clue that detected it).
        public let providerReason: String
        public let notify: NotifySettings
        /// Where the verify commands came from when no configuration layer set any: the
        /// document whose test command is used (`context/workflow.md`); nil otherwise.
        public let verifySource: String?
    }

    /// Where the verify fallback reads its command, as `run` names it.
    public static let workflowSource = "\(StateLayout.contextDirectory)/\(ContextDocuments.workflow)"

    /// Where to announce a run's end, for commands that continue a recorded run (`resume`,
    /// `replay`): the webhook is never recorded with the run, since its URL can be a secret.
    /// A configuration that does not load announces nothing; the command reports it anyway.
    public static func notifySettings(in repository: ConductorRepository) -> NotifySettings {
        (try? ConfigurationLoader(repository: repository, environment: repository.environment).load())?.configuration.notify ?? NotifySettings()
    }

    public static func resolve(
        prompt: String, flags: [String: ConfigNode], base: String, autoApprove: Bool, in repository: ConductorRepository
    ) throws(ConductorError) -> Resolved {
        let effective: EffectiveConfiguration
        do {
            effective = try ConfigurationLoader(repository: repository, environment: repository.environment).load(flags: flags)
        } catch {
            throw ConductorError(error)
        }
        var configuration = effective.configuration
        let verifySource = fallBackToWorkflowTest(&configuration, effective: effective, in: repository)
        let (primary, reason) = try primaryProvider(of: configuration, in: repository)
        let provider: ProviderSpec
        if primary.kind == .script, configuration.fallbackProviders.isEmpty {
            guard let path = primary.path, !path.isEmpty else {
                throw .providerUnavailable(primary.name, detail: "no script file is configured: pass --script <file> or set providers.\(primary.name).path")
            }
            provider = .script(path: path)
        } else {
            provider = .configured(ProviderChain(primary: primary, configuration: configuration))
        }
        return Resolved(
            request: RunRequest(prompt: prompt, provider: provider, configuration: configuration, base: base, autoApprove: autoApprove),
            warnings: effective.warnings.map(\.description), providerReason: reason, notify: configuration.notify,
            verifySource: verifySource
        )
    }

    /// When no layer configures `verify` (its value is the built-in default) and
    /// `context/workflow.md` names a test command, that command verifies the run, with the
    /// configured timeout. Returns the document's name when it did. A repository without
    /// setup, or whose state cannot be read, keeps today's behaviour: no fallback.
    static func fallBackToWorkflowTest(_ configuration: inout Configuration, effective: EffectiveConfiguration, in repository: ConductorRepository) -> String? {
        guard configuration.verify.isEmpty, effective.setting("verify").map({ $0.origin.layer == .defaults }) ?? true else { return nil }
        guard let command = try? ContextStore(repository: repository).detectedTestCommand() else { return nil }
        configuration.verify = [VerifyCommand(command, timeoutMilliseconds: configuration.verifyTimeoutSeconds * 1000)]
        return workflowSource
    }

    /// The configured profile, or the detected one, with its model override applied.
    static func primaryProvider(of configuration: Configuration, in repository: ConductorRepository) throws(ConductorError) -> (ProviderProfile, String) {
        if let configured = configuration.primaryProvider { return (configured, "configured") }
        let directory = repository.git.workingDirectory ?? repository.git.commonDirectory
        let choice = try ProviderDetector(environment: repository.environment, directory: directory).requireProvider(for: configuration)
        guard var profile = configuration.providers[choice.provider.profile] else {
            throw .providerUnavailable(choice.provider.profile, detail: "no such provider profile")
        }
        if let model = configuration.model ?? choice.provider.model { profile.model = model }
        return (profile, choice.reason)
    }
}
