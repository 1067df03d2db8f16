import ConductorDomain
import Foundation
import GitKit

/// What merging a remote's version of a ref into the local one did.
public struct RefMerge: Sendable, Equatable, Codable {
    public enum Action: String, Sendable, Codable {
        /// The local ref already contains the remote's commits.
        case upToDate = "up to date"
        /// The local ref did not exist; it now points at the remote's commit.
        case created
        /// The local ref was an ancestor of the remote's and moved forward.
        case fastForward = "fast-forward"
        /// Both had commits the other lacked: a two-parent merge commit.
        case merged
    }

    public let ref: String
    public let action: Action
    public let before: ObjectID?
    public let after: ObjectID
    /// State only: the runs the remote brought that were new or different here.
    public let runsReceived: [RunID]
    /// State only: paths both sides wrote differently, each kept twice.
    public let conflicts: [SyncConflict]

    enum CodingKeys: String, CodingKey {
        case ref, action, before, after, conflicts
        case runsReceived = "runs_received"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(ref, forKey: .ref)
        try container.encode(action, forKey: .action)
        try container.encode(before, forKey: .before)
        try container.encode(after, forKey: .after)
        try container.encode(runsReceived, forKey: .runsReceived)
        try container.encode(conflicts, forKey: .conflicts)
    }
}

/// Merges a fetched state branch (`refs/conductor/remotes/<remote>/state`) into the local
/// `orchestrator-state`, in-process: a fast-forward when possible, otherwise a two-parent
/// merge commit whose tree is the union of both (``TreeUnion``). A path written differently
/// on both sides is kept twice and a `sync_conflict` event is recorded on its run in the
/// merge commit itself, with a Lamport clock past every event of the run on either side.
///
/// The local ref moves by compare-and-swap; if a local writer moved it meanwhile the merge is
/// made again on the new tip. Nothing is ever forced.
struct StateMerger {
    let repository: ConductorRepository
    let retry: RetryPolicy

    var git: Repository { repository.git }

    func merge(remoteTip: ObjectID, from remote: String) throws(ConductorError) -> RefMerge {
        // A branch in a format this version does not know is refused before anything moves.
        let remoteRoot = try gitCall { () throws(GitError) in try git.tree(git.commit(remoteTip).tree) }
        _ = try StateSnapshot.readFormat(remoteRoot, repository: git)
        for attempt in 0..<retry.maxAttempts {
            let local = try gitCall { () throws(GitError) in try git.referenceTarget(StateLayout.branch) }
            do {
                return try mergeOnce(local: local, remote: remoteTip, from: remote)
            } catch .git(let cause) where cause.isConcurrentUpdate {
                usleep(retry.delay(afterAttempt: attempt))
            }
        }
        throw .tooManyConcurrentWriters(ref: StateLayout.branch, attempts: retry.maxAttempts)
    }

    private func mergeOnce(local: ObjectID?, remote: ObjectID, from name: String) throws(ConductorError) -> RefMerge {
        if let moved = try gitCall({ () throws(GitError) in try withoutMerge(local: local, remote: remote, from: name) }) { return moved }
        guard let local else { throw .internalInconsistency("a missing state branch must have been created") }
        // Only a real merge writes as this clone: conflict copies and events carry its id.
        let machine = try repository.machineID()
        return try gitCall { () throws(GitError) in try merge(local: local, remote: remote, from: name, machine: machine) }
    }

    /// Creating the branch, finding it up to date, or fast-forwarding it; nil when a merge
    /// commit is needed.
    private func withoutMerge(local: ObjectID?, remote: ObjectID, from name: String) throws(GitError) -> RefMerge? {
        let ref = StateLayout.branch
        guard let local else {
            try git.updateReference(ref, to: remote, expected: nil, logMessage: "git-conductor pull: state from \(name)")
            return RefMerge(ref: ref, action: .created, before: nil, after: remote, runsReceived: try RunChanges.between(nil, and: remote, in: git).all, conflicts: [])
        }
        if try git.isAncestor(remote, of: local) {
            return RefMerge(ref: ref, action: .upToDate, before: local, after: local, runsReceived: [], conflicts: [])
        }
        if try git.isAncestor(local, of: remote) {
            try git.updateReference(ref, to: remote, expected: local, logMessage: "git-conductor pull: fast-forward state from \(name)")
            return RefMerge(ref: ref, action: .fastForward, before: local, after: remote, runsReceived: try RunChanges.between(local, and: remote, in: git).all, conflicts: [])
        }
        return nil
    }

    private func merge(local: ObjectID, remote: ObjectID, from name: String, machine: MachineID) throws(GitError) -> RefMerge {
        let ref = StateLayout.branch
        let base = try git.mergeBase(local, remote)
        let received = try RunChanges.between(base, and: remote, in: git)
        var union = TreeUnion(repository: git, machine: machine)
        let baseTree = try base.map { (id) throws(GitError) in try git.commit(id).tree }
        var tree = try union.merge(base: baseTree, ours: git.commit(local).tree, theirs: git.commit(remote).tree)
        tree = try recordConflicts(union.conflicts, in: tree, machine: machine)
        let time = repository.clock.now()
        let signature = repository.identity.signature(atMilliseconds: time.milliseconds)
        let message = Self.message(from: name, received: received, conflicts: union.conflicts)
        let commit = try git.createCommit(tree: tree, parents: [local, remote], message: message, author: signature, committer: signature)
        try git.updateReference(ref, to: commit, expected: local, logMessage: "git-conductor pull: merge state from \(name)")
        return RefMerge(ref: ref, action: .merged, before: local, after: commit, runsReceived: received.all, conflicts: union.conflicts)
    }

    /// Adds one `sync_conflict` event per conflict to its run, stamped after the newest event
    /// of the run in the merged tree, so it orders after everything either side wrote.
    private func recordConflicts(_ conflicts: [SyncConflict], in tree: ObjectID, machine: MachineID) throws(GitError) -> ObjectID {
        let byRun = Dictionary(grouping: conflicts.filter { $0.run != nil }, by: { $0.run! })
        guard !byRun.isEmpty else { return tree }
        let root = try git.tree(tree)
        let time = repository.clock.now()
        var updates: [TreeUpdate] = []
        for (run, found) in byRun.sorted(by: { $0.key < $1.key }) {
            guard let directory = try root.entry(atPath: StateLayout.runDirectory(run)), directory.kind == .tree else { continue }
            let clock = EventStamp.nextClock(after: try Self.stamps(in: git.tree(directory.id), repository: git))
            for (sequence, conflict) in found.enumerated() {
                let event = Event(
                    stamp: EventStamp(clock: clock, machine: machine, sequence: sequence), time: time,
                    payload: .syncConflict(path: conflict.path, keptAs: conflict.keptAs)
                )
                let blob = try git.writeBlob(StateCoding.line(event))
                updates.append(.upsertBlob(path: StateLayout.event(run, event.stamp), id: blob))
            }
        }
        return try git.updateTree(tree, applying: updates)
    }

    /// Every event stamp in a run directory, from file names (conflict copies are skipped:
    /// their original is there with the same stamp).
    static func stamps(in runTree: Tree, repository: Repository) throws(GitError) -> [EventStamp] {
        guard let events = runTree.entry(named: "events"), events.kind == .tree else { return [] }
        return try repository.tree(events.id).entries.compactMap { EventStamp(fileName: $0.name) }
    }

    static func message(from remote: String, received: RunChanges, conflicts: [SyncConflict]) -> String {
        var subject = "Merge state from \(remote): \(received.added.count) new run\(received.added.count == 1 ? "" : "s"), \(received.changed.count) updated"
        if !conflicts.isEmpty {
            subject += ", \(conflicts.count) conflicting path\(conflicts.count == 1 ? "" : "s") kept twice"
        }
        var paragraphs = [subject]
        if !conflicts.isEmpty {
            paragraphs.append(conflicts.map { "Kept both copies of \($0.path); this clone's is \($0.keptAs)" }.joined(separator: "\n"))
        }
        var seen = Set<RunID>()
        var runs: [RunID] = []
        for id in conflicts.compactMap(\.run) + received.all where runs.count < 20 && seen.insert(id).inserted {
            runs.append(id)
        }
        if !runs.isEmpty { paragraphs.append(runs.map { "Conductor-Run: \($0)" }.joined(separator: "\n")) }
        return paragraphs.joined(separator: "\n\n") + "\n"
    }
}
