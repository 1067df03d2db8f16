// conductor-bench: measures the budgets of DESIGN.md §7 and prints a table (`make bench`).
// A benchmark, never a test: a missed budget prints MISS and the exit status stays 0.
//
//   conductor-bench [--quick] [--bin-dir <dir>] [--json <file>] [--only context] [--context-… ]
import ConductorDomain
import ConductorKit
import Foundation
import GitKit

/// Runs every measurement in temporary repositories of 10, 1 000 and 10 000 runs, and turns
/// the numbers into a ``Report``.
struct Suite {
    let options: Options
    var counts: SampleCounts { options.quick ? .quick : .full }

    /// State sizes for the append budget, smallest first; the ratio compares the last with the first.
    static let sizes = [10, 1_000, 10_000]
    static let plumbingSize = 1_000
    static let logSize = 10_000

    func run() throws -> Report {
        let tools = try Tools(binDirectory: options.binDirectory)
        let scratch = try ScratchDirectory(prefix: "conductor-bench")
        defer { scratch.remove() }
        progress("working in \(scratch.path)")

        var repositories: [Int: BenchRepository] = [:]
        for size in Self.sizes {
            progress("populating a repository with \(Report.grouped(size)) runs")
            let repository = try BenchRepository(at: "\(scratch.path)/state-\(size)", tools: tools)
            try repository.grow(to: size)
            repositories[size] = repository
        }
        let bySize = Self.sizes.map { repositories[$0]! }
        // Filling 10 000 runs leaves ~700 MB of dirty pages; without this the kernel would
        // write them back in the middle of the timings (after its 30 s expiry).
        progress("flushing the new repositories to disk")
        sync()

        var report = Report(
            date: ISO8601DateFormatter().string(from: Date()), quick: options.quick,
            environment: [
                "git": tools.gitVersion(), "libgit2": Libgit2.version,
                "cores": String(sysconf(Int32(_SC_NPROCESSORS_ONLN))),
            ]
        )

        progress("appending (sizes interleaved)")
        let appends = try AppendBenchmark(repositories: bySize, samples: counts.appends, warmup: counts.appendWarmup).measure()
        let appendMedians = Dictionary(uniqueKeysWithValues: zip(Self.sizes, appends.map(\.median)))
        report.sections.append(appendSection(appends))

        progress("plumbing baseline at \(Report.grouped(Self.plumbingSize)) runs")
        let plumbing = try PlumbingBenchmark(
            repository: repositories[Self.plumbingSize]!, scratch: scratch, samples: counts.plumbing, warmup: counts.plumbingWarmup
        ).measure()
        report.sections.append(plumbingSection(plumbing, inProcess: appendMedians[Self.plumbingSize]!))

        let large = repositories[Self.logSize]!
        report.sections.append(try logSection(tools: tools, repository: large))
        report.sections.append(try logAnatomySection(tools: tools, repository: large))
        report.sections.append(try reportSection(tools: tools, repository: large))
        report.sections.append(try stateSection(repository: large))

        report.notes = [
            "Each size has its own repository; append samples alternate between them, so background noise hits every size alike.",
            "Plumbing excludes encoding the event and the store's checks (format, run exists, next Lamport clock), so its speed-up is a lower bound.",
            "log: cold = .git/conductor/cache/ deleted before each run, warm = cache left by a full log at the same tip; the OS page cache is warm in both. Peak RSS is the largest ru_maxrss over the runs.",
            "All objects are loose (nothing runs git gc), as in a clone that has been written to but not yet packed.",
        ]
        return report
    }

    /// Measurement 1: medians against the 1 ms budget, and the growth from the smallest size to the largest.
    private func appendSection(_ samples: [Samples]) -> Section {
        var section = Section(title: "In-process append of one event (GitStateStore.append: one commit, ref moved by CAS)")
        for (size, samples) in zip(Self.sizes, samples) {
            let label = "\(Report.grouped(size)) runs"
            section.add("append.median.\(size)", "\(label): median of \(samples.count)", Units.milliseconds(samples.median), .milliseconds, target: .below(1))
            section.add("append.p90.\(size)", "\(label): p90", Units.milliseconds(samples.p90), .milliseconds)
        }
        if let small = samples.first?.median, let large = samples.last?.median {
            let label = "\(Report.grouped(Self.sizes.last!)) ÷ \(Report.grouped(Self.sizes.first!)) runs: median ratio"
            section.add("append.ratio", label, large / small, .ratio, target: .atMost(1.5))
        }
        return section
    }

    /// Measurement 2: the plumbing median and how many times slower it is than the in-process append.
    private func plumbingSection(_ plumbing: Samples, inProcess: Double) -> Section {
        var section = Section(title: "Same write through git plumbing (6 processes), \(Report.grouped(Self.plumbingSize)) runs")
        section.add("plumbing.median.\(Self.plumbingSize)", "plumbing: median of \(plumbing.count)", Units.milliseconds(plumbing.median), .milliseconds)
        section.add("plumbing.speedup.\(Self.plumbingSize)", "speed-up, in-process vs plumbing", plumbing.median / inProcess, .ratio, target: .atLeast(20))
        return section
    }

    /// Measurement 3: `log --limit 50` and full `log`, cold and warm.
    /// `git conductor report --json` over every run: the totals a team looks at.
    private func reportSection(tools: Tools, repository: BenchRepository) throws -> Section {
        var section = Section(title: "git conductor report --json over \(Report.grouped(Self.logSize)) runs (whole process, stdout to /dev/null)")
        let benchmark = LogBenchmark(tools: tools, repository: repository, samples: counts.logRuns)
        for cache in [LogBenchmark.Cache.cold, .warm] {
            progress("report --json, \(cache.rawValue) cache")
            let result = try benchmark.measure(["report", "--json"], cache: cache, minimumLines: Self.logSize)
            section.add("report.json.\(cache.rawValue).wall", "report --json, \(cache.rawValue): median of \(result.wall.count)", Units.milliseconds(result.wall.median), .milliseconds, target: .below(2_000))
            section.add("report.json.\(cache.rawValue).rss", "report --json, \(cache.rawValue): peak RSS", Double(result.peakResidentKiB) / 1024, .mebibytes)
        }
        return section
    }

    private func logSection(tools: Tools, repository: BenchRepository) throws -> Section {
        var section = Section(title: "git conductor log over \(Report.grouped(Self.logSize)) runs (whole process, stdout to /dev/null)")
        let benchmark = LogBenchmark(tools: tools, repository: repository, samples: counts.logRuns)
        let variants: [(key: String, arguments: [String], lines: Int, budget: Double)] = [
            ("limit50", ["log", "--limit", "50"], 50, 150),
            ("full", ["log"], Self.logSize, 1_000),
        ]
        for variant in variants {
            for cache in [LogBenchmark.Cache.cold, .warm] {
                progress("\(variant.arguments.joined(separator: " ")), \(cache.rawValue) cache")
                let result = try benchmark.measure(variant.arguments, cache: cache, minimumLines: variant.lines)
                let label = "\(variant.arguments.joined(separator: " ")), \(cache.rawValue)"
                section.add("log.\(variant.key).\(cache.rawValue).wall", "\(label): median of \(result.wall.count)", Units.milliseconds(result.wall.median), .milliseconds, target: .below(variant.budget))
                section.add("log.\(variant.key).\(cache.rawValue).rss", "\(label): peak RSS", Units.mebibytes(kibibytes: result.peakResidentKiB), .mebibytes, target: .below(64))
            }
        }
        return section
    }

    /// Where the time of a listing goes, in-process; explains the log rows above.
    private func logAnatomySection(tools: Tools, repository: BenchRepository) throws -> Section {
        progress("log anatomy")
        let (steps, files) = try LogAnatomy(tools: tools, repository: repository, samples: counts.logSteps).measure()
        var section = Section(title: "Where log's time goes: in-process steps over \(Report.grouped(Self.logSize)) runs (informational)")
        for step in steps {
            section.add("log-anatomy.\(step.key)", step.label, Units.milliseconds(step.nanoseconds), .milliseconds)
        }
        section.add("log-anatomy.files", "files a full listing reads (run.json + events)", Double(files), .count)
        return section
    }

    /// Facts about the state that explain the numbers; no budgets.
    private func stateSection(repository: BenchRepository) throws -> Section {
        var section = Section(title: "State (informational)")
        section.add("populate.seconds", "populate \(Report.grouped(repository.runs.count)) runs, \(BenchRepository.runsPerCommit) per commit", Units.seconds(Double(repository.populateNanoseconds)), .seconds)
        let git = repository.conductor.git
        if let tip = try git.referenceTarget(StateLayout.branch),
           let runs = try git.tree(git.commit(tip).tree).entry(named: StateLayout.runsDirectory) {
            section.add("runs-tree.entries", "runs/ tree: shard entries", Double(try git.tree(runs.id).count), .count)
            let bytes = Double(try repository.git("cat-file", "-s", runs.id.hex)) ?? .nan
            section.add("runs-tree.kibibytes", "runs/ tree: object size", bytes / 1024, .kibibytes)
        }
        return section
    }
}

/// Progress goes to standard error, so standard output holds the table alone.
func progress(_ message: String) {
    FileHandle.standardError.write(Data("conductor-bench: \(message)\n".utf8))
}

// A child that exits before reading its standard input must not kill us with SIGPIPE.
signal(SIGPIPE, SIG_IGN)

let options: Options
do {
    options = try Options(CommandLine.arguments.dropFirst())
} catch {
    progress("\(error)\n\n\(Options.usage)")
    exit(64)
}
if options.help {
    print(Options.usage)
    exit(0)
}
if let path = options.jsonPath {
    // Fail now rather than after minutes of measuring.
    let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
    guard FileManager.default.isWritableFile(atPath: directory) else {
        progress("cannot write --json \(path): \(directory) is not a writable directory")
        exit(64)
    }
}
do {
    var report: Report
    if options.only == "context" {
        report = Report(
            date: ISO8601DateFormatter().string(from: Date()), quick: options.quick,
            environment: [
                "libgit2": Libgit2.version, "cores": String(sysconf(Int32(_SC_NPROCESSORS_ONLN))),
                // Timings on a shared machine mean little without it.
                "load": ContextBenchmarks.loadAverage(),
            ]
        )
    } else {
        report = try Suite(options: options).run()
        progress("measuring the run engine")
        let scratch = try ScratchDirectory(prefix: "conductor-bench-engine")
        defer { scratch.remove() }
        let engine = EngineBenchmark(tools: try Tools(binDirectory: options.binDirectory), scratch: scratch, samples: options.quick ? 10 : 40)
        report.sections.append(try await engine.section())
        progress("measuring the provider stack")
        report.sections.append(try await ProviderBenchmark(samples: options.quick ? 50 : 300).section())
        progress("measuring pr-body")
        report.sections.append(try await ReviewBenchmark(tools: try Tools(binDirectory: options.binDirectory), scratch: scratch, samples: options.quick ? 5 : 20).section())
        report.sections.append(try SyncBenchmark(tools: try Tools(binDirectory: options.binDirectory), scratch: scratch, samples: options.quick ? 3 : 10).section())
    }
    progress("measuring the context engine")
    report.sections += try ContextBenchmarks(options: options).sections()
    report.notes += ContextBenchmarks.notes
    print(report.text(), terminator: "")
    if let path = options.jsonPath {
        try report.json().write(to: URL(fileURLWithPath: path))
        progress("wrote \(path)")
    }
} catch {
    progress("error: \(error)")
    exit(1)
}
