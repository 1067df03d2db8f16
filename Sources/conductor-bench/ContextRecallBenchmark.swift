import ConductorDomain
import ConductorKit
import Foundation
import GitKit

/// Issue 11's recall benchmark: does the prompt carry the files a real fix changed?
///
/// For each task of the corpus (``ContextTask``), at the default budget, the old rule
/// (``ContextSelection``, names only) and the context engine each choose what a build prompt
/// would carry at the fix's parent commit, given the fix's message as the task. A task counts
/// as *all gold* when every gold file is in the prompt, whole or as an excerpt; *file recall*
/// is gold files found over gold files. A corpus whose repository is not on this machine is
/// skipped and said to be.
struct ContextRecallBenchmark {
    let tasks: [ContextTask]
    let locations: CorpusLocations
    let scratch: ScratchDirectory
    let budgetTokens: Int
    /// Where to write every task's picks, for whoever tunes the ranking; nil writes nothing.
    let detailsPath: String?

    static let defaultBudgetTokens = 8_000

    func section() throws -> Section {
        let outcome = try measure()
        if let detailsPath { try writeDetails(outcome, to: detailsPath) }
        return Self.section(outcome, budgetTokens: budgetTokens)
    }

    // MARK: Measuring

    /// What one task's prompts carried.
    struct TaskResult {
        let task: ContextTask
        let subject: String
        let oldPicked: [String]
        /// Nil when the engine is not available or failed on this task (see `engineError`).
        let enginePicked: [EnginePickedFile]?
        let engineError: String?
        let engineNanoseconds: UInt64?

        var oldFound: Int { task.gold.filter(oldPicked.contains).count }
        var engineFound: Int {
            let paths = Set(enginePicked?.map(\.path) ?? [])
            return task.gold.filter(paths.contains).count
        }
    }

    /// Counts for one corpus (or all of them).
    struct Tally {
        var tasks = 0
        var goldFiles = 0
        var allGoldOld = 0
        var allGoldEngine = 0
        var foundOld = 0
        var foundEngine = 0
        var engineTasks = 0
        var engineErrors = 0

        mutating func add(_ result: TaskResult) {
            tasks += 1
            goldFiles += result.task.gold.count
            foundOld += result.oldFound
            if result.oldFound == result.task.gold.count { allGoldOld += 1 }
            if result.engineError != nil { engineErrors += 1 }
            guard result.enginePicked != nil || result.engineError != nil else { return }
            engineTasks += 1
            foundEngine += result.engineFound
            if result.engineFound == result.task.gold.count { allGoldEngine += 1 }
        }
    }

    struct Outcome {
        /// Corpora in manifest order, with their results.
        var corpora: [(name: String, results: [TaskResult])] = []
        /// Corpora whose repository is not here, with the reason.
        var skipped: [(name: String, tasks: Int, reason: String)] = []
        var engineAvailable: Bool = EnginePicker.isAvailable

        var all: [TaskResult] { corpora.flatMap(\.results) }
    }

    func measure() throws -> Outcome {
        var outcome = Outcome()
        var order: [String] = []
        var byCorpus: [String: [ContextTask]] = [:]
        for task in tasks {
            if byCorpus[task.corpus] == nil { order.append(task.corpus) }
            byCorpus[task.corpus, default: []].append(task)
        }
        for name in order {
            let corpusTasks = byCorpus[name]!
            guard let location = locations.path(of: name) else {
                let reason = name == "self" ? "no repository at \(locations.selfRepository)" : "not under \(locations.directory)"
                progress("context recall: skipping \(name) (\(corpusTasks.count) tasks): \(reason)")
                outcome.skipped.append((name, corpusTasks.count, reason))
                continue
            }
            progress("context recall: \(name), \(corpusTasks.count) tasks, from \(location)")
            let directory = scratch.path + "/recall-" + Self.key(name)
            let repository = try BorrowedRepository.open(borrowing: location, at: directory)
            let picker = EnginePicker(repository: repository)
            var results: [TaskResult] = []
            for task in corpusTasks {
                guard let result = try measure(task, in: repository, picker: picker) else {
                    continue
                }
                results.append(result)
            }
            if results.count < corpusTasks.count {
                let missing = corpusTasks.count - results.count
                progress("context recall: \(name): \(missing) commits not in \(location) (an older mirror?); skipped")
                outcome.skipped.append((name, missing, "commits missing from \(location)"))
            }
            outcome.corpora.append((name, results))
        }
        return outcome
    }

    /// Nil when the commit (or its parent) is not in the repository.
    private func measure(_ task: ContextTask, in repository: ConductorRepository, picker: EnginePicker) throws -> TaskResult? {
        let git = repository.git
        guard let commit = try? git.commit(task.commit), let parentID = commit.parents.first,
              let parent = try? git.commit(parentID) else { return nil }
        let files = try git.files(inTree: parent.tree)
        let candidates = try files.map { file throws(GitError) in
            ContextSelection.Candidate(path: file.path, bytes: try git.blobSize(file.blob))
        }
        let old = ContextSelection.select(candidates, for: commit.message, budgetTokens: budgetTokens).map(\.path)
        var engine: [EnginePickedFile]?
        var engineError: String?
        var elapsed: UInt64?
        if EnginePicker.isAvailable {
            let start = Monotonic.now()
            do {
                engine = try picker.pick(task: commit.message, budgetTokens: budgetTokens, at: parentID).files
            } catch {
                engineError = "\(error)"
                progress("context recall: engine failed on \(task.corpus) \(task.commit.short): \(error)")
            }
            elapsed = Monotonic.now() - start
        }
        let subject = commit.message.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
        return TaskResult(task: task, subject: subject, oldPicked: old, enginePicked: engine, engineError: engineError, engineNanoseconds: elapsed)
    }

    // MARK: Reporting

    static func section(_ outcome: Outcome, budgetTokens: Int) -> Section {
        let all = outcome.all
        let repositories = outcome.corpora.count
        var section = Section(title: "Context recall at \(Report.grouped(budgetTokens)) tokens: \(all.count) fix commits of \(repositories) repositories, old rule (names only) next to the context engine")
        var total = Tally()
        all.forEach { total.add($0) }
        add(total, key: "all", label: "all \(total.tasks) tasks", targets: true, engine: outcome.engineAvailable, to: &section)
        for corpus in outcome.corpora {
            var tally = Tally()
            corpus.results.forEach { tally.add($0) }
            add(tally, key: key(corpus.name), label: "\(corpus.name) (\(tally.tasks))", targets: false, engine: outcome.engineAvailable, to: &section)
        }
        let skipped = outcome.skipped.reduce(0) { $0 + $1.tasks }
        section.add("context.recall.skipped", "tasks skipped (repository or commit not here)", Double(skipped), .count)
        if outcome.engineAvailable {
            var times = Samples()
            all.compactMap(\.engineNanoseconds).forEach { times.add($0) }
            section.add("context.recall.engine-errors", "tasks the engine failed on", Double(total.engineErrors), .count)
            let picks = all.compactMap(\.enginePicked)
            section.add("context.recall.files.median", "engine: files in a prompt, median", median(picks.map(\.count)), .count)
            section.add("context.recall.excerpts.median", "engine: of which excerpts, median", median(picks.map { $0.filter { !$0.isWhole }.count }), .count)
            section.add("context.recall.tokens.median", "engine: tokens of the files, median", median(picks.map { $0.reduce(0) { $0 + $1.tokens } }), .count)
            section.add("context.recall.pick.median", "engine pick per task (cache filled by earlier tasks): median", Units.milliseconds(times.median), .milliseconds)
        }
        return section
    }

    private static func add(_ tally: Tally, key: String, label: String, targets: Bool, engine: Bool, to section: inout Section) {
        let allGoldOld = percent(tally.allGoldOld, of: tally.tasks)
        let recallOld = percent(tally.foundOld, of: tally.goldFiles)
        section.add("context.recall.\(key).all-gold.old", "\(label): all gold files in prompt, old rule", allGoldOld, .percent)
        section.add("context.recall.\(key).all-gold.engine", "\(label): all gold files in prompt, engine",
                    engine ? percent(tally.allGoldEngine, of: tally.engineTasks) : .nan, .percent, target: targets && engine && tally.tasks > 0 ? .atLeast(60) : nil)
        section.add("context.recall.\(key).file-recall.old", "\(label): file recall, old rule", recallOld, .percent)
        section.add("context.recall.\(key).file-recall.engine", "\(label): file recall, engine",
                    engine ? percent(tally.foundEngine, of: tally.goldFiles) : .nan, .percent, target: targets && engine && tally.tasks > 0 ? .atLeast(70) : nil)
    }

    private static func median(_ values: [Int]) -> Double {
        var samples = Samples()
        values.forEach { samples.add(UInt64(max(0, $0))) }
        return samples.median
    }

    private static func percent(_ part: Int, of whole: Int) -> Double {
        whole == 0 ? .nan : 100 * Double(part) / Double(whole)
    }

    /// `pallets/click` as `pallets-click`, for row keys and directory names.
    static func key(_ corpus: String) -> String {
        corpus.replacingOccurrences(of: "/", with: "-")
    }

    // MARK: Details

    /// Every task with its gold and both picks, misses first: the material for tuning the ranking.
    private func writeDetails(_ outcome: Outcome, to path: String) throws {
        let results = outcome.all.sorted { ($0.engineFound == $0.task.gold.count ? 1 : 0) < ($1.engineFound == $1.task.gold.count ? 1 : 0) }
        var text = "# Context recall details, budget \(budgetTokens) tokens (misses of the engine first)\n"
        for (name, count, reason) in outcome.skipped { text += "# skipped \(name): \(count) tasks, \(reason)\n" }
        for result in results {
            let task = result.task
            text += "\n## \(task.corpus) \(task.commit.short): gold \(task.gold.count), old rule \(result.oldFound), engine \(result.enginePicked == nil && result.engineError == nil ? "-" : String(result.engineFound))\n"
            text += "task: \(result.subject)\n"
            let enginePaths = Set(result.enginePicked?.map(\.path) ?? [])
            for gold in task.gold {
                text += "gold: \(gold)  old:\(result.oldPicked.contains(gold) ? "yes" : "no") engine:\(enginePaths.contains(gold) ? "yes" : "no")\n"
            }
            if let error = result.engineError { text += "engine error: \(error)\n" }
            for file in result.enginePicked ?? [] { text += "engine picked: \(file.summary)\n" }
            for path in result.oldPicked.prefix(10) { text += "old picked: \(path)\n" }
            if result.oldPicked.count > 10 { text += "old picked: … \(result.oldPicked.count - 10) more\n" }
        }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        progress("wrote \(path)")
    }
}
