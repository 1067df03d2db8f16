import ConductorDomain
@testable import ConductorKit
import ConductorTesting
import Foundation
import GitKit
import Testing

/// Context sync against a real repository: a run's diff adds a dependency and a Makefile
/// target; the proposal is recorded on the run, listed while pending, applied in one state
/// commit with a marker, and then no longer pending.
@Suite("ContextSync and ContextStore")
struct ContextSyncTests {
    static let package = "let package = Package(\n  name: \"Demo\",\n  dependencies: [\n    .package(url: \"https://github.com/apple/swift-nio.git\", from: \"2.0.0\"),\n  ]\n)\n"

    @Test("propose, list, apply once; a repository without setup gets no proposal")
    func proposeAndApply() throws {
        let fixture = try GitFixture()
        let baseHex = try fixture.commit("Project", files: ["Package.swift": Self.package, "Makefile": "test:\n\tswift test\n", "Sources/Demo/a.swift": "let a = 1\n"])
        let tipHex = try fixture.commit("Grow", files: [
            "Package.swift": Self.package.replacingOccurrences(of: "  ]\n", with: "    .package(url: \"https://github.com/apple/swift-collections\", from: \"1.0.0\"),\n  ]\n"),
            "Makefile": "test:\n\tswift test\nlint:\n\tswiftlint\n",
        ])
        let (repository, store) = try fixture.initializedStore()
        let base = try #require(ObjectID(hex: baseHex))
        let tip = try #require(ObjectID(hex: tipHex))
        let record = store.freshRecord(prompt: "Add collections")
        #expect(ContextSync.propose(repository: repository, run: record, base: base, tip: tip) == nil, "no setup, no proposal")

        let context = ContextStore(repository: repository)
        let profile = try ProjectInspector(repository: repository).inspect(revision: baseHex)
        #expect(profile.test?.value == "make test")
        #expect(try context.write(ContextDocuments.render(profile), message: "Context setup"))
        #expect(try context.write(ContextDocuments.render(profile), message: "Context setup") == false, "unchanged documents commit nothing")
        #expect(try context.detectedTestCommand() == "make test")

        let payload = try #require(ContextSync.propose(repository: repository, run: record, base: base, tip: tip))
        guard case .contextProposal(let proposal) = payload else { Issue.record("\(payload)"); return }
        #expect(proposal.changes.map(\.line) == ["- `make lint` (Makefile target)", "- `swift-collections` (Package.swift)"])
        try store.createRun(record, events: [.transition(from: nil, to: .building, reason: nil, detail: nil)])
        try store.append([payload, .transition(from: .verifying, to: .complete, reason: nil, detail: nil)], to: record.id)

        let pending = try ContextSync.pending(in: repository)
        #expect(pending.map(\.run) == [record.id] && pending.first?.changes.count == 2)
        let commits = try fixture.commitCount()
        #expect(try ContextSync.apply(pending, in: repository) == ["tech-stack.md", "workflow.md"])
        #expect(try fixture.commitCount() == commits + 1, "one state commit")
        #expect(try fixture.show("\(stateBranch):context/tech-stack.md").contains("- `swift-collections` (Package.swift)"))
        #expect(try fixture.show("\(stateBranch):context/workflow.md").contains("- `make lint` (Makefile target)"))
        #expect(try fixture.json("\(stateBranch):context/applied/\(record.id).json")["run"] as? String == record.id.rawValue)
        #expect(try ContextSync.pending(in: repository).isEmpty)
        #expect(try context.appliedProposals() == [record.id])
        _ = try fixture.fsck()
    }

    @Test("writeContext refuses paths that escape context/ and unknown document names")
    func badNames() throws {
        let fixture = try GitFixture()
        let (repository, store) = try fixture.initializedStore()
        #expect(throws: ConductorError.invalidArtifactPath("../format.json")) { try store.writeContext(files: ["../format.json": []], message: "x") }
        #expect(throws: ConductorError.unknownContextDocument("notes.md", valid: ContextDocuments.names)) {
            try ContextStore(repository: repository).write([ContextDocument(name: "notes.md", text: "")], message: "x")
        }
        #expect(try ContextStore(repository: repository).documents().isEmpty)
    }
}
