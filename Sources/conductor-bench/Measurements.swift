import Glibc

/// Nanoseconds on `CLOCK_MONOTONIC`: never jumps with NTP or a changed wall clock, and is
/// cheap enough (a vDSO call, tens of nanoseconds) to wrap sub-millisecond operations.
enum Monotonic {
    static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    /// Runs `body` and returns its result with the elapsed nanoseconds.
    static func time<Result>(_ body: () throws -> Result) rethrows -> (result: Result, nanoseconds: UInt64) {
        let start = now()
        let result = try body()
        return (result, now() - start)
    }
}

/// Durations of repeated runs of one operation, in nanoseconds.
///
/// Benchmarks report the median and p90 rather than the mean: a single page fault or
/// scheduler hiccup on a 2-core machine can cost more than a hundred samples, and the mean
/// would let it move the verdict.
struct Samples: Sendable {
    private(set) var nanoseconds: [UInt64] = []

    init() {}

    mutating func add(_ value: UInt64) {
        nanoseconds.append(value)
    }

    var count: Int { nanoseconds.count }

    /// The middle value; the mean of the two middle values for an even count.
    var median: Double { percentile(50) }

    /// The 90th percentile.
    var p90: Double { percentile(90) }

    var maximum: Double { Double(nanoseconds.max() ?? 0) }

    /// Linear interpolation between closest ranks (the method spreadsheets and NumPy use by
    /// default), so small sample counts still give a stable, monotonic estimate.
    func percentile(_ percent: Double) -> Double {
        guard !nanoseconds.isEmpty else { return .nan }
        let sorted = nanoseconds.sorted()
        let rank = percent / 100 * Double(sorted.count - 1)
        let lower = Int(rank.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        let fraction = rank - Double(lower)
        return Double(sorted[lower]) + (Double(sorted[upper]) - Double(sorted[lower])) * fraction
    }
}

/// Unit conversions used when turning raw nanoseconds and KiB into report values.
enum Units {
    static func milliseconds(_ nanoseconds: Double) -> Double { nanoseconds / 1_000_000 }
    static func microseconds(_ nanoseconds: Double) -> Double { nanoseconds / 1_000 }
    static func seconds(_ nanoseconds: Double) -> Double { nanoseconds / 1_000_000_000 }
    /// `ru_maxrss` is in KiB on Linux.
    static func mebibytes(kibibytes: Int) -> Double { Double(kibibytes) / 1024 }
}
