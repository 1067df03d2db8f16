/// How a provider is chosen when no layer names one: the first clue in ``order`` that holds
/// picks its profile. The order puts a deliberate signal (a key in the environment) before a
/// circumstantial one (a local server that happens to answer, a CLI that happens to be
/// installed), and paid APIs the user holds a key for before free local ones.
public enum ProviderDetection {
    public enum Clue: Sendable, Equatable {
        /// The profile's key variable (`api_key_env`) is set and not empty.
        case keyVariable(profile: String)
        /// A server answers at the profile's `base_url`.
        case serverAnswers(profile: String)
        /// The profile's program (its `command`, else its preset's name) is on `PATH`.
        case programOnPath(profile: String)

        public var profile: String {
            switch self {
            case .keyVariable(let profile), .serverAnswers(let profile), .programOnPath(let profile): profile
            }
        }
    }

    /// `ANTHROPIC_API_KEY` set → anthropic; `OPENAI_API_KEY` set → openai; Ollama answering
    /// on 127.0.0.1:11434 → ollama; `claude` on `PATH` → the command profile.
    public static let order: [Clue] = [
        .keyVariable(profile: "anthropic"), .keyVariable(profile: "openai"),
        .serverAnswers(profile: "ollama"), .programOnPath(profile: "command"),
    ]

    /// The profile auto-detection picked, and why, in words for the user.
    public struct Choice: Sendable, Equatable {
        public let provider: ProviderReference
        public let reason: String

        public init(provider: ProviderReference, reason: String) {
            self.provider = provider
            self.reason = reason
        }
    }

    /// The first clue that `holds`, with the profile it names as configured (the user may
    /// have pointed `ollama` at another host or `command` at another preset). `holds` does
    /// the looking; it is asked in order and no more than needed, so a slow check (a server)
    /// is skipped when a key is set.
    public static func choose(in configuration: Configuration, holds: (Clue, ProviderProfile) -> Bool) -> Choice? {
        for clue in order {
            guard let profile = configuration.providers[clue.profile], holds(clue, profile) else { continue }
            return Choice(provider: ProviderReference(profile: profile.name), reason: reason(clue, profile))
        }
        return nil
    }

    /// The program a command profile runs: its argv's first word, else its preset's name.
    public static func program(of profile: ProviderProfile) -> String? {
        profile.command?.first ?? profile.preset?.rawValue
    }

    static func reason(_ clue: Clue, _ profile: ProviderProfile) -> String {
        switch clue {
        case .keyVariable: "\(profile.apiKeyEnv ?? "its key variable") is set"
        case .serverAnswers: "a server answers at \(profile.baseURL ?? "its base URL")"
        case .programOnPath: "\(program(of: profile) ?? "its program") is on PATH"
        }
    }

    /// What to tell the user when nothing was found.
    public static let noneFound = """
        no provider is configured, and none was found (no ANTHROPIC_API_KEY or OPENAI_API_KEY, \
        no Ollama at 127.0.0.1:11434, no claude on PATH); pass --provider <name> (or --script <file>), \
        or set one with 'provider:' in conductor.yml, 'git config conductor.provider <name>' or \
        CONDUCTOR_PROVIDER (docs/configuration.md), or try the offline 'git conductor demo'
        """
}
