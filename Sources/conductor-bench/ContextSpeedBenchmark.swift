import ConductorKit
import Foundation
import GitKit

/// Issue 11's speed budgets, on the largest package checkout the build has (swift-nio under
/// `.build/checkouts`): the repository map cold (< 3 s, empty cache), the map again after one
/// file changed (< 200 ms) and a whole `context pick` with a warm cache (< 500 ms).
///
/// The clone is read through a ``BorrowedRepository``, so the engine's cache lives in the
/// scratch directory: *cold* deletes it before each sample, *warm* leaves what the previous
/// call wrote. Every sample opens a fresh repository handle and engine, as a new
/// `git conductor` process would, so nothing is kept in memory between samples; the OS page
/// cache is warm in both cases.
struct ContextSpeedBenchmark {
    let checkout: String
    let scratch: ScratchDirectory
    let samples: Int
    let budgetTokens: Int

    /// A task in swift-nio's own words, so the pick has real work to rank.
    static let task = """
        ByteBuffer.readInteger returns a wrong value when the reader index has moved past a \
        slice's start; getInteger(at:) should respect the buffer's base offset.
        """

    /// The default checkout: swift-nio in this package's `.build/checkouts`.
    static func defaultCheckout() -> String {
        ContextCorpus.packageRoot() + "/.build/checkouts/swift-nio"
    }

    func section() throws -> Section {
        let name = URL(fileURLWithPath: checkout).lastPathComponent
        guard FileManager.default.fileExists(atPath: checkout + "/.git") || FileManager.default.fileExists(atPath: checkout + "/objects") else {
            progress("context speed: skipping, no git clone at \(checkout) (build the package once, or pass --context-speed-repo)")
            var section = Section(title: "Context engine speed: skipped, no git clone at \(checkout)")
            section.add("context.speed.skipped", "checkout not present", 1, .count)
            return section
        }
        let directory = scratch.path + "/speed-\(name)"
        let repository = try BorrowedRepository.open(borrowing: checkout, at: directory)
        guard let base = try Repository.open(at: checkout).resolveCommit("HEAD") else {
            throw BenchError("\(checkout) has no HEAD commit")
        }
        let files = try repository.git.files(inTree: repository.git.commit(base).tree)
        let changed = try Self.fileToChange(files, in: repository.git)
        progress("context speed: \(name), \(files.count) files at \(base.short); one-file changes go to \(changed.path)")

        let cache = repository.privateDirectory
        var cold = Samples(), changedWarm = Samples(), pickWarm = Samples(), changedCPU = Samples(), pickCPU = Samples()
        var read = Samples(), facts = Samples(), rank = Samples(), render = Samples(), unchanged = Samples(), unchangedFacts = Samples()
        for _ in 0..<max(1, samples / 2) {
            try? FileManager.default.removeItem(atPath: cache)
            cold.add(try time { try EnginePicker(repository: reopen(directory)).map(at: base, budgetTokens: budgetTokens) })
        }
        _ = try EnginePicker(repository: reopen(directory)).map(at: base, budgetTokens: budgetTokens)
        for _ in 0..<samples {
            var steps = EnginePicker.MapSteps()
            unchanged.add(try time { steps = try EnginePicker(repository: reopen(directory)).map(at: base, budgetTokens: budgetTokens) })
            unchangedFacts.add(steps.facts)
        }
        for index in 0..<samples {
            // Untimed: the cache holds the base; the variant differs from it in one file.
            _ = try EnginePicker(repository: reopen(directory)).map(at: base, budgetTokens: budgetTokens)
            let variant = try commitChanging(changed, index: index, base: base, in: repository.git)
            var steps = EnginePicker.MapSteps()
            let cpu = CPUTime.now()
            changedWarm.add(try time { steps = try EnginePicker(repository: reopen(directory)).map(at: variant, budgetTokens: budgetTokens) })
            changedCPU.add(CPUTime.now() - cpu)
            read.add(steps.read)
            facts.add(steps.facts)
            rank.add(steps.rank)
            render.add(steps.render)
        }
        let scanner = try EnginePicker(repository: reopen(directory)).pick(task: Self.task, budgetTokens: budgetTokens, at: base).scanner
        for _ in 0..<samples {
            let cpu = CPUTime.now()
            pickWarm.add(try time { _ = try EnginePicker(repository: reopen(directory)).pick(task: Self.task, budgetTokens: budgetTokens, at: base) })
            pickCPU.add(CPUTime.now() - cpu)
        }

        var section = Section(title: "Context engine speed on \(name) (\(Report.grouped(files.count)) files), in-process, \(scanner)")
        section.add("context.speed.map.cold", "map, cold (cache deleted): median of \(cold.count)", Units.milliseconds(cold.median), .milliseconds, target: .below(3_000))
        section.add("context.speed.map.unchanged", "map, warm, nothing changed: median of \(unchanged.count)", Units.milliseconds(unchanged.median), .milliseconds)
        section.add("context.speed.map.unchanged.facts", "  of which symbols from the cache: median", Units.milliseconds(unchangedFacts.median), .milliseconds)
        section.add("context.speed.map.one-changed", "map, warm, one file changed: median of \(changedWarm.count)", Units.milliseconds(changedWarm.median), .milliseconds, target: .below(200))
        section.add("context.speed.map.one-changed.cpu", "  CPU time (user + system, with ctags): median", Units.milliseconds(changedCPU.median), .milliseconds)
        let anatomy: [(String, String, Samples)] = [
            ("read", "listing the tree, reading the source blobs", read), ("facts", "symbols from the cache, one file scanned", facts),
            ("rank", "reference graph built and ranked", rank), ("render", "map rendered", render),
        ]
        for (key, label, samples) in anatomy {
            section.add("context.speed.map.one-changed.\(key)", "  of which \(label): median", Units.milliseconds(samples.median), .milliseconds)
        }
        section.add("context.speed.pick.warm", "context pick, warm: median of \(pickWarm.count)", Units.milliseconds(pickWarm.median), .milliseconds, target: .below(500))
        section.add("context.speed.pick.warm.p90", "context pick, warm: p90", Units.milliseconds(pickWarm.p90), .milliseconds)
        section.add("context.speed.pick.warm.cpu", "context pick, warm: CPU time (user + system), median", Units.milliseconds(pickCPU.median), .milliseconds)
        return section
    }

    private func time(_ body: () throws -> Void) throws -> UInt64 {
        try Monotonic.time(body).nanoseconds
    }

    private func reopen(_ directory: String) throws -> ConductorRepository {
        try ConductorRepository.open(at: directory, environment: ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GIT_") })
    }

    /// The Swift source of median size: a typical file, not the largest nor a stub.
    private static func fileToChange(_ files: [TreeFile], in git: Repository) throws -> TreeFile {
        let sources = try files.filter { $0.path.hasSuffix(".swift") && $0.path.hasPrefix("Sources/") }
            .map { file throws(GitError) in (file, try git.blobSize(file.blob)) }
            .sorted { ($0.1, $0.0.path) < ($1.1, $1.0.path) }
        guard !sources.isEmpty else { throw BenchError("no Swift file under Sources/ to change") }
        return sources[sources.count / 2].0
    }

    /// A commit on `base` whose only change is a new function at the end of `file`, different
    /// for each `index`, so every sample scans a blob the cache has never seen.
    private func commitChanging(_ file: TreeFile, index: Int, base: ObjectID, in git: Repository) throws -> ObjectID {
        let content = try git.readBlob(file.blob) + Array("\nfunc conductorBenchChange\(index)() -> Int { \(index) }\n".utf8)
        let blob = try git.writeBlob(content)
        let tree = try git.updateTree(try git.commit(base).tree, applying: [.upsertBlob(path: file.path, id: blob)])
        let signature = Signature(name: "Conductor Bench", email: "bench@example.com", time: 1_700_000_000 + Int64(index))
        return try git.createCommit(tree: tree, parents: [base], message: "bench change \(index)\n", author: signature, committer: signature)
    }
}

/// CPU time of this process and its reaped children (ctags), in nanoseconds: on a shared
/// machine wall time also counts waiting for a core, CPU time does not.
enum CPUTime {
    static func now() -> UInt64 {
        func total(_ who: __rusage_who_t) -> UInt64 {
            var usage = rusage()
            getrusage(who, &usage)
            let microseconds = (Int64(usage.ru_utime.tv_sec) + Int64(usage.ru_stime.tv_sec)) * 1_000_000
                + Int64(usage.ru_utime.tv_usec) + Int64(usage.ru_stime.tv_usec)
            return UInt64(max(0, microseconds)) * 1_000
        }
        return total(RUSAGE_SELF.rawValue) + total(RUSAGE_CHILDREN.rawValue)
    }
}
