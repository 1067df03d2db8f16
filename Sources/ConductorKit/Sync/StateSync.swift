import ConductorDomain
import Foundation
import GitKit

/// What `git conductor pull` did.
public struct PullReport: Sendable, Equatable, Codable {
    public let remote: String
    /// The state branch's merge; nil when the remote has no state branch.
    public let state: RefMerge?
    /// The notes' merge; nil when the remote has no conductor notes.
    public let notes: RefMerge?
    /// The state history here was shallow, so its full history was fetched before merging.
    public let deepened: Bool

    public var conflicts: [SyncConflict] { state?.conflicts ?? [] }

    enum CodingKeys: String, CodingKey {
        case remote, state, notes, deepened
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(remote, forKey: .remote)
        try container.encode(state, forKey: .state)
        try container.encode(notes, forKey: .notes)
        try container.encode(deepened, forKey: .deepened)
    }
}

/// What `git conductor push` did.
public struct PushReport: Sendable, Equatable, Codable {
    public struct Ref: Sendable, Equatable, Codable {
        public let ref: String
        /// `pushed` or `up to date`.
        public let status: String
    }

    public let remote: String
    public let refs: [Ref]
    /// How many pushes it took; more than one when the remote had moved on.
    public let attempts: Int
    /// The pulls made between attempts, to merge what the remote had.
    public let pulls: [PullReport]
}

/// `git conductor sync`: a pull, then a push.
public struct SyncReport: Sendable, Equatable, Codable {
    public let pull: PullReport
    public let push: PushReport
}

/// Moves state between clones: `pull` fetches a remote's state, notes and task branches into
/// remote-tracking refs and merges state and notes in-process; `push` pushes them without
/// force, pulling and retrying after a jittered backoff (``PushRetryPolicy``) when the remote
/// moved on.
public struct StateSync {
    let repository: ConductorRepository
    let retry: RetryPolicy
    /// When `push` tries again, and when it gives up on a remote that keeps moving.
    public let pushRetry: PushRetryPolicy

    public init(repository: ConductorRepository, retry: RetryPolicy = RetryPolicy(), pushRetry: PushRetryPolicy = PushRetryPolicy()) {
        self.repository = repository
        self.retry = retry
        self.pushRetry = pushRetry
    }

    /// How many pushes `push` makes at most.
    public var maxPushAttempts: Int { pushRetry.maxAttempts }

    var transport: GitTransport { GitTransport(repository: repository) }
    var git: Repository { repository.git }

    /// The remote to use when none is named: the current branch's upstream, else `origin`.
    public func defaultRemote() throws(ConductorError) -> String {
        try transport.defaultRemote()
    }

    // MARK: pull

    /// Fetches from `remote` and merges. With `fetch` false, merges what an earlier fetch
    /// (a plain `git fetch` with init's refspecs, say) left in the remote-tracking refs.
    public func pull(from remote: String, fetch: Bool = true) throws(ConductorError) -> PullReport {
        try pull(from: remote, fetch: fetch, taskBranches: true)
    }

    /// `pull`; with `taskBranches` false only the state and the notes are fetched, which is
    /// all a push that was refused needs to merge before it tries again.
    private func pull(from remote: String, fetch: Bool, taskBranches: Bool) throws(ConductorError) -> PullReport {
        let transport = transport
        try transport.requireRemote(remote)
        if fetch {
            let refspecs = taskBranches ? GitTransport.fetchRefspecs(remote) : RepositorySetup.fetchRefspecs(remote: remote)
            try transport.fetch(remote, refspecs: refspecs)
        }
        var deepened = false
        if fetch, try needsDeepening(remote) {
            // Only the state and notes are deepened; the user's shallow branches stay shallow.
            try transport.fetch(remote, refspecs: RepositorySetup.fetchRefspecs(remote: remote), depth: Self.fullDepth)
            deepened = true
        }
        let stateTip = try reference(GitTransport.trackingState(remote))
        let notesTip = try reference(GitTransport.trackingNotes(remote))
        let state = try stateTip.map { (tip) throws(ConductorError) in try StateMerger(repository: repository, retry: retry).merge(remoteTip: tip, from: remote) }
        let notes = try notesTip.map { (tip) throws(ConductorError) in try NotesMerger(repository: repository, retry: retry).merge(remoteTip: tip, from: remote) }
        return PullReport(remote: remote, state: state, notes: notes, deepened: deepened)
    }

    /// "All of it", without `--unshallow`, which would also unshallow the user's branches.
    static let fullDepth = 1_000_000_000

    /// Whether a merge is coming whose ancestry this clone lacks: the repository is shallow
    /// and the history of a state or notes tip that must be merged reaches a shallow commit.
    /// Reading (`log`, a fast-forward, a first pull) needs only the tips, so a shallow clone
    /// deepens only when it has to.
    func needsDeepening(_ remote: String) throws(ConductorError) -> Bool {
        let roots = shallowRoots()
        guard !roots.isEmpty else { return false }
        for (local, tracking) in [(StateLayout.branch, GitTransport.trackingState(remote)), (NotesStore.ref, GitTransport.trackingNotes(remote))] {
            guard let mine = try reference(local), let theirs = try reference(tracking), mine != theirs else { continue }
            for tip in [mine, theirs] where reachesShallowCommit(from: tip, roots: roots) {
                return true
            }
        }
        return false
    }

    /// The commits `.git/shallow` lists: where this clone's history was cut.
    func shallowRoots() -> Set<ObjectID> {
        guard let data = FileManager.default.contents(atPath: git.commonDirectory + "shallow") else { return [] }
        return Set(String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).compactMap { ObjectID(hex: String($0)) })
    }

    private func reachesShallowCommit(from tip: ObjectID, roots: Set<ObjectID>) -> Bool {
        do {
            return try git.walkCommits(from: tip).contains { roots.contains($0) }
        } catch {
            // A parent that is not there: the history is cut below this tip.
            return true
        }
    }

    // MARK: push

    public func push(to remote: String, runs: [String] = []) throws(ConductorError) -> PushReport {
        let transport = transport
        try transport.requireRemote(remote)
        let snapshot = try repository.requireStateSnapshot()
        _ = try snapshot.format()
        let branches = try taskBranches(of: runs, in: snapshot)
        var pulls: [PullReport] = []
        var lastRejection = ""
        let started = ContinuousClock.now
        var attempt = 0
        while true {
            attempt += 1
            var pushed: [String: ObjectID] = [:]
            var refspecs: [String] = []
            for ref in [StateLayout.branch, NotesStore.ref] + branches.map({ "refs/heads/\($0)" }) {
                guard let tip = try reference(ref) else { continue }
                pushed[ref] = tip
                refspecs.append("\(ref):\(ref)")
            }
            let (refs, message) = try transport.push(remote, refspecs: refspecs)
            let rejected = refs.filter { $0.rejection != nil }
            if rejected.isEmpty {
                if refs.count < refspecs.count {
                    let detail = "git push reported \(refs.count) of \(refspecs.count) refs" + (message.isEmpty ? "" : "; the remote said: \(message)")
                    throw .syncRejected(remote: remote, refs: refspecs.map { String($0.split(separator: ":")[0]) }, detail: detail)
                }
                try updateTracking(remote, pushed: pushed)
                let report = refs.map { PushReport.Ref(ref: $0.destination, status: $0.status == .upToDate ? "up to date" : "pushed") }
                return PushReport(remote: remote, refs: report, attempts: attempt, pulls: pulls)
            }
            let detail = rejected.map { "\($0.destination) \($0.rejection ?? "")" }.joined(separator: "; ")
                + (message.isEmpty ? "" : "; the remote said: \(message)")
            let taskRejected = rejected.filter { $0.destination != StateLayout.branch && $0.destination != NotesStore.ref }
            if !taskRejected.isEmpty {
                // A task branch is code: it is never merged automatically, and never forced.
                throw .syncRejected(remote: remote, refs: taskRejected.map(\.destination), detail: detail)
            }
            guard rejected.allSatisfy({ GitTransport.isRetryable($0.rejection ?? "") }) else {
                throw .syncRejected(remote: remote, refs: rejected.map(\.destination), detail: detail)
            }
            lastRejection = detail
            // Another clone won this round (or is writing right now). Wait a random while
            // before fetching, so that the clones that lost together do not collide again.
            let elapsed = Self.seconds(ContinuousClock.now - started)
            guard let wait = pushRetry.delay(afterAttempt: attempt, elapsed: elapsed, unitRandom: Double.random(in: 0..<1)) else { break }
            usleep(UInt32(wait * 1_000_000))
            pulls.append(try pull(from: remote, fetch: true, taskBranches: false))
        }
        let elapsed = Self.seconds(ContinuousClock.now - started)
        throw .syncRejected(
            remote: remote, refs: [StateLayout.branch, NotesStore.ref],
            detail: "still rejected after \(attempt) attempt\(attempt == 1 ? "" : "s") in \(Int(elapsed.rounded())) s, each after merging what the remote had (\(lastRejection))"
        )
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// `pull`, then `push`.
    public func sync(with remote: String, runs: [String] = []) throws(ConductorError) -> SyncReport {
        let pulled = try pull(from: remote)
        return SyncReport(pull: pulled, push: try push(to: remote, runs: runs))
    }

    /// The local task branches of the runs named on the command line.
    private func taskBranches(of runs: [String], in snapshot: StateSnapshot) throws(ConductorError) -> [String] {
        var branches: [String] = []
        for text in runs {
            let id = try snapshot.resolve(text)
            guard let record = try snapshot.history(of: id).record else {
                throw .runNotResumable(id, detail: "its run.json cannot be read, so its task branch is unknown")
            }
            let branch = try WorktreeManager.taskBranch(of: record).rawValue
            guard try gitCall({ () throws(GitError) in try git.branchExists(branch) }) else { throw .taskBranchMissing(branch) }
            if !branches.contains(branch) { branches.append(branch) }
        }
        return branches
    }

    /// After a push, the remote-tracking refs say what the remote now has (git does this
    /// itself only when init's fetch refspecs are configured).
    private func updateTracking(_ remote: String, pushed: [String: ObjectID]) throws(ConductorError) {
        let tracking = [StateLayout.branch: GitTransport.trackingState(remote), NotesStore.ref: GitTransport.trackingNotes(remote)]
        for (ref, tip) in pushed {
            let name = tracking[ref] ?? GitTransport.trackingBranch(remote, String(ref.dropFirst("refs/heads/".count)))
            let current = try reference(name)
            if current == tip { continue }
            // A concurrent fetch may have moved it; it then knows better.
            try? git.updateReference(name, to: tip, expected: current, logMessage: "git-conductor push: \(ref) to \(remote)")
        }
    }

    private func reference(_ name: String) throws(ConductorError) -> ObjectID? {
        try gitCall { () throws(GitError) in try git.referenceTarget(name) }
    }
}
