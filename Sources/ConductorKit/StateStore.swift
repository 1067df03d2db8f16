import ConductorDomain

/// Everything a run needs from durable state. The engine talks to this port only, so the
/// storage (the `orchestrator-state` branch) can be swapped in tests.
public protocol StateStore {
    /// Records a new run: its `run.json`, its first events and its first artifacts, in one commit.
    @discardableResult
    func createRun(_ record: RunRecord, events: [EventPayload], artifacts: [String: [UInt8]]) throws(ConductorError) -> [Event]

    /// Appends events to a run and writes artifacts of it, in one commit; returns the events
    /// with their stamps.
    @discardableResult
    func append(_ payloads: [EventPayload], artifacts: [String: [UInt8]], to run: RunID) throws(ConductorError) -> [Event]

    /// Writes a file in the run's directory (`spec.md`, `plan.md`, `iterations/<n>/…`).
    func writeArtifact(_ relativePath: String, contents: [UInt8], of run: RunID) throws(ConductorError)

    /// The run's record and events as of now.
    func history(of run: RunID) throws(ConductorError) -> RunHistory
}

/// A run as stored: its record and its events in stamp order, plus anything that could
/// not be read (so one corrupt file never hides the rest of the run).
public struct RunHistory: Sendable, Equatable {
    public let id: RunID
    public let record: RunRecord?
    public let events: [Event]
    public let problems: [String]

    public var summary: RunSummary {
        RunSummary.fold(id: id, record: record, events: events, problem: problems.first)
    }
}
