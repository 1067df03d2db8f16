import ConductorDomain
import ConductorKit
import Foundation

/// Moving state between clones (issue 6): the in-process merge of two state branches that
/// diverged by 5 000 runs each (< 2 s), and `git conductor push` / `pull` of 1 000 runs to
/// and from a local bare remote, next to plain `git push` / `git fetch` of the same refs.
struct SyncBenchmark {
    let tools: Tools
    let scratch: ScratchDirectory
    let samples: Int

    static let shared = 1_000
    static let divergence = 5_000
    static let transferred = 1_000

    func section() throws -> Section {
        var section = Section(title: "Sync: merge of two state branches, push and pull through a local bare remote")
        try measureMerge(into: &section)
        try measureTransfer(into: &section)
        return section
    }

    // MARK: Merge

    /// One repository: `shared` runs, then `divergence` more on each of two branches from
    /// there. The local branch is one side, `refs/conductor/remotes/bench/state` the other,
    /// and `StateSync.pull(fetch: false)` merges them in-process, as `pull` does after
    /// fetching. The first merge writes every new tree; later ones find them written.
    private func measureMerge(into section: inout Section) throws {
        progress("sync: building two state branches diverged by \(Report.grouped(Self.divergence)) runs each")
        let repository = try BenchRepository(at: scratch.path + "/sync-merge", tools: tools)
        try repository.grow(to: Self.shared)
        let git = repository.git
        let base = try git("rev-parse", StateLayout.branch)
        try repository.grow(to: Self.shared + Self.divergence)
        let ours = try git("rev-parse", StateLayout.branch)
        try git("update-ref", StateLayout.branch, base, ours)
        try repository.grow(to: Self.shared + 2 * Self.divergence)
        let theirs = try git("rev-parse", StateLayout.branch)
        try git("remote", "add", "bench", repository.path)
        try git("update-ref", "refs/conductor/remotes/bench/state", theirs)
        sync()

        var first: UInt64 = 0
        var warm = Samples()
        for index in 0...samples {
            try git("update-ref", StateLayout.branch, ours)
            // A fresh handle per merge, as a `pull` process would have.
            let conductor = try ConductorRepository.open(at: repository.path, environment: tools.environment)
            let (report, elapsed) = try Monotonic.time { try StateSync(repository: conductor).pull(from: "bench", fetch: false) }
            guard report.state?.action == .merged, report.state?.runsReceived.count == Self.divergence, report.conflicts.isEmpty else {
                throw BenchError("the merge did not merge as expected: \(String(describing: report.state))")
            }
            if index == 0 {
                first = elapsed
                // Untimed: the union holds every run of both sides.
                let runs = try git("ls-tree", "-d", "--name-only", "-r", "\(StateLayout.branch):runs").split(separator: "\n").filter { $0.split(separator: "/").count == 3 }
                guard runs.count == Self.shared + 2 * Self.divergence else { throw BenchError("the merged tree holds \(runs.count) runs") }
            } else {
                warm.add(elapsed)
            }
        }
        let label = "\(Report.grouped(Self.divergence)) + \(Report.grouped(Self.divergence)) runs diverged from \(Report.grouped(Self.shared))"
        section.add("sync.merge.first", "merge \(label): first (new trees written)", Units.milliseconds(Double(first)), .milliseconds, target: .below(2_000))
        section.add("sync.merge.median", "merge \(label): median of \(warm.count) more (trees already written)", Units.milliseconds(warm.median), .milliseconds, target: .below(2_000))
    }

    // MARK: Push and pull

    /// `git conductor push` into a fresh bare remote and `git conductor pull` into a fresh
    /// empty clone, each next to the plain git command that moves the same ref, alternating.
    private func measureTransfer(into section: inout Section) throws {
        progress("sync: push and pull of \(Report.grouped(Self.transferred)) runs")
        let source = try BenchRepository(at: scratch.path + "/sync-source", tools: tools)
        try source.grow(to: Self.transferred)
        let published = scratch.path + "/sync-published.git"
        try bare(published)
        try source.git("push", "-q", published, "\(StateLayout.branch):\(StateLayout.branch)")
        sync()

        var push = Samples(), plainPush = Samples(), pull = Samples(), plainFetch = Samples()
        let refspec = "\(StateLayout.branch):\(StateLayout.branch)"
        for index in 0...samples {
            let target = scratch.path + "/sync-push-\(index).git", plainTarget = scratch.path + "/sync-plain-push-\(index).git"
            try bare(target)
            try bare(plainTarget)
            try source.git("remote", "add", "r\(index)", target)
            let pushed = try timed(["push", "r\(index)"], conductor: true, in: source.path)
            let plainPushed = try timed(["push", "-q", plainTarget, refspec], conductor: false, in: source.path)

            let clone = scratch.path + "/sync-pull-\(index)", plainClone = scratch.path + "/sync-plain-fetch-\(index)"
            for directory in [clone, plainClone] {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                try Git(tools: tools, directory: directory)("init", "-q")
            }
            try Git(tools: tools, directory: clone)("remote", "add", "origin", published)
            let pulled = try timed(["pull", "origin"], conductor: true, in: clone)
            let fetched = try timed(["fetch", "-q", published, "+\(StateLayout.branch):refs/remotes/origin/orchestrator-state"], conductor: false, in: plainClone)
            if index == 0 {
                // Untimed checks: what arrived is the whole state.
                let sent = try source.git("rev-parse", StateLayout.branch)
                guard try Git(tools: tools, directory: target)("rev-parse", StateLayout.branch) == sent,
                      try Git(tools: tools, directory: clone)("rev-parse", StateLayout.branch) == sent
                else { throw BenchError("push or pull did not carry the state branch") }
                continue
            }
            push.add(pushed)
            plainPush.add(plainPushed)
            pull.add(pulled)
            plainFetch.add(fetched)
            for directory in [target, plainTarget, clone, plainClone] { try? FileManager.default.removeItem(atPath: directory) }
        }
        let runs = "\(Report.grouped(Self.transferred)) runs"
        section.add("sync.push.\(Self.transferred)", "git conductor push, \(runs): median of \(push.count)", Units.milliseconds(push.median), .milliseconds)
        section.add("sync.push.plain.\(Self.transferred)", "plain git push of the same ref: median of \(plainPush.count)", Units.milliseconds(plainPush.median), .milliseconds)
        section.add("sync.push.ratio", "push ÷ plain git push", push.median / plainPush.median, .ratio)
        section.add("sync.pull.\(Self.transferred)", "git conductor pull (fetch + create the branch), \(runs): median of \(pull.count)", Units.milliseconds(pull.median), .milliseconds)
        section.add("sync.fetch.plain.\(Self.transferred)", "plain git fetch of the same ref: median of \(plainFetch.count)", Units.milliseconds(plainFetch.median), .milliseconds)
        section.add("sync.pull.ratio", "pull ÷ plain git fetch", pull.median / plainFetch.median, .ratio)
    }

    private func bare(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try Git(tools: tools, directory: path)("init", "-q", "--bare")
    }

    /// Wall time of one whole `git-conductor` or `git` process, output discarded.
    private func timed(_ arguments: [String], conductor: Bool, in directory: String) throws -> UInt64 {
        let result = try ChildProcess(
            executable: conductor ? tools.conductor : tools.git, arguments: arguments, directory: directory,
            environment: tools.environment, stdout: .discard
        ).run()
        guard result.status.succeeded else {
            throw BenchError("\(conductor ? "git conductor" : "git") \(arguments.joined(separator: " ")) failed (\(result.status)): \(String(decoding: result.stderr, as: UTF8.self))")
        }
        return result.wallNanoseconds
    }
}
