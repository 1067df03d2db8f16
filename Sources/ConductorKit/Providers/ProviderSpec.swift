import ConductorDomain

/// Which provider a run talks to, as recorded in the run's `config.json`, so that `resume`
/// (possibly in another process or on another machine) and `replay` can rebuild it. It names
/// the provider and where its answers come from; it never holds a credential: keys are read
/// from the environment variables the profiles name, each time the provider is built.
public enum ProviderSpec: Sendable, Equatable, Codable {
    /// Canned answers from a YAML or JSON file (``ScriptedProvider``).
    case script(path: String)
    /// The recorded answers of an earlier run (``ReplayProvider``).
    case replay(run: RunID)
    /// Providers from configuration: the primary profile, then its fallbacks.
    case configured(ProviderChain)

    /// The name recorded in `run.json`, events and notes.
    public var name: String {
        switch self {
        case .script: "script"
        case .replay: "replay"
        case .configured(let chain): chain.profiles.first?.name ?? "none"
        }
    }

    /// Whether the provider edits the worktree itself (an agentic command-line agent), so
    /// that the engine inspects the worktree instead of parsing edits from the answer.
    public var isAgentic: Bool {
        if case .configured(let chain) = self, let primary = chain.profiles.first { primary.kind == .command && primary.agentic } else { false }
    }

    /// Whether the run's model takes a sampling temperature. False for reasoning models
    /// (``ModelCapabilities``): their requests carry no temperature, so the loop guardian's
    /// temperature escalation must be skipped, and said so. Scripts and replays take any.
    public var allowsTemperature: Bool {
        if case .configured(let chain) = self { chain.allowsTemperature } else { true }
    }

    /// What building a provider needs besides the spec.
    struct Context {
        let repository: ConductorRepository
        /// Answers the run already received: a resumed script or replay skips them.
        let answered: Int
        /// The run's worktree, where command-line agents run.
        let workingDirectory: String
        let observer: ProviderAttemptObserver?
    }

    func makeProvider(_ context: Context) throws(ConductorError) -> any Provider {
        switch self {
        case .script(let path):
            do {
                return try ScriptedProvider(path: path, answered: context.answered)
            } catch {
                throw .providerUnavailable(name, detail: error.description)
            }
        case .replay(let run):
            return try ReplayProvider.load(recording: run, in: context.repository, answered: context.answered)
        case .configured(let chain):
            return try chain.makeProvider(context)
        }
    }

    enum CodingKeys: String, CodingKey {
        case kind, path, run, chain
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(String.self, forKey: .kind) {
        case "script": self = .script(path: try container.decode(String.self, forKey: .path))
        case "replay": self = .replay(run: try container.decode(RunID.self, forKey: .run))
        case "configured": self = .configured(try container.decode(ProviderChain.self, forKey: .chain))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .kind, in: container, debugDescription: "unknown provider kind '\(other)'")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .script(let path):
            try container.encode("script", forKey: .kind)
            try container.encode(path, forKey: .path)
        case .replay(let run):
            try container.encode("replay", forKey: .kind)
            try container.encode(run, forKey: .run)
        case .configured(let chain):
            try container.encode("configured", forKey: .kind)
            try container.encode(chain, forKey: .chain)
        }
    }
}
