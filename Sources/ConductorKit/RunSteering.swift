import ConductorDomain

/// `git conductor steer/pause/cancel/approve`: a word to a run in flight, recorded as an event
/// on the run. The engine reads new ones at every step, in this process or on another machine
/// after a sync, so steering needs no connection to the running process.
public enum RunSteering {
    /// Longest guidance message kept; longer text is cut, with a marker.
    public static let maxMessageCharacters = 2000

    /// Records `action` (with `text` for a message) on the run named by `runText`, and returns
    /// the run's id. Fails for a run that has ended.
    @discardableResult
    public static func send(
        _ action: SteeringAction, text: String? = nil, to runText: String, in repository: ConductorRepository
    ) throws(ConductorError) -> RunID {
        let snapshot = try repository.requireStateSnapshot()
        _ = try snapshot.format()
        let run = try snapshot.resolve(runText)
        if let state = try snapshot.history(of: run).summary.state, state.isFinal {
            throw .runFinished(run, state: state)
        }
        let cleaned = text.map { PromptText.steering($0, maxCharacters: maxMessageCharacters) }
        try repository.stateStore().append([.steering(action, text: cleaned)], to: run)
        return run
    }
}
