import ConductorDomain
import Foundation
import Testing

@Suite("ContextDocuments and ContextSyncProposal")
struct ContextDocumentsTests {
    static let profile = ProjectProfile(
        name: "Demo", summary: .init("Does things.", reason: "package.json description"),
        languages: [.init(name: "Swift", bytes: 900, percent: 90), .init(name: "C", bytes: 100, percent: 10)],
        ecosystems: [.init("Swift Package Manager", reason: "Package.swift at the root")],
        build: .init("swift build", reason: "Package.swift at the root"), test: .init("make test", reason: "Makefile has a test target"),
        sourceRoots: ["Sources"], testRoots: ["Tests"], conventions: [.init(tool: "SwiftLint", file: ".swiftlint.yml")],
        dependencies: [.init(name: "swift-nio", manifest: "Package.swift")], tasks: [.init(command: "make bench", source: "Makefile target")]
    )

    @Test("renders three documents whose command lines read back")
    func renderAndReadBack() throws {
        let documents = ContextDocuments.render(Self.profile)
        #expect(documents.map(\.name) == ["product.md", "tech-stack.md", "workflow.md"])
        let workflow = try #require(documents.last).text
        #expect(workflow.contains("- Test: `make test` — Makefile has a test target"))
        #expect(ContextDocuments.testCommand(inWorkflow: workflow) == "make test")
        #expect(ContextDocuments.buildCommand(inWorkflow: workflow) == "swift build")
        let techStack = documents[1].text
        #expect(techStack.contains("- Swift: 90.0% (900 bytes)") && techStack.contains("- `swift-nio` (Package.swift)") && techStack.contains("- SwiftLint: `.swiftlint.yml`"))
        #expect(documents[0].text.hasPrefix("# Demo\n") && documents[0].text.contains("Does things."))
        #expect(ContextDocuments.render(Self.profile) == documents, "rendering is deterministic")
    }

    @Test("a user's edit of the Test line is what is read; no backticks or 'none' means no command")
    func userEdits() {
        #expect(ContextDocuments.testCommand(inWorkflow: "# W\n\n* test: ` pytest -q ` (mine)\n- Test: `other`\n") == "pytest -q")
        #expect(ContextDocuments.testCommand(inWorkflow: "- Test: none (write the command between backticks to set one)\n") == nil)
        #expect(ContextDocuments.testCommand(inWorkflow: "Run the tests with `make test`.\n") == nil)
        var answers = SetupAnswers(Self.profile)
        answers.test = ""
        answers.build = "make"
        let workflow = ContextDocuments.render(Self.profile, answers: answers)[2].text
        #expect(ContextDocuments.testCommand(inWorkflow: workflow) == nil)
        #expect(workflow.contains("- Build: `make` — given at setup"))
    }

    @Test("documents for a prompt: without the editing note, in order, cut at a line to fit the budget")
    func forPrompt() {
        let documents = ContextDocuments.render(Self.profile)
        let whole = ContextDocuments.forPrompt(documents, budgetTokens: 10_000)
        #expect(whole.hasPrefix("context/product.md:\n# Demo\n\n## What it is") && !whole.contains("<!--"))
        #expect(whole.contains("context/workflow.md:\n# Workflow") && whole.contains("- Test: `make test`"))
        let cut = ContextDocuments.forPrompt(documents, budgetTokens: 40)
        #expect(TokenUsage.estimateTokens(in: cut) <= 40, "\(TokenUsage.estimateTokens(in: cut))")
        #expect(cut.hasPrefix("context/product.md:\n# Demo") && cut.hasSuffix("(… cut to fit the context budget)"), "\(cut)")
        #expect(!cut.contains("context/tech-stack.md"))
        #expect(ContextDocuments.forPrompt([], budgetTokens: 1000).isEmpty && ContextDocuments.forPrompt(documents, budgetTokens: 0).isEmpty)
    }

    @Test("document names with or without .md; others are unknown")
    func names() {
        #expect(ContextDocuments.canonicalName("workflow") == "workflow.md")
        #expect(ContextDocuments.canonicalName("tech-stack.md") == "tech-stack.md")
        #expect(ContextDocuments.canonicalName("notes.md") == nil)
    }

    @Test("a new dependency, script and Makefile target are proposed once, and applied under their sections")
    func proposeAndApply() throws {
        let documents = ContextDocuments.render(Self.profile)
        let revisions = [
            ManifestRevision(
                path: "Package.swift",
                before: ".package(url: \"https://github.com/apple/swift-nio.git\", from: \"2.0.0\")",
                after: ".package(url: \"https://github.com/apple/swift-nio.git\", from: \"2.0.0\"),\n.package(url: \"https://github.com/apple/swift-collections\", from: \"1.0.0\")"
            ),
            ManifestRevision(path: "Makefile", before: "test:\n\tswift test\nbench:\n\tswift run bench\n", after: "test:\n\tswift test\nbench:\n\tx\nlint:\n\tswiftlint\n"),
            ManifestRevision(path: "package.json", before: nil, after: "{}", nodeBefore: nil, nodeAfter: NodePackage(scripts: ["dev": "vite"], dependencies: ["vite": "5"])),
        ]
        let proposal = try #require(ContextSyncProposal.propose(revisions, documents: documents, packageManager: "pnpm"))
        #expect(proposal.changes.map(\.line) == ["- `make lint` (Makefile target)", "- `swift-collections` (Package.swift)", "- `vite` (package.json)", "- `pnpm run dev` (package.json script)"])
        #expect(proposal.changes[1].reason == "Package.swift adds the dependency swift-collections")
        let applied = ContextDocuments.applying(proposal.changes, to: documents)
        #expect(applied[0] == documents[0])
        #expect(applied[1].text.contains("- `swift-nio` (Package.swift)\n- `swift-collections` (Package.swift)\n- `vite` (package.json)\n\n## Conventions"))
        #expect(applied[2].text.contains("- `make bench` (Makefile target)\n- `make lint` (Makefile target)\n- `pnpm run dev` (package.json script)\n"))
        #expect(ContextSyncProposal.propose(revisions, documents: applied, packageManager: "pnpm") == nil, "nothing left once applied")
    }

    @Test("the context_proposal event round-trips through its JSON")
    func eventCoding() throws {
        let change = ContextProposal.Change(document: "tech-stack.md", section: "Dependencies", line: "- `x` (go.mod)", reason: "go.mod adds the dependency x")
        let payload = EventPayload.contextProposal(ContextProposal(changes: [change]))
        #expect(payload.kind == "context_proposal")
        let event = Event(stamp: EventStamp(clock: 3, machine: machine("a"), sequence: 0), time: Timestamp(milliseconds: 5), payload: payload)
        let data = try JSONEncoder().encode(event)
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["kind"] as? String == "context_proposal")
        #expect((json["changes"] as? [[String: Any]])?.first?["section"] as? String == "Dependencies")
        #expect(try JSONDecoder().decode(Event.self, from: data) == event)
    }
}
