import ConductorDomain
import ConductorKit
import Foundation
import GitKit

/// Where the time of one append goes.
///
/// `GitStateStore.append` is one opaque call, so this replays what it does (through
/// `RefWriter.commit`) step by step with the same public GitKit calls and the same
/// serialisation, timing each step. The replay writes real, valid events, so it is the
/// same work on the same data; comparing the sum of its phase medians with the measured
/// append median shows how faithful it is. It exists to say, from measurements, which step
/// grows when the state grows, rather than to guess.
struct AppendAnatomy {
    /// The steps of `RefWriter.commit` around `GitStateStore.append`, in order.
    enum Phase: String, CaseIterable {
        case resolveTip = "resolve tip ref"
        case readRoot = "read tip commit + root tree"
        case checkFormat = "read + decode format.json"
        case findRun = "find run.json (walks runs/<shard>/<id>)"
        case listEvents = "list event stamps"
        case encodeEvent = "encode event JSON"
        case writeBlob = "write event blob"
        case updateTrees = "write trees (git_tree_create_updated)"
        case writeCommit = "write commit"
        case moveRef = "move ref (CAS + reflog)"
    }

    let repositories: [BenchRepository]
    let samples: Int
    let warmup: Int
    var runCount = 8

    struct Result {
        var phases: [Phase: Samples] = [:]
        /// Opening the `runs/` tree again by id, right after it was read: what every path walk
        /// through `runs/` costs when libgit2's object cache does not keep that tree.
        var rereadRunsTree = Samples()
        /// The same for one shard tree (a handful of entries), for contrast.
        var rereadShardTree = Samples()
    }

    /// One result per repository, in the order given; samples interleave across them as in
    /// ``AppendBenchmark``.
    func measure() throws -> [Result] {
        let machines = try repositories.map { try $0.conductor.machineID() }
        let targets = repositories.map { $0.spreadRuns(runCount) }
        var results = Array(repeating: Result(), count: repositories.count)
        for index in 0..<(warmup + samples) {
            for (position, repository) in repositories.enumerated() {
                let run = targets[position][index % targets[position].count]
                let laps = try appendOnce(in: repository, to: run, number: 3_000 + index, machine: machines[position])
                guard index >= warmup else { continue }
                for (phase, nanoseconds) in laps { results[position].phases[phase, default: Samples()].add(nanoseconds) }
            }
        }
        for (position, repository) in repositories.enumerated() {
            try measureRereads(in: repository, of: targets[position][0], into: &results[position])
        }
        return results
    }

    private func measureRereads(in repository: BenchRepository, of run: RunID, into result: inout Result) throws {
        let git = repository.conductor.git
        guard let tip = try git.referenceTarget(StateLayout.branch),
              let runs = try git.tree(git.commit(tip).tree).entry(named: StateLayout.runsDirectory),
              let shard = try git.tree(runs.id).entry(named: run.shard)
        else { throw BenchError("the state branch has no runs/\(run.shard)") }
        for _ in 0..<samples {
            result.rereadRunsTree.add(try Monotonic.time { try git.tree(runs.id) }.nanoseconds)
            result.rereadShardTree.add(try Monotonic.time { try git.tree(shard.id) }.nanoseconds)
        }
    }

    /// One append of an `iteration` event, as the store would write it; returns each phase's time.
    private func appendOnce(in repository: BenchRepository, to run: RunID, number: Int, machine: MachineID) throws -> [Phase: UInt64] {
        let git = repository.conductor.git
        var laps = Laps()

        guard let tip = try git.referenceTarget(StateLayout.branch) else { throw BenchError("the state branch vanished") }
        laps.end(.resolveTip)

        let root = try git.tree(git.commit(tip).tree)
        laps.end(.readRoot)

        guard let formatEntry = root.entry(named: StateLayout.formatFile) else { throw BenchError("format.json missing") }
        let format = try JSONDecoder().decode(StateFormat.self, from: Data(git.readBlob(formatEntry.id)))
        guard format.isSupported else { throw BenchError("unsupported state format \(format.format)") }
        laps.end(.checkFormat)

        guard try root.entry(atPath: StateLayout.runRecord(run)) != nil else { throw BenchError("run \(run) missing") }
        laps.end(.findRun)

        var stamps: [EventStamp] = []
        if let events = try root.entry(atPath: StateLayout.eventsDirectory(run)) {
            stamps = try git.tree(events.id).entries.compactMap { EventStamp(fileName: $0.name) }
        }
        laps.end(.listEvents)

        let now = repository.conductor.clock.now()
        let event = Event(
            stamp: EventStamp(clock: EventStamp.nextClock(after: stamps), machine: machine, sequence: 0),
            time: now, payload: .iterationStarted(number: number)
        )
        let bytes = try EventEncoding.line(event)
        laps.end(.encodeEvent)

        let blob = try git.writeBlob(bytes)
        laps.end(.writeBlob)

        let tree = try git.updateTree(root.id, applying: [.upsertBlob(path: StateLayout.event(run, event.stamp), id: blob)])
        laps.end(.updateTrees)

        let identity = repository.conductor.identity
        let signature = Signature(name: identity.name, email: identity.email, time: now.milliseconds / 1000)
        let subject = "Run \(run): iteration \(number)"
        let commit = try git.createCommit(
            tree: tree, parents: [tip], message: "\(subject)\n\nConductor-Run: \(run)\n",
            author: signature, committer: signature
        )
        laps.end(.writeCommit)

        try git.updateReference(StateLayout.branch, to: commit, expected: tip, logMessage: "git-conductor: \(subject)")
        laps.end(.moveRef)
        return laps.times
    }
}

/// Consecutive intervals: each `end` closes the phase that began where the last one ended.
private struct Laps {
    private var mark = Monotonic.now()
    private(set) var times: [AppendAnatomy.Phase: UInt64] = [:]

    mutating func end(_ phase: AppendAnatomy.Phase) {
        let now = Monotonic.now()
        times[phase] = now - mark
        mark = now
    }
}

/// The bytes of an event file as the store writes them (compact JSON, sorted keys, unescaped
/// slashes, a final newline), so benchmark writes are the same size as real ones.
enum EventEncoding {
    static func line(_ event: Event) throws -> [UInt8] {
        // A fresh encoder per event, as the store does, so its cost is counted the same way.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(event)) + [UInt8(ascii: "\n")]
    }
}
