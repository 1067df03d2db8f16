import Foundation

/// The context engine's rows (issue 11): recall on real fix commits, and speed on a large
/// checkout. Neither needs the `git-conductor` binary, so `--only context` runs them alone.
struct ContextBenchmarks {
    let options: Options

    func sections() throws -> [Section] {
        let scratch = try ScratchDirectory(prefix: "conductor-bench-context")
        defer { scratch.remove() }
        return [try recallSection(scratch: scratch), try speedSection(scratch: scratch)]
    }

    static let notes = [
        "context recall: task = a fix commit's message, repository = its parent, gold = the non-test source files it modified (bench/context-corpus.tsv); a gold file counts when the prompt carries it whole or as an excerpt. The old rule is ContextSelection (file names only).",
        "context speed: in-process, a fresh repository handle and engine per sample; cold = the engine's cache deleted, warm = left by the previous call.",
    ]

    /// The one-minute load average when the benchmark starts, as `uptime` prints it.
    static func loadAverage() -> String {
        var loads = [Double](repeating: 0, count: 3)
        return getloadavg(&loads, 3) > 0 ? String(format: "%.2f", loads[0]) : "unknown"
    }

    private func recallSection(scratch: ScratchDirectory) throws -> Section {
        let manifest = options.contextCorpus ?? ContextCorpus.defaultManifest()
        guard options.contextCorpus != nil || FileManager.default.fileExists(atPath: manifest) else {
            progress("context recall: skipping, no corpus manifest at \(manifest) (pass --context-corpus)")
            var section = Section(title: "Context recall: skipped, no corpus manifest at \(manifest)")
            section.add("context.recall.skipped", "tasks skipped (no manifest)", .nan, .count)
            return section
        }
        let environment = ProcessInfo.processInfo.environment[CorpusLocations.environmentVariable].flatMap { $0.isEmpty ? nil : $0 }
        let locations = CorpusLocations(
            directory: options.contextRepositories ?? environment ?? CorpusLocations.defaultDirectory,
            selfRepository: ContextCorpus.packageRoot()
        )
        return try ContextRecallBenchmark(
            tasks: try ContextCorpus.load(manifest), locations: locations, scratch: scratch,
            budgetTokens: options.contextBudget, detailsPath: options.contextDetails
        ).section()
    }

    private func speedSection(scratch: ScratchDirectory) throws -> Section {
        guard EnginePicker.isAvailable else {
            var section = Section(title: "Context engine speed: not measured, the context engine is not built")
            section.add("context.speed.skipped", "engine not available", 1, .count)
            return section
        }
        return try ContextSpeedBenchmark(
            checkout: options.contextSpeedRepository ?? ContextSpeedBenchmark.defaultCheckout(),
            scratch: scratch, samples: options.quick ? 3 : 10, budgetTokens: options.contextBudget
        ).section()
    }
}
