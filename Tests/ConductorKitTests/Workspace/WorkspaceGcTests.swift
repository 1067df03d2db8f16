import ConductorDomain
import ConductorKit
import ConductorTesting
import Foundation
import GitKit
import Testing

@Suite("Run workspace gc")
struct WorkspaceGcTests {
    /// A repository with runs in every situation gc distinguishes, plus the user's own worktrees.
    final class Scene {
        let fixture: GitFixture
        let repository: ConductorRepository
        let manager: WorktreeManager
        let complete, failed, cancelled, building, staleFinished, staleActive, locked, stray, unknown: RunRecord
        let userWorktree: String
        let userStaleWorktree: String
        let scratch: TemporaryDirectory

        init() throws {
            fixture = try GitFixture()
            let (repository, store) = try fixture.initializedStore()
            self.repository = repository
            manager = WorktreeManager(repository: repository)
            complete = try fixture.workspaceRun(store, prompt: "complete", state: .complete)
            failed = try fixture.workspaceRun(store, prompt: "failed", state: .failed)
            cancelled = try fixture.workspaceRun(store, prompt: "cancelled", state: .cancelled)
            building = try fixture.workspaceRun(store, prompt: "building", state: .building)
            staleFinished = try fixture.workspaceRun(store, prompt: "stale finished", state: .complete)
            staleActive = try fixture.workspaceRun(store, prompt: "stale active", state: .verifying)
            locked = try fixture.workspaceRun(store, prompt: "locked", state: .complete)
            stray = try fixture.workspaceRun(store, prompt: "stray", state: .failed)
            // A run this state branch does not know: another clone's, say.
            unknown = try fixture.workspaceRecord(store, prompt: "unknown")
            for record in [complete, failed, cancelled, building, staleFinished, staleActive, locked, unknown] {
                _ = try manager.create(for: record)
            }
            try FileManager.default.removeItem(atPath: fixture.runWorktreePath(staleFinished.id))
            try FileManager.default.removeItem(atPath: fixture.runWorktreePath(staleActive.id))
            try fixture.git("worktree", "lock", "--reason", "keep for the demo", fixture.runWorktreePath(locked.id))
            // A directory named like a finished run, with no worktree record.
            try writeFile(fixture.runWorktreePath(stray.id), "leftover.txt", "x\n")

            scratch = try TemporaryDirectory(prefix: "conductor-user-worktrees")
            userWorktree = scratch.appending("mine")
            userStaleWorktree = scratch.appending("gone")
            try fixture.git("worktree", "add", "-q", "-b", "mine", userWorktree)
            try fixture.git("worktree", "add", "-q", "-b", "gone", userStaleWorktree)
            try FileManager.default.removeItem(atPath: userStaleWorktree)
        }

        func path(_ record: RunRecord) -> String { fixture.runWorktreePath(record.id) }

        /// Every path `git worktree list` shows, with its flags, and every directory under
        /// `.git/conductor/worktrees` and `.git/worktrees`: what a dry run must not change.
        func picture() throws -> [String] {
            let listed = try fixture.git("worktree", "list", "--porcelain").lines
            let ours = try FileManager.default.contentsOfDirectory(atPath: fixture.gitDirectory + "/conductor/worktrees").sorted()
            let records = try FileManager.default.contentsOfDirectory(atPath: fixture.gitDirectory + "/worktrees").sorted()
            return listed + ["--"] + ours + ["--"] + records
        }
    }

    @Test("a dry run decides everything and changes nothing")
    func dryRun() throws {
        let scene = try Scene()
        let before = try scene.picture()
        let cleanup = try scene.manager.gc(stateOf: scene.repository.stateSnapshot(), dryRun: true)
        #expect(cleanup.dryRun)
        #expect(try scene.picture() == before)
        let decisions = Dictionary(uniqueKeysWithValues: cleanup.items.map { ($0.run, $0.decision) })
        #expect(decisions == [
            scene.complete.id: .remove,
            scene.failed.id: .remove,
            scene.cancelled.id: .remove,
            scene.building.id: .keep(.active(.building)),
            scene.staleFinished.id: .prune,
            scene.staleActive.id: .prune,
            scene.locked.id: .keep(.locked("keep for the demo")),
            scene.stray.id: .deleteDirectory,
            scene.unknown.id: .keep(.unknownRun),
        ])
        #expect(cleanup.items.map(\.run) == cleanup.items.map(\.run).sorted())
        #expect(Set(cleanup.removed.map(\.run)) == [scene.complete.id, scene.failed.id, scene.cancelled.id, scene.stray.id])
        #expect(Set(cleanup.pruned.map(\.run)) == [scene.staleFinished.id, scene.staleActive.id])
        #expect(Set(cleanup.kept.map(\.run)) == [scene.building.id, scene.locked.id, scene.unknown.id])
        #expect(cleanup.items.first { $0.run == scene.complete.id }?.progress == .finished(.complete))
        #expect(cleanup.items.first { $0.run == scene.complete.id }?.path == scene.path(scene.complete))
    }

    @Test("gc removes finished runs' worktrees, prunes stale records, and keeps the rest")
    func gc() throws {
        let scene = try Scene()
        let fixture = scene.fixture
        let branchesBefore = try fixture.git("for-each-ref", "--format=%(refname) %(objectname)", "refs/heads/").stdout
        let cleanup = try scene.manager.gc(stateOf: scene.repository.stateSnapshot())
        #expect(!cleanup.dryRun)
        #expect(cleanup.removed.count == 4)
        #expect(cleanup.pruned.count == 2)
        #expect(cleanup.kept.count == 3)

        for gone in [scene.complete, scene.failed, scene.cancelled, scene.stray, scene.staleFinished, scene.staleActive] {
            #expect(!FileManager.default.fileExists(atPath: scene.path(gone)), "\(gone.prompt)")
            #expect(try fixture.listedWorktree(at: scene.path(gone)) == nil, "\(gone.prompt)")
            #expect(!FileManager.default.fileExists(atPath: fixture.gitDirectory + "/worktrees/\(gone.id)"), "\(gone.prompt)")
        }
        for kept in [scene.building, scene.locked, scene.unknown] {
            #expect(FileManager.default.fileExists(atPath: scene.path(kept) + "/README.md"), "\(kept.prompt)")
            #expect(try fixture.listedWorktree(at: scene.path(kept))?["branch"] == "refs/heads/\(kept.taskBranch)", "\(kept.prompt)")
        }
        // The user's worktrees, the live one and the stale one, are not the conductor's business.
        #expect(try fixture.listedWorktree(at: scene.userWorktree)?["branch"] == "refs/heads/mine")
        #expect(try fixture.listedWorktree(at: scene.userStaleWorktree)?["prunable"] != nil)
        // Every branch stays where it was.
        #expect(try fixture.git("for-each-ref", "--format=%(refname) %(objectname)", "refs/heads/").stdout == branchesBefore)
        try fixture.fsck()

        // A second gc has nothing left to do but keep.
        let again = try scene.manager.gc(stateOf: scene.repository.stateSnapshot())
        #expect(again.removed.isEmpty && again.pruned.isEmpty)
        #expect(Set(again.kept.map(\.run)) == [scene.building.id, scene.locked.id, scene.unknown.id])
    }

    @Test("gc takes each run's progress from the caller")
    func explicitProgress() throws {
        let scene = try Scene()
        // Everything counts as running: only stale records go.
        let cleanup = try scene.manager.gc { _ in .active(.building) }
        #expect(Set(cleanup.pruned.map(\.run)) == [scene.staleFinished.id, scene.staleActive.id])
        #expect(cleanup.removed.isEmpty)
        #expect(FileManager.default.fileExists(atPath: scene.path(scene.complete)))
        #expect(FileManager.default.fileExists(atPath: scene.path(scene.stray)))
    }

    @Test("without a state branch no run is known: only stale records are pruned")
    func noStateBranch() throws {
        let fixture = try GitFixture()
        let repository = try fixture.conductor()
        let store = try repository.stateStore()
        let manager = WorktreeManager(repository: repository)
        let live = try manager.create(for: try fixture.workspaceRecord(store, prompt: "live"))
        let stale = try manager.create(for: try fixture.workspaceRecord(store, prompt: "stale"))
        try FileManager.default.removeItem(atPath: stale.path)
        #expect(try repository.stateSnapshot() == nil)
        let cleanup = try manager.gc(stateOf: nil)
        #expect(cleanup.pruned.map(\.run) == [stale.run])
        #expect(cleanup.kept.map(\.run) == [live.run])
        #expect(cleanup.kept.first?.decision == .keep(.unknownRun))
        #expect(try fixture.porcelainWorktrees().count == 2)
        try fixture.fsck()
    }

    @Test("with no worktrees at all, gc finds nothing and creates nothing")
    func empty() throws {
        let fixture = try GitFixture()
        let (repository, _) = try fixture.initializedStore()
        let cleanup = try WorktreeManager(repository: repository).gc(stateOf: repository.stateSnapshot())
        #expect(cleanup.items.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: fixture.gitDirectory + "/conductor/worktrees"))
        #expect(!FileManager.default.fileExists(atPath: fixture.gitDirectory + "/worktrees"))
    }
}
