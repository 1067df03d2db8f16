import ConductorDomain

/// Which provider a run talks to, as recorded in the run's `config.json`, so that `resume`
/// (possibly in another process or on another machine) and `replay` can rebuild it. It names
/// the provider and where its answers come from; it never holds a credential.
public enum ProviderSpec: Sendable, Equatable, Codable {
    /// Canned answers from a YAML or JSON file (``ScriptedProvider``).
    case script(path: String)
    /// The recorded answers of an earlier run (``ReplayProvider``).
    case replay(run: RunID)

    /// The name recorded in `run.json`, events and notes.
    public var name: String {
        switch self {
        case .script: "script"
        case .replay: "replay"
        }
    }

    /// A provider that continues after the first `answered` answers: those were given to
    /// the run before it was interrupted, and are on the state branch already.
    func makeProvider(repository: ConductorRepository, answered: Int) throws(ConductorError) -> any Provider {
        switch self {
        case .script(let path):
            do {
                return try ScriptedProvider(path: path, answered: answered)
            } catch {
                throw .providerUnavailable(name, detail: error.description)
            }
        case .replay(let run):
            return try ReplayProvider.load(recording: run, in: repository, answered: answered)
        }
    }

    enum CodingKeys: String, CodingKey {
        case kind, path, run
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(String.self, forKey: .kind) {
        case "script": self = .script(path: try container.decode(String.self, forKey: .path))
        case "replay": self = .replay(run: try container.decode(RunID.self, forKey: .run))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .kind, in: container, debugDescription: "unknown provider kind '\(other)'")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .kind)
        switch self {
        case .script(let path): try container.encode(path, forKey: .path)
        case .replay(let run): try container.encode(run, forKey: .run)
        }
    }
}
