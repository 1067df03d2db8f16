import ConductorDomain
import GitKit

/// Fills the state branch with plausible runs without running the engine. Tests and
/// benchmarks use it to exercise the state layer; it is not a user command.
public struct SyntheticRuns {
    let store: GitStateStore
    let repository: ConductorRepository

    public init(store: GitStateStore, repository: ConductorRepository) {
        self.store = store
        self.repository = repository
    }

    /// A run record as the engine would write it, created `offset` milliseconds after now.
    public func record(prompt: String, mode: RunMode = .streamlined, offset: Int64 = 0) -> RunRecord {
        var generator = SystemRandomNumberGenerator()
        let created = Timestamp(milliseconds: repository.clock.now().milliseconds + offset)
        let id = RunID.generate(atMilliseconds: UInt64(created.milliseconds), using: &generator)
        return RunRecord(
            id: id, prompt: prompt, mode: mode, baseCommit: String(repeating: "0", count: 40),
            taskBranch: "conductor/synthetic-\(id.shortTag)", provider: "script", model: "synthetic-model",
            createdAt: created, machine: store.machine
        )
    }

    /// The events of a run that took `iterations` build/verify rounds and ended in `outcome`.
    public static func lifecycle(iterations: Int, outcome: RunState) -> [EventPayload] {
        var events: [EventPayload] = [
            .transition(from: nil, to: .precheck, reason: nil, detail: nil),
            .transition(from: .precheck, to: .planning, reason: nil, detail: nil),
            .transition(from: .planning, to: .building, reason: nil, detail: nil),
        ]
        for number in 1...max(1, iterations) {
            if number > 1 {
                events.append(.transition(from: .verifying, to: .repairing, reason: nil, detail: nil))
                events.append(.transition(from: .repairing, to: .building, reason: nil, detail: nil))
            }
            events.append(.iterationStarted(number: number))
            events.append(.usage(TokenUsage(model: "synthetic-model", tokensIn: 1200 * number, tokensOut: 300, costUSD: 0.0042)))
            events.append(.transition(from: .building, to: .verifying, reason: nil, detail: nil))
        }
        let reason: FailureReason? = outcome == .failed ? .verify : nil
        events.append(.transition(from: .verifying, to: outcome, reason: reason, detail: nil))
        return events
    }

    /// Creates `count` finished runs, `perCommit` to a commit, newest last; returns their ids.
    @discardableResult
    public func populate(count: Int, perCommit: Int = 500) throws(ConductorError) -> [RunID] {
        var ids: [RunID] = []
        var batch: [(record: RunRecord, events: [EventPayload])] = []
        for index in 0..<count {
            let record = record(prompt: "Synthetic task \(index)\n\nGenerated for tests and benchmarks.", offset: Int64(index - count))
            let outcome: RunState = index % 5 == 0 ? .failed : .complete
            batch.append((record, Self.lifecycle(iterations: 1 + index % 3, outcome: outcome)))
            ids.append(record.id)
            if batch.count == perCommit || index == count - 1 {
                try store.createRuns(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        return ids
    }
}
