import ConductorTesting
import Foundation
import GitKit
import Testing

/// Every failing call reports a GitError with libgit2's explanation, never a crash.
@Suite("GitError")
struct GitErrorTests {
    static let missing = String(repeating: "0123456789", count: 4)

    @Test("reading a blob that does not exist")
    func missingBlob() throws {
        let fixture = try GitFixture()
        let repository = try fixture.open()
        let error = expectGitError { _ = try repository.readBlob(try oid(Self.missing)) }
        #expect(error?.isNotFound == true)
        #expect(error?.operation.contains("0123456") == true)
        #expect(error?.errorClass == "odb")
        try fixture.fsck()  // and nothing was damaged
    }

    @Test("reading a commit, a tree or a blob of the wrong type")
    func wrongTypes() throws {
        let fixture = try GitFixture()
        let repository = try fixture.open()
        let head = try oid(fixture.revParse("HEAD"))
        let tree = try oid(fixture.revParse("HEAD^{tree}"))
        let blob = try oid(fixture.revParse("HEAD:README.md"))
        expectGitError { _ = try repository.readBlob(head) }
        expectGitError { _ = try repository.tree(blob) }
        expectGitError { _ = try repository.tree(head) }
        expectGitError { _ = try repository.commit(tree) }
        expectGitError { _ = try repository.commit(try oid(Self.missing)) }
        expectGitError { _ = try repository.tree(try oid(Self.missing)) }
        try fixture.fsck()  // and nothing was damaged
    }

    @Test("updating a tree that is not a tree")
    func updateNonTree() throws {
        let fixture = try GitFixture()
        let repository = try fixture.open()
        let blob = try oid(fixture.revParse("HEAD:README.md"))
        expectGitError { _ = try repository.updateTree(blob, applying: [.remove(path: "x")]) }
        expectGitError { _ = try repository.updateTree(try oid(Self.missing), applying: [.upsertBlob(path: "x", id: blob)]) }
        try fixture.fsck()  // and nothing was damaged
    }

    @Test("walking from or comparing a missing commit")
    func missingCommits() throws {
        let fixture = try GitFixture()
        let repository = try fixture.open()
        let head = try oid(fixture.revParse("HEAD"))
        expectGitError { _ = try repository.walkCommits(from: try oid(Self.missing)) }
        expectGitError { _ = try repository.isAncestor(try oid(Self.missing), of: head) }
        try fixture.fsck()  // and nothing was damaged
    }

    @Test("a commit with a parent that does not exist is refused")
    func missingParent() throws {
        let fixture = try GitFixture()
        let repository = try fixture.open()
        let tree = try oid(fixture.revParse("HEAD^{tree}"))
        expectGitError {
            _ = try repository.createCommit(tree: tree, parents: [try oid(Self.missing)], message: "x", author: testSignature, committer: testSignature)
        }
        try fixture.fsck()  // and nothing was damaged
    }

    @Test("a signature git cannot write is refused")
    func badSignature() throws {
        let fixture = try GitFixture()
        let repository = try fixture.open()
        let tree = try oid(fixture.revParse("HEAD^{tree}"))
        let bad = Signature(name: "Angle <bracket>", email: "x@example.com", time: 0)
        expectGitError { _ = try repository.createCommit(tree: tree, parents: [], message: "x", author: bad, committer: bad) }
        try fixture.fsck()  // and nothing was damaged
    }

    @Test("the description names the operation, libgit2's message, class and code")
    func description() {
        let error = GitError(code: -3, errorClass: "odb", message: "object not found", operation: "read blob 0123456")
        #expect(error.description == "read blob 0123456: object not found (libgit2 odb error -3)")
        #expect(error.isNotFound)
        #expect(!error.isConcurrentUpdate)
        #expect(GitError(code: -15, errorClass: "reference", message: "m", operation: "o").isConcurrentUpdate)  // GIT_EMODIFIED
        #expect(GitError(code: -14, errorClass: "reference", message: "m", operation: "o").isConcurrentUpdate)  // GIT_ELOCKED
        #expect(GitError(code: -4, errorClass: "reference", message: "m", operation: "o").isConcurrentUpdate)   // GIT_EEXISTS
    }
}
