import ConductorDomain
import ConductorKit
import Foundation
import GitKit

/// Measurement 2: the same logical write as an append, made the way a shell script would
/// make it without libgit2: six `git` plumbing processes.
///
///     git hash-object -w --stdin                          the event file
///     GIT_INDEX_FILE=tmp git read-tree <tip>              the whole state into a scratch index
///     GIT_INDEX_FILE=tmp git update-index --add --cacheinfo 100644,<blob>,<path>
///     GIT_INDEX_FILE=tmp git write-tree
///     git commit-tree <tree> -p <tip> -m …
///     git update-ref -m … refs/heads/orchestrator-state <new> <tip>    compare-and-swap
///
/// The baseline is given every benefit of the doubt: the event's bytes and file name are
/// prepared before the clock starts, the tip is read in-process, and it skips the checks the
/// store makes (format.json, the run exists, the events listing for the next Lamport clock),
/// each of which would cost a script another process. The speed-up it yields is therefore a
/// lower bound.
struct PlumbingBenchmark {
    let repository: BenchRepository
    let scratch: ScratchDirectory
    let samples: Int
    let warmup: Int
    var runCount = 8

    /// The machine id in the baseline's event names: distinct from the store's, so its
    /// events can never collide with the store's, whatever their clocks.
    static let machine = MachineID("plumbing")!

    func measure() throws -> Samples {
        let targets = repository.spreadRuns(runCount)
        var result = Samples()
        for index in 0..<(warmup + samples) {
            let write = try preparedWrite(run: targets[index % targets.count], clock: UInt64(1_000_000 + index))
            let start = Monotonic.now()
            let commit = try perform(write)
            let elapsed = Monotonic.now() - start
            if index >= warmup { result.add(elapsed) }
            try verify(write, landedAs: commit)
        }
        return result
    }

    /// Everything about one write that is not the write itself.
    private struct PreparedWrite {
        let run: RunID
        let path: String
        let bytes: [UInt8]
        let subject: String
    }

    private func preparedWrite(run: RunID, clock: UInt64) throws -> PreparedWrite {
        let event = Event(
            stamp: EventStamp(clock: clock, machine: Self.machine, sequence: 0),
            time: repository.conductor.clock.now(), payload: .iterationStarted(number: Int(clock))
        )
        // A fresh index each time, as a script using mktemp would have.
        unlink(indexPath)
        return PreparedWrite(
            run: run, path: StateLayout.event(run, event.stamp), bytes: try EventEncoding.line(event),
            subject: "Run \(run): iteration \(clock)"
        )
    }

    private var indexPath: String { scratch.path + "/plumbing-index" }

    /// The six processes; returns the new tip.
    private func perform(_ write: PreparedWrite) throws -> String {
        let git = repository.git
        let index = ["GIT_INDEX_FILE": indexPath]
        guard let tip = try repository.conductor.git.referenceTarget(StateLayout.branch)?.hex else {
            throw BenchError("the state branch vanished")
        }
        let blob = try git("hash-object", "-w", "--stdin", stdin: write.bytes)
        try git("read-tree", tip, environment: index)
        try git("update-index", "--add", "--cacheinfo", "100644,\(blob),\(write.path)", environment: index)
        let tree = try git("write-tree", environment: index)
        let commit = try git("commit-tree", tree, "-p", tip, "-m", write.subject, "-m", "Conductor-Run: \(write.run)")
        try git("update-ref", "-m", "plumbing: \(write.subject)", StateLayout.branch, commit, tip)
        return commit
    }

    /// Checks, outside the timing, that the write did what an append does: the branch moved to
    /// the new commit, whose tree holds the event with the right bytes.
    private func verify(_ write: PreparedWrite, landedAs commit: String) throws {
        let git = repository.conductor.git
        guard let tip = try git.referenceTarget(StateLayout.branch), tip.hex == commit else {
            throw BenchError("plumbing write did not move \(StateLayout.branch) to \(commit)")
        }
        guard let entry = try git.tree(git.commit(tip).tree).entry(atPath: write.path),
              try git.readBlob(entry.id) == write.bytes
        else { throw BenchError("plumbing write is missing \(write.path)") }
    }
}

/// The bytes of an event file as the store writes them (compact JSON, sorted keys, unescaped
/// slashes, a final newline), so the plumbing baseline writes files of the same size.
enum EventEncoding {
    static func line(_ event: Event) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(event)) + [UInt8(ascii: "\n")]
    }
}
