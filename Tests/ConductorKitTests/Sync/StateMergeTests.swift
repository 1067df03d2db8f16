import ConductorDomain
@testable import ConductorKit
import ConductorTesting
import Foundation
import GitKit
import Testing

/// The in-process merges behind `git conductor pull`: the three-way tree union, conflict
/// copies, Lamport clocks after a merge, and notes merged like git's cat_sort_uniq.
@Suite("State and notes merge")
struct StateMergeTests {
    static let machine = MachineID("k3xq9d0vbn")!

    /// A tree holding `files` (path → contents), written in-process.
    static func tree(_ files: [String: String], in git: Repository) throws -> ObjectID {
        let updates = try files.sorted { $0.key < $1.key }.map { path, contents in
            TreeUpdate.upsertBlob(path: path, id: try git.writeBlob(Array(contents.utf8)))
        }
        return try git.updateTree(nil, applying: updates)
    }

    /// Every file of a tree, path → contents.
    static func files(_ tree: ObjectID, in git: Repository, prefix: String = "") throws -> [String: String] {
        var found: [String: String] = [:]
        for entry in try git.tree(tree).entries {
            if entry.kind == .tree {
                found.merge(try files(entry.id, in: git, prefix: prefix + entry.name + "/")) { first, _ in first }
            } else {
                found[prefix + entry.name] = String(decoding: try git.readBlob(entry.id), as: UTF8.self)
            }
        }
        return found
    }

    @Test("a path one side changed takes that side; a path both changed is kept twice; every added path is kept")
    func threeWayUnion() throws {
        let fixture = try GitFixture()
        let git = try fixture.conductor().git
        let base = try Self.tree(["a.json": "1", "dir/x.json": "x", "same": "s"], in: git)
        let ours = try Self.tree(["a.json": "1", "dir/x.json": "x2", "same": "s", "both": "ours", "mine.md": "m"], in: git)
        let theirs = try Self.tree(["a.json": "2", "dir/x.json": "x", "dir/y.json": "y", "same": "s", "both": "theirs"], in: git)
        var union = TreeUnion(repository: git, machine: Self.machine)
        let merged = try union.merge(base: base, ours: ours, theirs: theirs)
        #expect(try Self.files(merged, in: git) == [
            "a.json": "2", "dir/x.json": "x2", "dir/y.json": "y", "same": "s", "mine.md": "m",
            "both": "theirs", "both.conflict-k3xq9d0vbn": "ours",
        ])
        #expect(union.conflicts == [SyncConflict(path: "both", keptAs: "both.conflict-k3xq9d0vbn", run: nil)])
        // Merging the result again with either side changes nothing.
        var again = TreeUnion(repository: git, machine: Self.machine)
        #expect(try again.merge(base: theirs, ours: merged, theirs: theirs) == merged)
        #expect(again.conflicts.isEmpty)
    }

    @Test("without a common ancestor (two orphan starts) the union keeps both sides; only differing paths conflict")
    func unrelatedHistories() throws {
        let fixture = try GitFixture()
        let git = try fixture.conductor().git
        let ours = try Self.tree(["format.json": "f", "runs/s/r/one/run.json": "1"], in: git)
        let theirs = try Self.tree(["format.json": "f", "runs/s/r/two/run.json": "2"], in: git)
        var union = TreeUnion(repository: git, machine: Self.machine)
        let merged = try union.merge(base: nil, ours: ours, theirs: theirs)
        #expect(try Self.files(merged, in: git) == ["format.json": "f", "runs/s/r/one/run.json": "1", "runs/s/r/two/run.json": "2"])
        #expect(union.conflicts.isEmpty)
    }

    @Test("a conflict copy never overwrites: a taken name gets a counter, and the run is named")
    func conflictNames() throws {
        #expect(TreeUnion.conflictName("000000000002-k3-0000.json", machine: Self.machine, attempt: 1) == "000000000002-k3-0000.conflict-k3xq9d0vbn.json")
        #expect(TreeUnion.conflictName("plan.md", machine: Self.machine, attempt: 2) == "plan.conflict-k3xq9d0vbn-2.md")
        #expect(TreeUnion.conflictName(".hidden", machine: Self.machine, attempt: 1) == ".hidden.conflict-k3xq9d0vbn")
        let fixture = try GitFixture()
        let git = try fixture.conductor().git
        let ours = try Self.tree(["p.md": "ours"], in: git)
        let theirs = try Self.tree(["p.md": "theirs", "p.conflict-k3xq9d0vbn.md": "older copy"], in: git)
        var union = TreeUnion(repository: git, machine: Self.machine)
        let merged = try union.merge(base: nil, ours: ours, theirs: theirs)
        #expect(try Self.files(merged, in: git) == ["p.md": "theirs", "p.conflict-k3xq9d0vbn.md": "older copy", "p.conflict-k3xq9d0vbn-2.md": "ours"])
        let id = "01m89rxacf84z7zq0c5qshya53"
        #expect(TreeUnion.run(containing: "runs/3/5/\(id)/events/x.json") == RunID(id))
        #expect(TreeUnion.run(containing: "context/product.md") == nil)
    }

    @Test("events written after a merge order after every event merged, from either side")
    func lamportAfterMerge() throws {
        let fixture = try GitFixture()
        let repository = try fixture.conductor()
        let mine = GitStateStore(repository: repository, machine: MachineID("bbbb")!, retry: RetryPolicy())
        let other = GitStateStore(repository: repository, machine: MachineID("aaaa")!, retry: RetryPolicy())
        try mine.initialize()
        let record = mine.freshRecord()
        try mine.createRun(record, events: [transition(nil, .precheck)])
        let start = try #require(try repository.git.referenceTarget(stateBranch))
        // The other clone's history: three more events.
        for number in 1...3 { try other.append([.iterationStarted(number: number)], to: record.id) }
        let theirs = try #require(try repository.git.referenceTarget(stateBranch))
        try repository.git.updateReference(stateBranch, to: start, expected: theirs, logMessage: "test: rewind")
        try mine.append([.iterationStarted(number: 1)], to: record.id)

        let merge = try StateMerger(repository: repository, retry: RetryPolicy()).merge(remoteTip: theirs, from: "origin")
        #expect(merge.action == .merged && merge.conflicts.isEmpty)
        #expect(merge.runsReceived == [record.id])
        let next = try mine.append([.steering(.message, text: "after the merge")], to: record.id)
        #expect(next.map(\.stamp.clock) == [5], "one past clock 4, the other side's newest")
        let stamps = try repository.requireStateSnapshot().history(of: record.id).events.map(\.stamp.fileName)
        #expect(stamps == [
            "000000000001-bbbb-0000.json", "000000000002-aaaa-0000.json", "000000000002-bbbb-0000.json",
            "000000000003-aaaa-0000.json", "000000000004-aaaa-0000.json", "000000000005-bbbb-0000.json",
        ])
        let parents = try repository.git.commit(merge.after).parents
        #expect(parents.count == 2)
        _ = try fixture.fsck()
    }

    @Test("notes: a note both sides changed becomes the sorted, deduplicated union of lines, as git's cat_sort_uniq")
    func catSortUniq() {
        let merged = NotesMerger.catSortUniq(Array("State: FAILED\nConductor-Run: b\n\n".utf8), Array("Conductor-Run: b\nBIST: pass\n".utf8))
        #expect(String(decoding: merged, as: UTF8.self) == "BIST: pass\nConductor-Run: b\nState: FAILED\n")
        #expect(NotesMerger.catSortUniq([], []).isEmpty)
        // Bytewise, as git's strcmp: upper case before lower case.
        #expect(String(decoding: NotesMerger.catSortUniq(Array("b\n".utf8), Array("B\na".utf8)), as: UTF8.self) == "B\na\nb\n")
    }
}
