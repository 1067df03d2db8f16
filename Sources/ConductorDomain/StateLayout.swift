/// Where things live on the `orchestrator-state` branch (docs/state-format.md).
public enum StateLayout {
    /// The full name of the state branch.
    public static let branch = "refs/heads/orchestrator-state"
    public static let formatFile = "format.json"
    public static let runsDirectory = "runs"
    public static let contextDirectory = "context"
    /// The run's configuration, as started: what `resume` and `replay` rebuild the run from.
    public static let configurationFile = "config.json"
    /// Where the build loop stands (``LoopCheckpoint``), written with the transition that acts on it.
    public static let checkpointFile = "checkpoint.json"
    /// The accepted plan as data; `plan.md` is its checklist for people.
    public static let planFile = "plan.json"

    public static func runDirectory(_ id: RunID) -> String { "\(runsDirectory)/\(id.shard)/\(id)" }
    public static func runRecord(_ id: RunID) -> String { "\(runDirectory(id))/run.json" }
    public static func eventsDirectory(_ id: RunID) -> String { "\(runDirectory(id))/events" }
    public static func event(_ id: RunID, _ stamp: EventStamp) -> String { "\(eventsDirectory(id))/\(stamp.fileName)" }

    /// A file of the run other than its record and events: `spec.md`, `plan.md`,
    /// `iterations/<n>/…`. Returns nil for names that would escape the run's directory.
    public static func artifact(_ id: RunID, _ relativePath: String) -> String? {
        let parts = relativePath.split(separator: "/", omittingEmptySubsequences: false)
        guard !parts.isEmpty,
              parts.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." }),
              parts.first != "events", relativePath != "run.json"
        else { return nil }
        return "\(runDirectory(id))/\(relativePath)"
    }
}

/// The marker at the root of the state branch that says which format the branch is in.
public struct StateFormat: Sendable, Equatable, Codable {
    /// The only format this version reads and writes.
    public static let current = StateFormat(format: 1, tool: "git-conductor")

    public let format: Int
    public let tool: String

    public init(format: Int, tool: String) {
        self.format = format
        self.tool = tool
    }

    /// Whether this version may read and write a branch in this format.
    public var isSupported: Bool { format == Self.current.format }
}
