import ConductorTesting
import Foundation
import GitKit
import Testing

@Suite("Blobs, trees and commits")
struct ObjectTests {
    @Test("a blob round-trips byte for byte, and git sees the same object", arguments: [
        [UInt8](),
        Array("hello\n".utf8),
        [0, 1, 2, 255, 254, 0, 10, 13],
        Array(repeating: 0x61, count: 100_000),
    ])
    func blobRoundTrip(bytes: [UInt8]) throws {
        let fixture = try GitFixture()
        let repository = try fixture.open()
        let id = try repository.writeBlob(bytes)
        #expect(try repository.readBlob(id) == bytes)
        #expect(repository.objectExists(id))
        #expect(try fixture.git("cat-file", "-t", id.hex).output == "blob")
        #expect(try fixture.git("cat-file", "-s", id.hex).output == String(bytes.count))
        // Same content, same id as git's own hashing.
        let file = fixture.directory.appending("blob.bin")
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        #expect(try fixture.git("hash-object", "--no-filters", file).output == id.hex)
    }

    @Test("objectExists is false for an id nobody wrote")
    func missingObject() throws {
        let fixture = try GitFixture()
        let repository = try fixture.open()
        #expect(!repository.objectExists(try oid(String(repeating: "ab", count: 20))))
        #expect(repository.objectExists(try oid(fixture.revParse("HEAD"))))
    }

    @Test("updateTree from no base with no edits is the empty tree")
    func emptyTree() throws {
        let fixture = try GitFixture()
        let repository = try fixture.open()
        let id = try repository.updateTree(nil, applying: [])
        #expect(id.hex == "4b825dc642cb6eb9a060e54bf8d69288fbee4904")
        #expect(try repository.tree(id).count == 0)
    }

    @Test("updateTree creates nested paths from nothing")
    func nestedPaths() throws {
        let fixture = try GitFixture()
        let repository = try fixture.open()
        let a = try repository.writeBlob(Array("a\n".utf8))
        let b = try repository.writeBlob(Array("b\n".utf8))
        let tree = try repository.updateTree(nil, applying: [
            .upsertBlob(path: "top.txt", id: a),
            .upsertBlob(path: "runs/ab/01hf7yat00abcdefghjkmnpqab/events/000000000001-m-0000.json", id: b),
            .upsertBlob(path: "runs/ab/01hf7yat00abcdefghjkmnpqab/run.json", id: a),
        ])
        let listing = try fixture.git("ls-tree", "-r", "--full-tree", tree.hex).output
        #expect(listing == """
            100644 blob \(b.hex)\truns/ab/01hf7yat00abcdefghjkmnpqab/events/000000000001-m-0000.json
            100644 blob \(a.hex)\truns/ab/01hf7yat00abcdefghjkmnpqab/run.json
            100644 blob \(a.hex)\ttop.txt
            """)
        let opened = try repository.tree(tree)
        #expect(opened.entries.map(\.name) == ["runs", "top.txt"])
        #expect(opened.entry(named: "runs")?.kind == .tree)
        let top = try #require(opened.entry(named: "top.txt"))
        #expect(top.name == "top.txt" && top.id == a && top.kind == .blob)
        #expect(try opened.entry(atPath: "runs/ab/01hf7yat00abcdefghjkmnpqab/run.json")?.id == a)
        #expect(try opened.entry(atPath: "runs/zz/nothing") == nil)
        #expect(opened.entry(named: "nothing") == nil)
        try fixture.fsck()
    }

    @Test("updateTree rewrites only the trees along the edited path")
    func reusesSiblingSubtrees() throws {
        let fixture = try GitFixture()
        let repository = try fixture.open()
        let blob = try repository.writeBlob(Array("x\n".utf8))
        let before = try repository.updateTree(nil, applying: [
            .upsertBlob(path: "runs/aa/run1/run.json", id: blob),
            .upsertBlob(path: "runs/aa/run1/events/1.json", id: blob),
            .upsertBlob(path: "runs/bb/run2/run.json", id: blob),
            .upsertBlob(path: "context/product.md", id: blob),
        ])
        let after = try repository.updateTree(before, applying: [.upsertBlob(path: "runs/bb/run2/events/1.json", id: blob)])
        let old = try repository.tree(before), new = try repository.tree(after)
        #expect(before != after)
        // Untouched siblings at every level keep their ids...
        #expect(try new.entry(atPath: "context")?.id == old.entry(atPath: "context")?.id)
        #expect(try new.entry(atPath: "runs/aa")?.id == old.entry(atPath: "runs/aa")?.id)
        #expect(try new.entry(atPath: "runs/bb/run2/run.json")?.id == old.entry(atPath: "runs/bb/run2/run.json")?.id)
        // ...and the trees on the path get new ones.
        #expect(try new.entry(atPath: "runs")?.id != old.entry(atPath: "runs")?.id)
        #expect(try new.entry(atPath: "runs/bb")?.id != old.entry(atPath: "runs/bb")?.id)
        // git agrees: ls-tree shows the same subtree ids.
        let oldAA = try fixture.git("rev-parse", "\(before.hex):runs/aa").output
        let newAA = try fixture.git("rev-parse", "\(after.hex):runs/aa").output
        #expect(oldAA == newAA)
        #expect(try fixture.git("ls-tree", "-r", "--name-only", after.hex).output.split(separator: "\n") == [
            "context/product.md", "runs/aa/run1/events/1.json", "runs/aa/run1/run.json",
            "runs/bb/run2/events/1.json", "runs/bb/run2/run.json",
        ])
    }

    @Test("upsert replaces an existing blob, remove deletes one and prunes the emptied trees")
    func replaceAndRemove() throws {
        let fixture = try GitFixture()
        let repository = try fixture.open()
        let one = try repository.writeBlob(Array("1\n".utf8))
        let two = try repository.writeBlob(Array("2\n".utf8))
        let base = try repository.updateTree(nil, applying: [
            .upsertBlob(path: "keep.txt", id: one),
            .upsertBlob(path: "a/b/c.txt", id: one),
            .upsertBlob(path: "a/d.txt", id: one),
        ])
        let replaced = try repository.updateTree(base, applying: [.upsertBlob(path: "a/b/c.txt", id: two)])
        #expect(try repository.tree(replaced).entry(atPath: "a/b/c.txt")?.id == two)

        let removed = try repository.updateTree(replaced, applying: [.remove(path: "a/b/c.txt")])
        #expect(try fixture.git("ls-tree", "-r", "-t", "--name-only", removed.hex).output.split(separator: "\n") == ["a", "a/d.txt", "keep.txt"])

        let both = try repository.updateTree(base, applying: [.remove(path: "a/d.txt"), .upsertBlob(path: "a/e.txt", id: two)])
        #expect(try fixture.git("ls-tree", "-r", "--name-only", both.hex).output.split(separator: "\n") == ["a/b/c.txt", "a/e.txt", "keep.txt"])
        try fixture.fsck()
    }

    @Test("removing a path that is not there is an error")
    func removeMissing() throws {
        let fixture = try GitFixture()
        let repository = try fixture.open()
        let blob = try repository.writeBlob([1])
        let base = try repository.updateTree(nil, applying: [.upsertBlob(path: "a.txt", id: blob)])
        let error = expectGitError { _ = try repository.updateTree(base, applying: [.remove(path: "nope.txt")]) }
        // libgit2 1.5 reports this as a generic tree error (-1), naming the path.
        #expect(error?.message.contains("nope.txt") == true, "\(String(describing: error))")
        try fixture.fsck()
    }

    @Test("commits with 0, 1 and 2 parents are what git cat-file shows")
    func commits() throws {
        let fixture = try GitFixture()
        let repository = try fixture.open()
        let tree = try repository.updateTree(nil, applying: [.upsertBlob(path: "f", id: repository.writeBlob(Array("f\n".utf8)))])
        let author = Signature(name: "Ann Author", email: "ann@example.com", time: 1_700_000_000, offsetMinutes: 90)
        let committer = Signature(name: "Carl Committer", email: "carl@example.com", time: 1_700_000_123, offsetMinutes: -300)

        let root = try repository.createCommit(tree: tree, parents: [], message: "Root\n", author: author, committer: committer)
        #expect(try fixture.git("cat-file", "-p", root.hex).stdout == """
            tree \(tree.hex)
            author Ann Author <ann@example.com> 1700000000 +0130
            committer Carl Committer <carl@example.com> 1700000123 -0500

            Root

            """)

        let child = try repository.createCommit(tree: tree, parents: [root], message: "Child\n\nBody\n", author: author, committer: author)
        let childText = try fixture.git("cat-file", "-p", child.hex).stdout
        #expect(childText.split(separator: "\n").filter { $0.hasPrefix("parent ") } == ["parent \(root.hex)"])
        #expect(childText.hasSuffix("\nChild\n\nBody\n"))

        let head = try oid(fixture.revParse("HEAD"))
        let merge = try repository.createCommit(tree: tree, parents: [child, head], message: "Merge\n", author: author, committer: author)
        let mergeText = try fixture.git("cat-file", "-p", merge.hex).stdout
        #expect(mergeText.split(separator: "\n").filter { $0.hasPrefix("parent ") } == ["parent \(child.hex)", "parent \(head.hex)"])

        // Reading back gives what was written.
        let info = try repository.commit(merge)
        #expect(info.id == merge)
        #expect(info.tree == tree)
        #expect(info.parents == [child, head])
        #expect(info.message == "Merge\n")
        #expect(info.author == author)
        #expect(try repository.commit(root).committer == committer)
        #expect(try repository.commit(root).parents.isEmpty)
        // No reference moved.
        #expect(try fixture.revParse("HEAD") == head.hex)
        try fixture.fsck()
    }

    @Test("a commit of a tree that does not exist is refused")
    func commitMissingTree() throws {
        let fixture = try GitFixture()
        let repository = try fixture.open()
        expectGitError {
            _ = try repository.createCommit(
                tree: try oid(String(repeating: "12", count: 20)), parents: [], message: "x", author: testSignature, committer: testSignature
            )
        }
        try fixture.fsck()
    }

    @Test("reading a commit made by git")
    func readGitCommit() throws {
        let fixture = try GitFixture()
        let head = try oid(fixture.revParse("HEAD"))
        let info = try fixture.open().commit(head)
        #expect(info.message == "Initial commit\n")
        #expect(info.author.name == GitFixture.userName)
        #expect(info.author.email == GitFixture.userEmail)
        #expect(info.tree.hex == (try fixture.revParse("HEAD^{tree}")))
    }
}
