import Foundation

/// Measurement 3: `git conductor log` as the user runs it, a whole process of the release
/// binary with the repository as its working directory and its output going nowhere, so
/// start-up, opening the repository, reading the state and formatting the table all count,
/// but a terminal's drawing speed does not.
struct LogBenchmark {
    /// Whether `.git/conductor/cache/` exists when the command starts.
    enum Cache: String {
        /// Deleted before every run: the first `log` after a clone or a new state tip's
        /// worth of runs. (The OS page cache stays warm; this is about our cache file.)
        case cold
        /// Left from a previous full `log` at the same tip: the common case of running
        /// `log` again.
        case warm
    }

    struct Result {
        var wall: Samples
        /// The largest `ru_maxrss` over all samples, in KiB.
        var peakResidentKiB: Int
    }

    let tools: Tools
    let repository: BenchRepository
    let samples: Int

    /// Times `git-conductor <arguments>`; `minimumLines` sanity-checks an untimed run first,
    /// so a broken or empty listing can never pass for a fast one.
    func measure(_ arguments: [String], cache: Cache, minimumLines: Int) throws -> Result {
        let check = try run(arguments, capture: true)
        let lines = check.stdout.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        guard lines >= minimumLines else {
            throw BenchError("git-conductor \(arguments.joined(separator: " ")) printed \(lines) lines, expected at least \(minimumLines)")
        }
        if cache == .warm {
            // A complete cache comes from a full listing; `--limit` alone leaves a partial one.
            removeCache()
            _ = try run(["log"], capture: false)
        }
        var result = Result(wall: Samples(), peakResidentKiB: 0)
        for _ in 0..<samples {
            if cache == .cold { removeCache() }
            let child = try run(arguments, capture: false)
            result.wall.add(child.wallNanoseconds)
            result.peakResidentKiB = max(result.peakResidentKiB, child.peakResidentKiB)
        }
        return result
    }

    private func removeCache() {
        try? FileManager.default.removeItem(atPath: repository.summaryCacheDirectory)
    }

    private func run(_ arguments: [String], capture: Bool) throws -> ChildResult {
        let child = ChildProcess(
            executable: tools.conductor, arguments: arguments, directory: repository.path,
            environment: tools.environment, stdout: capture ? .capture : .discard
        )
        let result = try child.run()
        guard result.status.succeeded else {
            let message = String(decoding: result.stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw BenchError("git-conductor \(arguments.joined(separator: " ")) failed (\(result.status)): \(message)")
        }
        return result
    }
}
