import ConductorDomain
import GitKit

/// The state store on the orphan branch `refs/heads/orchestrator-state` (docs/state-format.md).
///
/// Every write is one commit made in-process; the user's index, HEAD and working tree are
/// never touched. Files under `events/` and `run.json` are only ever added, never rewritten,
/// which is what lets two machines' branches merge as a plain union.
public final class GitStateStore: StateStore {
    let repository: ConductorRepository
    public let machine: MachineID
    let writer: RefWriter

    init(repository: ConductorRepository, machine: MachineID, retry: RetryPolicy) {
        self.repository = repository
        self.machine = machine
        writer = RefWriter(repository: repository.git, ref: StateLayout.branch, identity: repository.identity, retry: retry)
    }

    /// Creates the state branch with its `format.json`; returns false when it already existed
    /// (after checking that its format is one this version understands).
    @discardableResult
    public func initialize() throws(ConductorError) -> Bool {
        var created = false
        try writer.commit(message: "Initialize git-conductor state (format \(StateFormat.current.format))", time: repository.clock.now()) {
            (tip, root) throws(ConductorError) -> [TreeUpdate] in
            if let root {
                _ = try StateSnapshot.readFormat(root, repository: repository.git)
                return []
            }
            created = true
            let blob = try gitCall { () throws(GitError) in try repository.git.writeBlob(StateCoding.document(StateFormat.current)) }
            return [.upsertBlob(path: StateLayout.formatFile, id: blob)]
        }
        return created
    }

    /// The branch as of its current tip, or nil when it does not exist yet.
    public func snapshot() throws(ConductorError) -> StateSnapshot? {
        try repository.stateSnapshot()
    }

    /// The current snapshot, failing when the branch does not exist.
    public func requireSnapshot() throws(ConductorError) -> StateSnapshot {
        try repository.requireStateSnapshot()
    }

    /// Records a new run with its first events, and the artifacts it starts with (the
    /// engine's `config.json`), in one commit.
    @discardableResult
    public func createRun(_ record: RunRecord, events payloads: [EventPayload], artifacts: [String: [UInt8]] = [:]) throws(ConductorError) -> [Event] {
        try create([NewRun(record: record, events: payloads, artifacts: artifacts)])[record.id] ?? []
    }

    /// Records several new runs in one commit, which is how imports and benchmarks fill the
    /// branch quickly; fails without writing anything if any of the runs already exists.
    @discardableResult
    public func createRuns(_ runs: [(record: RunRecord, events: [EventPayload])]) throws(ConductorError) -> [RunID: [Event]] {
        try create(runs.map { NewRun(record: $0.record, events: $0.events, artifacts: [:]) })
    }

    private struct NewRun {
        let record: RunRecord
        let events: [EventPayload]
        let artifacts: [String: [UInt8]]
    }

    private func create(_ runs: [NewRun]) throws(ConductorError) -> [RunID: [Event]] {
        guard let first = runs.first else { return [:] }
        var seen = Set<RunID>()
        if let duplicate = runs.first(where: { !seen.insert($0.record.id).inserted }) {
            throw .runExists(duplicate.record.id)
        }
        var written: [RunID: [Event]] = [:]
        let subject = runs.count == 1
            ? "Start run \(first.record.id): \(Self.clip(first.record.title, to: 60))"
            : "Start \(runs.count) runs"
        try write(subject, runs: runs.map(\.record.id)) { (root) throws(ConductorError) -> [TreeUpdate] in
            var updates: [TreeUpdate] = []
            for run in runs {
                let record = run.record
                if try gitCall({ () throws(GitError) in try root.entry(atPath: StateLayout.runDirectory(record.id)) }) != nil {
                    throw .runExists(record.id)
                }
                let events = stamp(run.events, clock: 1)
                written[record.id] = events
                updates.append(.upsertBlob(path: StateLayout.runRecord(record.id), id: try blob(StateCoding.document(record))))
                updates += try eventUpdates(events, run: record.id)
                updates += try artifactUpdates(run.artifacts, run: record.id)
            }
            return updates
        }
        return written
    }

    @discardableResult
    public func append(_ payloads: [EventPayload], to run: RunID) throws(ConductorError) -> [Event] {
        try append(payloads, artifacts: [:], to: run)
    }

    /// Appends events and writes artifacts of the run in one commit, so that neither can be
    /// seen without the other: the engine records a provider's answer with its usage, and a
    /// transition with the checkpoint it acts on, this way.
    @discardableResult
    public func append(_ payloads: [EventPayload], artifacts: [String: [UInt8]], to run: RunID) throws(ConductorError) -> [Event] {
        guard !payloads.isEmpty else { return [] }
        var written: [Event] = []
        try write(Self.subject(for: payloads, run: run), runs: [run]) { (root) throws(ConductorError) -> [TreeUpdate] in
            let runTree = try StateSnapshot.existingRunTree(run, in: root, repository: repository.git)
            let latest = try StateSnapshot.latestStamp(inRunTree: runTree, repository: repository.git)
            written = stamp(payloads, clock: EventStamp.nextClock(after: latest.map { [$0] } ?? []))
            return try eventUpdates(written, run: run) + artifactUpdates(artifacts, run: run)
        }
        return written
    }

    public func writeArtifact(_ relativePath: String, contents: [UInt8], of run: RunID) throws(ConductorError) {
        guard let path = StateLayout.artifact(run, relativePath) else { throw .invalidArtifactPath(relativePath) }
        try write("Run \(run): write \(relativePath)", runs: [run]) { (root) throws(ConductorError) -> [TreeUpdate] in
            _ = try StateSnapshot.existingRunTree(run, in: root, repository: repository.git)
            return [.upsertBlob(path: path, id: try blob(contents))]
        }
    }

    public func history(of run: RunID) throws(ConductorError) -> RunHistory {
        try repository.requireStateSnapshot().history(of: run)
    }

    /// One commit on the state branch, after checking the branch exists and is in a format we write.
    private func write(
        _ subject: String,
        runs: [RunID],
        changes: (Tree) throws(ConductorError) -> [TreeUpdate]
    ) throws(ConductorError) {
        let trailers = runs.prefix(20).map { "Conductor-Run: \($0)" }.joined(separator: "\n")
        let message = "\(subject)\n\n\(trailers)\n"
        try writer.commit(message: message, time: repository.clock.now()) { (_, root) throws(ConductorError) -> [TreeUpdate] in
            guard let root else { throw .stateBranchMissing }
            _ = try StateSnapshot.readFormat(root, repository: repository.git)
            return try changes(root)
        }
    }

    private func stamp(_ payloads: [EventPayload], clock: UInt64) -> [Event] {
        let time = repository.clock.now()
        return payloads.enumerated().map { index, payload in
            Event(stamp: EventStamp(clock: clock, machine: machine, sequence: index), time: time, payload: payload)
        }
    }

    private func eventUpdates(_ events: [Event], run: RunID) throws(ConductorError) -> [TreeUpdate] {
        var updates: [TreeUpdate] = []
        for event in events {
            updates.append(.upsertBlob(path: StateLayout.event(run, event.stamp), id: try blob(StateCoding.line(event))))
        }
        return updates
    }

    private func artifactUpdates(_ artifacts: [String: [UInt8]], run: RunID) throws(ConductorError) -> [TreeUpdate] {
        var updates: [TreeUpdate] = []
        for (relativePath, contents) in artifacts.sorted(by: { $0.key < $1.key }) {
            guard let path = StateLayout.artifact(run, relativePath) else { throw .invalidArtifactPath(relativePath) }
            updates.append(.upsertBlob(path: path, id: try blob(contents)))
        }
        return updates
    }

    private func blob(_ bytes: [UInt8]) throws(ConductorError) -> ObjectID {
        try gitCall { () throws(GitError) in try repository.git.writeBlob(bytes) }
    }

    static func subject(for payloads: [EventPayload], run: RunID) -> String {
        guard payloads.count == 1, let payload = payloads.first else {
            return "Run \(run): \(payloads.count) events (\(payloads.map(\.kind).joined(separator: ", ")))"
        }
        switch payload {
        case let .transition(from, to, reason, _):
            let suffix = reason.map { " (\($0.rawValue))" } ?? ""
            return "Run \(run): \(from?.rawValue ?? "START") -> \(to.rawValue)\(suffix)"
        case .iterationStarted(let number):
            return "Run \(run): iteration \(number)"
        case .usage(let usage):
            return "Run \(run): \(usage.total) tokens"
        case .steering(let action, _):
            return "Run \(run): \(action.rawValue) from the user"
        case .pullRequest(let url):
            return "Run \(run): pull request \(url)"
        case .providerAttempt(let attempt):
            return "Run \(run): \(attempt.provider) attempt \(attempt.attempt): \(attempt.outcome.description)"
        case .syncConflict(let path, _):
            return "Run \(run): both clones' copies of \(path) kept"
        case let .fileRequest(iteration, round, _, shown, _):
            return "Run \(run): iteration \(iteration) round \(round) shows \(shown.count) requested file\(shown.count == 1 ? "" : "s")"
        case let .contextPicked(iteration, files, tokens):
            return "Run \(run): iteration \(iteration) context, \(files.count) file\(files.count == 1 ? "" : "s"), \(tokens) tokens"
        case .unknown(let kind):
            return "Run \(run): \(kind)"
        }
    }

    static func clip(_ text: String, to length: Int) -> String {
        text.count <= length ? text : String(text.prefix(length - 1)) + "…"
    }
}
