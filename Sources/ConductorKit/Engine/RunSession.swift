import ConductorDomain
import GitKit

/// One run's record keeping: every state change is checked against the transition table and
/// written to the state branch *before* the work it announces (write-ahead), so a crash
/// anywhere leaves a run that says where it was.
final class RunSession {
    let record: RunRecord
    let store: GitStateStore
    private(set) var state: RunState?
    /// The newest steering event already acted on.
    private var lastSteering: EventStamp?
    private let report: @Sendable (EngineUpdate) -> Void

    init(record: RunRecord, store: GitStateStore, report: @escaping @Sendable (EngineUpdate) -> Void) {
        self.record = record
        self.store = store
        self.report = report
    }

    var id: RunID { record.id }

    /// Records the run and its first transition, into PRECHECK, in one commit.
    func begin() throws(ConductorError) {
        try validate(.precheck)
        try store.createRun(record, events: [.transition(from: nil, to: .precheck, reason: nil, detail: nil)])
        state = .precheck
        report(.started(record.id, taskBranch: record.taskBranch))
        report(.transition(from: nil, to: .precheck, detail: nil))
    }

    func move(to next: RunState, detail: String? = nil) throws(ConductorError) {
        try validate(next)
        try store.append([.transition(from: state, to: next, reason: nil, detail: detail)], to: id)
        report(.transition(from: state, to: next, detail: detail))
        state = next
    }

    /// Ends the run in FAILED with its reason class.
    func fail(_ reason: FailureReason, _ detail: String, iterations: Int) throws(ConductorError) -> RunOutcome {
        try validate(.failed)
        try store.append([.transition(from: state, to: .failed, reason: reason, detail: detail)], to: id)
        report(.transition(from: state, to: .failed, detail: "\(reason.rawValue): \(detail)"))
        state = .failed
        return RunOutcome(run: id, state: .failed, reason: reason, detail: detail, iterations: iterations, taskBranch: record.taskBranch)
    }

    /// Steering events written since the last call, oldest first.
    func newSteering() throws(ConductorError) -> [(action: SteeringAction, text: String?)] {
        let fresh = try store.history(of: id).events.filter { event in
            guard case .steering = event.payload else { return false }
            return lastSteering.map { event.stamp > $0 } ?? true
        }
        if let last = fresh.last { lastSteering = last.stamp }
        return fresh.compactMap { event in
            if case let .steering(action, text) = event.payload { (action, text) } else { nil }
        }
    }

    /// Ends the run at the user's request: CANCELLED, or PAUSED until it is resumed.
    func stop(_ state: RunState, iterations: Int) throws(ConductorError) -> RunOutcome {
        try move(to: state, detail: "at the user's request")
        return RunOutcome(run: id, state: state, reason: nil, detail: "at the user's request", iterations: iterations, taskBranch: record.taskBranch)
    }

    func append(_ payload: EventPayload) throws(ConductorError) {
        try store.append([payload], to: id)
    }

    func artifact(_ path: String, _ bytes: [UInt8]) throws(ConductorError) {
        try store.writeArtifact(path, contents: bytes, of: id)
    }

    /// A move the table forbids is a bug in the engine: it fails loudly as an internal error
    /// instead of recording an impossible run.
    private func validate(_ next: RunState) throws(ConductorError) {
        do {
            try RunStateMachine.validate(from: state, to: next)
        } catch {
            throw .internalInconsistency(error.description)
        }
    }
}
