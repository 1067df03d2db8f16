import ConductorDomain
import Foundation
import GitKit

/// How hard a writer tries before giving up on a contended ref: exponential backoff with
/// full jitter, so that racing processes spread out instead of colliding again in step.
public struct RetryPolicy: Sendable {
    public var maxAttempts: Int
    public var baseDelayMicroseconds: UInt32
    public var maxDelayMicroseconds: UInt32

    public init(maxAttempts: Int = 200, baseDelayMicroseconds: UInt32 = 200, maxDelayMicroseconds: UInt32 = 50_000) {
        self.maxAttempts = maxAttempts
        self.baseDelayMicroseconds = baseDelayMicroseconds
        self.maxDelayMicroseconds = maxDelayMicroseconds
    }

    /// A random pause in `0...min(max, base·2^attempt)`.
    func delay(afterAttempt attempt: Int) -> UInt32 {
        let ceiling = min(UInt64(maxDelayMicroseconds), UInt64(baseDelayMicroseconds) << UInt64(min(attempt, 20)))
        return UInt32(UInt64.random(in: 0...ceiling))
    }
}

/// Commits to one ref in-process and moves it by compare-and-swap.
///
/// Each attempt reads the current tip, asks `changes` for the path edits to make on it,
/// writes only the trees along those paths, and swaps the ref only if nobody moved it
/// meanwhile. A lost race runs `changes` again on the new tip, so edits that depend on
/// what is there (the next Lamport clock, say) are recomputed rather than replayed blindly.
struct RefWriter {
    let repository: Repository
    let ref: String
    let identity: CommitIdentity
    let retry: RetryPolicy

    /// Commits the edits `changes` returns and returns the new tip; returns the old tip
    /// unchanged when there is nothing to edit.
    @discardableResult
    func commit(
        message: String,
        time: Timestamp,
        changes: (_ tip: ObjectID?, _ root: Tree?) throws(ConductorError) -> [TreeUpdate]
    ) throws(ConductorError) -> ObjectID? {
        for attempt in 0..<retry.maxAttempts {
            let tip = try gitCall { () throws(GitError) in try repository.referenceTarget(ref) }
            let root = try tip.map { (tip) throws(ConductorError) -> Tree in
                try gitCall { () throws(GitError) in try repository.tree(repository.commit(tip).tree) }
            }
            let updates = try changes(tip, root)
            if updates.isEmpty { return tip }
            do {
                let tree = try repository.updateTree(root?.id, applying: updates)
                let signature = identity.signature(atMilliseconds: time.milliseconds)
                let commit = try repository.createCommit(
                    tree: tree, parents: tip.map { [$0] } ?? [], message: message,
                    author: signature, committer: signature
                )
                try repository.updateReference(ref, to: commit, expected: tip, logMessage: "git-conductor: \(firstLine(message))")
                return commit
            } catch where error.isConcurrentUpdate {
                usleep(retry.delay(afterAttempt: attempt))
            } catch {
                throw .git(error)
            }
        }
        throw .tooManyConcurrentWriters(ref: ref, attempts: retry.maxAttempts)
    }

    private func firstLine(_ message: String) -> String {
        String(message.split(separator: "\n", maxSplits: 1).first ?? "")
    }
}
