import ConductorDomain
import ConductorKit

/// Measurement 1: `GitStateStore.append` of one event to an existing run, the write the
/// engine makes several times per iteration. Each call is a whole commit: read the tip,
/// check the format and the run, pick the next Lamport clock, write blob, trees and commit,
/// then move the ref by compare-and-swap.
///
/// Each state size has its own repository, and samples are interleaved across them (one
/// append at 10 runs, one at 1 000, one at 10 000, and again), so a burst of background I/O
/// or a busy core hits every size alike instead of skewing the ratio between them.
///
/// Each store is opened once and reused, as the engine keeps one repository handle for a
/// whole run; libgit2's object cache therefore stays warm between samples, which is also
/// why a warm-up precedes them.
struct AppendBenchmark {
    let repositories: [BenchRepository]
    let samples: Int
    let warmup: Int
    /// Samples cycle over this many runs spread through each id range.
    var runCount = 8

    /// One set of samples per repository, in the order given.
    func measure() throws -> [Samples] {
        let targets = repositories.map { $0.spreadRuns(runCount) }
        var results = Array(repeating: Samples(), count: repositories.count)
        for index in 0..<(warmup + samples) {
            for (position, repository) in repositories.enumerated() {
                let run = targets[position][index % targets[position].count]
                let payload: [EventPayload] = [.iterationStarted(number: 1_000 + index)]
                let start = Monotonic.now()
                _ = try repository.store.append(payload, to: run)
                let elapsed = Monotonic.now() - start
                if index >= warmup { results[position].add(elapsed) }
            }
        }
        return results
    }
}
