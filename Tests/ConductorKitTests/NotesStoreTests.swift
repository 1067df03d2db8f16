import ConductorDomain
import ConductorKit
import ConductorTesting
import Foundation
import GitKit
import Testing

@Suite("Notes on refs/notes/conductor")
struct NotesStoreTests {
    static let run = runID("01hf7yat00abcdefghjkmnpqrs")
    static let notesRef = "refs/notes/conductor"

    /// `count` distinct commits made in-process (no ref moves), for notes to hang on.
    static func commits(_ repository: ConductorRepository, count: Int, tag: String = "") throws -> [ObjectID] {
        let git = repository.git
        let signature = Signature(name: "T", email: "t@example.com", time: 1_700_000_000)
        let tree = try git.updateTree(nil, applying: [.upsertBlob(path: "f", id: git.writeBlob(Array("f\n".utf8)))])
        return try (0..<count).map { index in
            try git.createCommit(tree: tree, parents: [], message: "commit \(tag)\(index)\n", author: signature, committer: signature)
        }
    }

    static func note(_ iteration: Int) -> ConductorNote {
        ConductorNote(runID: run, iteration: iteration, state: .verifying, bist: "pass (\(iteration) tests)", model: "m", tokens: 100 * iteration, costUSD: 0.001 * Double(iteration))
    }

    @Test("notes for several commits go in one notes commit that git notes reads exactly")
    func writeSeveral() throws {
        let fixture = try GitFixture()
        let repository = try fixture.conductor()
        let notes = repository.notes()
        var commits = try Self.commits(repository, count: 3)
        commits.append(try ObjectID(hex: fixture.revParse("HEAD")).unwrap())
        try notes.write(Dictionary(uniqueKeysWithValues: commits.enumerated().map { ($1, Self.note($0 + 1)) }))
        #expect(try fixture.commitCount(Self.notesRef) == 1)
        try fixture.fsck()

        for (index, commit) in commits.enumerated() {
            let shown = try fixture.git("notes", "--ref=conductor", "show", commit.hex).stdout
            #expect(shown == Self.note(index + 1).text)
            #expect(try notes.note(for: commit) == Self.note(index + 1))
            #expect(try notes.text(for: commit) == Self.note(index + 1).text)
        }
        #expect(try fixture.git("log", "-1", "--notes=conductor", "--format=%N", "HEAD").stdout.hasPrefix("Conductor-Run: \(Self.run)\nIteration: 4\n"))

        // A second write is one more commit on top of the first.
        let more = try Self.commits(repository, count: 2, tag: "more")
        try notes.write([more[0]: Self.note(10), more[1]: Self.note(11)])
        #expect(try fixture.commitCount(Self.notesRef) == 2)
        #expect(try fixture.git("rev-parse", "\(Self.notesRef)~1").output == fixture.git("rev-list", "--max-parents=0", Self.notesRef).output)
        #expect(try fixture.git("notes", "--ref=conductor", "list").lines.count == 6)
        #expect(try fixture.git("notes", "--ref=conductor", "show", commits[0].hex).stdout == Self.note(1).text)
        try fixture.fsck()
    }

    @Test("writing a note again replaces it; commits without notes read as nil")
    func replaceAndMissing() throws {
        let fixture = try GitFixture()
        let repository = try fixture.conductor()
        let notes = repository.notes()
        let commits = try Self.commits(repository, count: 2)
        #expect(try notes.note(for: commits[0]) == nil, "no notes ref yet")
        try notes.write([commits[0]: Self.note(1)])
        try notes.write([commits[0]: Self.note(2)])
        #expect(try fixture.git("notes", "--ref=conductor", "show", commits[0].hex).stdout == Self.note(2).text)
        #expect(try notes.note(for: commits[0]) == Self.note(2))
        #expect(try notes.note(for: commits[1]) == nil)
        #expect(try fixture.git("notes", "--ref=conductor", "list").lines.count == 1)
        #expect(try !fixture.gitResult("notes", "--ref=conductor", "show", commits[1].hex).succeeded)
        try notes.write([:])
        #expect(try fixture.commitCount(Self.notesRef) == 2, "writing no notes makes no commit")
    }

    @Test("notes git wrote are read, and kept when we add ours")
    func coexistWithGit() throws {
        let fixture = try GitFixture()
        let repository = try fixture.conductor()
        let notes = repository.notes()
        let head = try ObjectID(hex: fixture.revParse("HEAD")).unwrap()
        try fixture.git("notes", "--ref=conductor", "add", "-m", "written by hand", "HEAD")
        #expect(try notes.text(for: head) == "written by hand\n")
        #expect(try notes.note(for: head) == nil, "not a conductor note")
        let other = try Self.commits(repository, count: 1)[0]
        try notes.write([other: Self.note(1)])
        #expect(try fixture.git("notes", "--ref=conductor", "show", "HEAD").output == "written by hand")
        #expect(try fixture.git("notes", "--ref=conductor", "show", other.hex).stdout == Self.note(1).text)
        // And git can add to what we wrote.
        try fixture.commit("another")
        try fixture.git("notes", "--ref=conductor", "add", "-m", "also by hand", "HEAD")
        #expect(try notes.text(for: try ObjectID(hex: fixture.revParse("HEAD")).unwrap()) == "also by hand\n")
        #expect(try notes.note(for: other) == Self.note(1))
        try fixture.fsck()
    }

    @Test("past 256 notes the tree moves to two-character fanout, and every note stays readable")
    func fanout() throws {
        let fixture = try GitFixture()
        let repository = try fixture.conductor()
        let notes = repository.notes()
        let early = try Self.commits(repository, count: 10, tag: "early")
        try notes.write(Dictionary(uniqueKeysWithValues: early.map { ($0, Self.note(1)) }))
        let flat = try fixture.git("ls-tree", Self.notesRef).lines
        #expect(flat.count == 10)
        #expect(flat.allSatisfy { $0.hasPrefix("100644 blob ") && $0.split(separator: "\t").last?.count == 40 })

        let late = try Self.commits(repository, count: 300, tag: "late")
        try notes.write(Dictionary(uniqueKeysWithValues: late.enumerated().map { ($1, Self.note($0 + 2)) }))
        #expect(try fixture.commitCount(Self.notesRef) == 2)

        let top = try fixture.git("ls-tree", Self.notesRef).lines
        #expect(!top.isEmpty)
        let badTop = top.filter { line in
            !(line.hasPrefix("040000 tree ") && line.split(separator: "\t").last?.count == 2)
        }
        #expect(badTop.isEmpty, "only two-character fanout directories at the top: \(badTop.prefix(3))")
        let leaves = try fixture.git("ls-tree", "-r", "--name-only", Self.notesRef).lines
        #expect(leaves.count == 310)
        #expect(leaves.allSatisfy { $0.count == 41 && $0.dropFirst(2).first == "/" })

        // git finds old and new notes through the fanout.
        let listed = try fixture.git("notes", "--ref=conductor", "list").lines.compactMap { $0.split(separator: " ").last.map(String.init) }
        #expect(Set(listed) == Set((early + late).map(\.hex)))
        for commit in early.prefix(3) + late.prefix(3) + late.suffix(3) {
            #expect(try fixture.git("notes", "--ref=conductor", "show", commit.hex).stdout == notes.text(for: commit))
        }
        #expect(try fixture.git("notes", "--ref=conductor", "show", early[0].hex).stdout == Self.note(1).text)
        #expect(try fixture.git("notes", "--ref=conductor", "show", late[299].hex).stdout == Self.note(301).text)
        #expect(try notes.note(for: early[9]) == Self.note(1))
        #expect(try notes.note(for: late[150]) == Self.note(152))
        try fixture.fsck()

        // After the move, a rewrite of an old note and a new note stay in fanout, with no duplicates.
        let last = try Self.commits(repository, count: 1, tag: "last")[0]
        try notes.write([early[0]: Self.note(99), last: Self.note(100)])
        #expect(try fixture.git("ls-tree", "-r", "--name-only", Self.notesRef).lines.count == 311)
        #expect(try fixture.git("ls-tree", Self.notesRef).lines.allSatisfy { $0.hasPrefix("040000 tree ") })
        #expect(try fixture.git("notes", "--ref=conductor", "show", early[0].hex).stdout == Self.note(99).text)
        #expect(try fixture.git("notes", "--ref=conductor", "show", last.hex).stdout == Self.note(100).text)
        try fixture.fsck()
    }

    @Test("a flat note git wrote moves into the fanout with the rest")
    func gitNoteMovesIntoFanout() throws {
        let fixture = try GitFixture()
        let repository = try fixture.conductor()
        let notes = repository.notes()
        try fixture.git("notes", "--ref=conductor", "add", "-m", "by git", "HEAD")
        let many = try Self.commits(repository, count: 260)
        try notes.write(Dictionary(uniqueKeysWithValues: many.map { ($0, Self.note(1)) }))
        #expect(try fixture.git("notes", "--ref=conductor", "show", "HEAD").output == "by git")
        #expect(try fixture.git("notes", "--ref=conductor", "list").lines.count == 261)
        #expect(try fixture.git("ls-tree", Self.notesRef).lines.allSatisfy { $0.hasPrefix("040000 tree ") })
        try fixture.fsck()
    }
}

extension Optional {
    struct Missing: Error {}

    func unwrap() throws -> Wrapped {
        guard let self else { throw Missing() }
        return self
    }
}
