import ConductorTesting
import Foundation
import GitKit
import Testing

@Suite("Merge base, distance and tree building")
struct MergeBaseTests {
    @Test("merge base and ahead/behind agree with git merge-base and rev-list --count")
    func mergeBaseAndDistance() throws {
        let fixture = try GitFixture()
        let base = try fixture.revParse("HEAD")
        try fixture.git("checkout", "-q", "-b", "side")
        let side = try fixture.commit("side 1")
        _ = try fixture.commit("side 2")
        let sideTip = try fixture.revParse("HEAD")
        try fixture.git("checkout", "-q", "main")
        let mainTip = try fixture.commit("main 1")
        let git = try fixture.open()
        let expected = try fixture.git("merge-base", mainTip, sideTip).output
        #expect(try git.mergeBase(oid(mainTip), oid(sideTip))?.hex == expected)
        #expect(expected == base)
        #expect(try git.mergeBase(oid(side), oid(side))?.hex == side)
        let distance = try git.distance(from: oid(mainTip), to: oid(sideTip))
        #expect(distance == CommitDistance(ahead: 1, behind: 2))
        // Two orphan histories share nothing.
        try fixture.git("checkout", "-q", "--orphan", "other")
        let orphan = try fixture.commit("orphan")
        #expect(try git.mergeBase(oid(orphan), oid(mainTip)) == nil)
    }

    @Test("a tree written entry by entry keeps names, ids and modes, as git ls-tree shows them")
    func treeBuilder() throws {
        let fixture = try GitFixture()
        try fixture.write("run.sh", "#!/bin/sh\n")
        try fixture.git("update-index", "--add", "--chmod=+x", "run.sh")
        try fixture.git("commit", "-q", "-m", "executable")
        let git = try fixture.open()
        let root = try git.tree(oid(fixture.revParse("HEAD^{tree}")))
        let entries = root.modedEntries
        #expect(entries.map(\.name) == ["README.md", "run.sh"])
        #expect(entries.map(\.mode) == [0o100644, 0o100755])
        let rebuilt = try git.writeTree(entries.reversed())
        #expect(rebuilt == root.id)
        let renamed = try git.writeTree([entries[0].renamed("OTHER.md")])
        #expect(try fixture.git("ls-tree", renamed.hex).output.hasSuffix("\tOTHER.md"))
    }
}
