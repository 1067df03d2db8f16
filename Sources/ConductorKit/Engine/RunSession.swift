import ConductorDomain
import Foundation
import GitKit

/// One run's record keeping: every state change is checked against the transition table and
/// written to the state branch *before* the work it announces (write-ahead), so a crash
/// anywhere leaves a run that says where it was. A session either begins a run or picks up
/// one that a process before it left off (`resume`); what that process already recorded,
/// this one never records again.
final class RunSession {
    let record: RunRecord
    let store: GitStateStore
    private(set) var state: RunState?
    /// Tokens and cost of every provider call of the run, in any process. A nil cost means
    /// some call's price was unknown.
    private(set) var tokens = 0
    private(set) var cost: Double? = 0
    /// The model that gave the latest answer.
    private(set) var model: String?
    /// How many answers the run has received and recorded, in any process.
    private(set) var answers = 0
    /// User guidance read while the run could not use it (waiting for approval), for the
    /// next build prompt.
    var guidance: [String] = []
    /// The newest steering event already acted on.
    private var lastSteering: EventStamp?
    /// Iterations an earlier process recorded as started.
    private var startedIterations: Set<Int> = []
    /// Provider tries reported by the resilience layer, recorded with each answer.
    let attempts = AttemptLog()
    /// Keeps credentials out of everything the session records.
    let redactor: SecretRedactor
    private let resumed: Bool
    private let crashAt: RunState?
    private let report: @Sendable (EngineUpdate) -> Void

    /// A session for a run about to begin.
    init(record: RunRecord, store: GitStateStore, environment: [String: String], redactor: SecretRedactor, report: @escaping @Sendable (EngineUpdate) -> Void) {
        self.record = record
        self.store = store
        self.report = report
        self.redactor = redactor
        resumed = false
        crashAt = Self.crashInjection(environment)
    }

    /// A session continuing the run `history` describes.
    init(
        resuming history: RunHistory, record: RunRecord, store: GitStateStore, environment: [String: String],
        redactor: SecretRedactor, report: @escaping @Sendable (EngineUpdate) -> Void
    ) {
        self.record = record
        self.store = store
        self.report = report
        self.redactor = redactor
        resumed = true
        crashAt = Self.crashInjection(environment)
        state = history.summary.state
        var marker: EventStamp?
        for event in history.events {
            switch event.payload {
            case .usage(let usage):
                add(usage)
            case .iterationStarted(let number):
                startedIterations.insert(number)
                marker = event.stamp
            case let .transition(from, to, _, _) where from == .awaitingApproval || to == .paused:
                marker = event.stamp
            default:
                break
            }
        }
        // Steering is acted on just before an iteration starts, an approval ends, or a pause
        // begins; what came before the last of those was acted on by an earlier process.
        lastSteering = marker
    }

    var id: RunID { record.id }

    /// Records the run, its configuration and its first transition, into PRECHECK, in one commit.
    func begin(configuration: RunRequest) throws(ConductorError) {
        try validate(.precheck)
        try store.createRun(
            record, events: [.transition(from: nil, to: .precheck, reason: nil, detail: nil)],
            artifacts: [StateLayout.configurationFile: StateCoding.document(configuration)]
        )
        state = .precheck
        report(.started(record.id, taskBranch: record.taskBranch))
        report(.transition(from: nil, to: .precheck, detail: nil))
        crashIfInjected(.precheck)
    }

    /// Moves the state machine, writing `artifacts` in the same commit as the transition.
    func move(to next: RunState, detail: String? = nil, artifacts: [String: [UInt8]] = [:]) throws(ConductorError) {
        try validate(next)
        try store.append([.transition(from: state, to: next, reason: nil, detail: detail)], artifacts: artifacts, to: id)
        report(.transition(from: state, to: next, detail: detail))
        state = next
        crashIfInjected(next)
    }

    /// Ends the run in FAILED with its reason class.
    func fail(_ reason: FailureReason, _ detail: String, iterations: Int) throws(ConductorError) -> RunOutcome {
        let detail = redactor.redact(detail)
        try validate(.failed)
        try store.append([.transition(from: state, to: .failed, reason: reason, detail: detail)], to: id)
        report(.transition(from: state, to: .failed, detail: "\(reason.rawValue): \(detail)"))
        state = .failed
        return RunOutcome(run: id, state: .failed, reason: reason, detail: detail, iterations: iterations, taskBranch: record.taskBranch)
    }

    /// Ends the run at the user's request: CANCELLED, or PAUSED until it is resumed.
    func stop(_ state: RunState, iterations: Int) throws(ConductorError) -> RunOutcome {
        try move(to: state, detail: "at the user's request")
        return outcome(state, detail: "at the user's request", iterations: iterations)
    }

    func outcome(_ state: RunState, detail: String?, iterations: Int) -> RunOutcome {
        RunOutcome(run: id, state: state, reason: nil, detail: detail, iterations: iterations, taskBranch: record.taskBranch)
    }

    /// Records that iteration `number` began, unless an earlier process already did.
    func startIteration(_ number: Int) throws(ConductorError) {
        report(.iteration(number))
        guard startedIterations.insert(number).inserted else { return }
        try store.append([.iterationStarted(number: number)], to: id)
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

    /// Asks the provider, recording the request under `directory` first and the answer with
    /// its usage after, in one commit. An answer an earlier process already recorded there is
    /// used as it stands: a resumed run never asks, or pays, twice for the same answer.
    ///
    /// `events` and `artifacts` (what the prompt was built from: the context pick, a file
    /// request answered) are recorded with the request, once: a resumed run that already
    /// recorded the request writes it again alone.
    func ask(
        _ provider: any Provider, _ request: ProviderRequest, recordingUnder directory: String,
        with events: [EventPayload] = [], artifacts: [String: [UInt8]] = [:]
    ) async throws(ConductorError) -> Result<ProviderResponse, ProviderError> {
        let snapshot = resumed ? try store.requireSnapshot() : nil
        if let snapshot, let text = try snapshot.artifact("\(directory)/response.md", of: id) {
            let usage = TokenUsage(model: model, tokensIn: 0, tokensOut: 0, costUSD: 0)
            return .success(ProviderResponse(text: String(decoding: text, as: UTF8.self), usage: usage))
        }
        let requestFile = "\(directory)/request.json"
        let requestRecorded = try snapshot?.artifact(requestFile, of: id) != nil
        if events.isEmpty || requestRecorded {
            try artifact(requestFile, StateCoding.document(request))
        } else {
            var files = artifacts
            files[requestFile] = StateCoding.document(request)
            try store.append(events, artifacts: files, to: id)
        }
        let response: ProviderResponse
        do {
            response = try await provider.complete(request)
        } catch {
            try store.append(drainAttempts(), to: id)
            return .failure(error)
        }
        let events = drainAttempts() + [.usage(response.usage)]
        try store.append(events, artifacts: ["\(directory)/response.md": Array(redactor.redact(response.text).utf8)], to: id)
        add(response.usage)
        report(.usage(tokens: tokens, costUSD: cost))
        return .success(response)
    }

    /// The provider tries since the last call, reported and ready to record.
    private func drainAttempts() -> [EventPayload] {
        attempts.drain().map { attempt in
            report(.attempt(attempt))
            return .providerAttempt(attempt)
        }
    }

    func append(_ payload: EventPayload) throws(ConductorError) {
        try store.append([payload], to: id)
    }

    func artifact(_ path: String, _ bytes: [UInt8]) throws(ConductorError) {
        try store.writeArtifact(path, contents: bytes, of: id)
    }

    /// A file of this run on the state branch, or nil.
    func recorded(_ path: String) throws(ConductorError) -> [UInt8]? {
        try store.requireSnapshot().artifact(path, of: id)
    }

    private func add(_ usage: TokenUsage) {
        tokens += usage.total
        cost = cost.flatMap { total in usage.costUSD.map { total + $0 } }
        model = usage.model ?? model
        answers += 1
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

    /// `CONDUCTOR_CRASH_AT=<STATE>` makes the process kill itself right after it records the
    /// transition into that state, before doing the state's work: the worst moment for a
    /// crash, and the one `resume` is tested against. Not for users.
    private static func crashInjection(_ environment: [String: String]) -> RunState? {
        environment["CONDUCTOR_CRASH_AT"].flatMap { RunState(rawValue: $0.uppercased()) }
    }

    private func crashIfInjected(_ state: RunState) {
        guard state == crashAt else { return }
        kill(getpid(), SIGKILL)
    }
}
