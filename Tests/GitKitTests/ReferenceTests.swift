import ConductorTesting
import Foundation
import GitKit
import Testing

@Suite("References and history")
struct ReferenceTests {
    /// A commit on top of `parent` (or a root commit), made in-process.
    static func commit(_ repository: Repository, _ message: String, parents: [ObjectID] = []) throws -> ObjectID {
        let blob = try repository.writeBlob(Array(message.utf8))
        let tree = try repository.updateTree(nil, applying: [.upsertBlob(path: "file", id: blob)])
        return try repository.createCommit(tree: tree, parents: parents, message: message + "\n", author: testSignature, committer: testSignature)
    }

    @Test("referenceTarget resolves branches and HEAD, and is nil for missing refs")
    func resolve() throws {
        let fixture = try GitFixture()
        let repository = try fixture.open()
        let head = try fixture.revParse("HEAD")
        #expect(try repository.referenceTarget("HEAD")?.hex == head)
        #expect(try repository.referenceTarget("refs/heads/main")?.hex == head)
        #expect(try repository.referenceTarget("refs/heads/nope") == nil)
    }

    @Test("creating a ref with expected nil works when it does not exist, and git sees it")
    func createNew() throws {
        let fixture = try GitFixture()
        let repository = try fixture.open()
        let commit = try Self.commit(repository, "first")
        try repository.updateReference("refs/heads/orchestrator-state", to: commit, expected: nil, logMessage: "create")
        #expect(try fixture.revParse("refs/heads/orchestrator-state") == commit.hex)
        #expect(try fixture.git("reflog", "show", "--format=%gs", "refs/heads/orchestrator-state").output == "create")
    }

    @Test("compare-and-swap moves the ref only from the expected commit")
    func compareAndSwap() throws {
        let fixture = try GitFixture()
        let repository = try fixture.open()
        let first = try Self.commit(repository, "first")
        let second = try Self.commit(repository, "second", parents: [first])
        let third = try Self.commit(repository, "third", parents: [second])
        let ref = "refs/heads/state"
        try repository.updateReference(ref, to: first, expected: nil, logMessage: "create")

        // Right expectation: moves.
        try repository.updateReference(ref, to: second, expected: first, logMessage: "advance")
        #expect(try fixture.revParse(ref) == second.hex)

        // Stale expectation: refused as a concurrent update, ref unchanged.
        let stale = expectGitError { try repository.updateReference(ref, to: third, expected: first, logMessage: "stale") }
        #expect(stale?.isConcurrentUpdate == true)
        #expect(try fixture.revParse(ref) == second.hex)

        // Expecting absence when it exists: refused too.
        let exists = expectGitError { try repository.updateReference(ref, to: third, expected: nil, logMessage: "create again") }
        #expect(exists?.isConcurrentUpdate == true)
        #expect(try fixture.revParse(ref) == second.hex)

        try fixture.fsck()
    }

    @Test("a ref git moved behind our back makes our swap fail")
    func swapAfterExternalMove() throws {
        let fixture = try GitFixture()
        let repository = try fixture.open()
        let first = try Self.commit(repository, "first")
        let second = try Self.commit(repository, "second", parents: [first])
        try repository.updateReference("refs/heads/state", to: first, expected: nil, logMessage: "create")
        let head = try fixture.revParse("HEAD")
        try fixture.git("update-ref", "refs/heads/state", head)
        let error = expectGitError { try repository.updateReference("refs/heads/state", to: second, expected: first, logMessage: "x") }
        #expect(error?.isConcurrentUpdate == true)
        #expect(try fixture.revParse("refs/heads/state") == head)
    }

    @Test("a swap on a packed ref works as on a loose one")
    func packedRef() throws {
        let fixture = try GitFixture()
        let repository = try fixture.open()
        let first = try Self.commit(repository, "first")
        let second = try Self.commit(repository, "second", parents: [first])
        try repository.updateReference("refs/heads/state", to: first, expected: nil, logMessage: "create")
        try fixture.git("pack-refs", "--all")
        #expect(!FileManager.default.fileExists(atPath: fixture.gitDirectory + "/refs/heads/state"))
        let error = expectGitError { try repository.updateReference("refs/heads/state", to: second, expected: second, logMessage: "x") }
        #expect(error?.isConcurrentUpdate == true)
        try repository.updateReference("refs/heads/state", to: second, expected: first, logMessage: "advance")
        #expect(try fixture.revParse("refs/heads/state") == second.hex)
    }

    @Test("an invalid ref name is a GitError, not a crash", arguments: ["refs/heads/bad..name", "refs/heads/", "refs/heads/a b", "HEAD:x"])
    func invalidRefName(name: String) throws {
        let fixture = try GitFixture()
        let repository = try fixture.open()
        let commit = try Self.commit(repository, "c")
        expectGitError { try repository.updateReference(name, to: commit, expected: nil, logMessage: "x") }
        #expect(try fixture.git("for-each-ref", "--format=%(refname)").output == "refs/heads/main")
    }

    @Test("referenceNames lists exactly the refs a glob matches")
    func referenceNames() throws {
        let fixture = try GitFixture()
        let head = try fixture.revParse("HEAD")
        for name in ["refs/heads/conductor/one-abc", "refs/heads/conductor/two-def", "refs/heads/other", "refs/notes/conductor", "refs/remotes/origin/conductor/x"] {
            try fixture.git("update-ref", name, head)
        }
        let repository = try fixture.open()
        #expect(try repository.referenceNames(matching: "refs/heads/conductor/*").sorted() == [
            "refs/heads/conductor/one-abc", "refs/heads/conductor/two-def",
        ])
        #expect(try repository.referenceNames(matching: "refs/heads/*").sorted() == [
            "refs/heads/conductor/one-abc", "refs/heads/conductor/two-def", "refs/heads/main", "refs/heads/other",
        ])
        #expect(try repository.referenceNames(matching: "refs/notes/*") == ["refs/notes/conductor"])
        #expect(try repository.referenceNames(matching: "refs/tags/*") == [])
        let gitList = try fixture.git("for-each-ref", "--format=%(refname)", "refs/heads/").output.split(separator: "\n").map(String.init)
        #expect(try repository.referenceNames(matching: "refs/heads/*").sorted() == gitList.sorted())
    }

    @Test("walkCommits goes newest first like git rev-list, and stops at the limit")
    func walk() throws {
        let fixture = try GitFixture()
        for index in 1...5 { try fixture.commit("commit \(index)", files: ["f\(index).txt": "\(index)\n"]) }
        let repository = try fixture.open()
        let head = try oid(fixture.revParse("HEAD"))
        let all = try repository.walkCommits(from: head)
        let revList = try fixture.git("rev-list", "HEAD").output.split(separator: "\n").map(String.init)
        #expect(all.map(\.hex) == revList)
        #expect(all.count == 6)
        #expect(try repository.walkCommits(from: head, limit: 2).map(\.hex) == Array(revList.prefix(2)))
        #expect(try repository.walkCommits(from: head, limit: 0) == [])
        #expect(try repository.walkCommits(from: all.last!) == [all.last!])
    }

    @Test("walkCommits visits both sides of a merge before their common parent")
    func walkMerge() throws {
        let fixture = try GitFixture()
        let repository = try fixture.open()
        let base = try Self.commit(repository, "base")
        let left = try Self.commit(repository, "left", parents: [base])
        let right = try Self.commit(repository, "right", parents: [base])
        let merge = try Self.commit(repository, "merge", parents: [left, right])
        let walked = try repository.walkCommits(from: merge)
        #expect(Set(walked) == [base, left, right, merge])
        #expect(walked.first == merge)
        #expect(walked.last == base)
        let topo = try fixture.git("rev-list", "--topo-order", merge.hex).output.split(separator: "\n").map(String.init)
        #expect(Set(topo) == Set(walked.map(\.hex)))
    }

    @Test("isAncestor follows history in one direction only")
    func ancestry() throws {
        let fixture = try GitFixture()
        let repository = try fixture.open()
        let first = try Self.commit(repository, "first")
        let second = try Self.commit(repository, "second", parents: [first])
        let third = try Self.commit(repository, "third", parents: [second])
        let unrelated = try oid(fixture.revParse("HEAD"))
        #expect(try repository.isAncestor(first, of: third))
        #expect(try repository.isAncestor(second, of: third))
        #expect(try !repository.isAncestor(third, of: first))
        #expect(try repository.isAncestor(third, of: third))
        #expect(try !repository.isAncestor(unrelated, of: third))
        #expect(try !repository.isAncestor(third, of: unrelated))
        // git merge-base --is-ancestor agrees.
        #expect(try fixture.gitResult("merge-base", "--is-ancestor", first.hex, third.hex).status == 0)
        #expect(try fixture.gitResult("merge-base", "--is-ancestor", third.hex, first.hex).status == 1)
    }
}

@Suite("Resolving revisions")
struct ResolveCommitTests {
    @Test("branches, tags, ancestry and ids resolve to commits as git rev-parse does; nonsense is nil")
    func resolve() throws {
        let fixture = try GitFixture()
        let first = try fixture.revParse("HEAD")
        let second = try fixture.commit("Second", files: ["a.txt": "a\n"])
        try fixture.git("tag", "-a", "v1", "-m", "annotated", first)
        let repository = try Repository.open(at: fixture.path)
        let cases: [(String, String?)] = [
            ("HEAD", second), ("main", second), ("refs/heads/main", second), ("HEAD~1", first),
            ("v1", first), (second, second), (String(second.prefix(10)), second),
            ("no-such-branch", nil), ("HEAD~9", nil), ("main:a.txt", nil),
        ]
        for (revision, expected) in cases {
            #expect(try repository.resolveCommit(revision)?.hex == expected, "\(revision)")
        }
    }
}
