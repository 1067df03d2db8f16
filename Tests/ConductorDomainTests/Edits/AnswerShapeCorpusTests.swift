@testable import ConductorDomain
import Testing

/// Answers shaped the ways real models write edits (issue 14), each a correct fix of the same
/// four-line file: every one must apply and give the same file. Answers without an edit must
/// not be read as one. The shapes are in AnswerShapes.swift; docs/edit-format.md lists them.
@Suite("Answer shape corpus")
struct AnswerShapeCorpusTests {
    static let files: [String: String?] = [AnswerShapes.path: AnswerShapes.before]

    @Test("every shape a model commonly writes applies, giving the fixed file", arguments: AnswerShapes.positive)
    func applies(shape: AnswerShapes.Shape) throws {
        let parsed = EditParser.parse(shape.answer)
        #expect(parsed.problems.isEmpty, "\(parsed.problems)")
        #expect(Set(parsed.blocks.map(\.path)) == [AnswerShapes.path], "\(parsed.blocks)")
        let outcome = EditPlanner.plan(parsed, files: Self.files, policy: PathPolicy(), limits: DiffLimits())
        let plan = try #require(outcome.plan, "\(outcome.feedback?.text ?? "")")
        #expect(plan.changes.map(\.path) == [AnswerShapes.path])
        #expect(plan.changes.first?.after == AnswerShapes.after)
        #expect(plan.tolerated.map(\.tolerance) == (shape.tolerance.map { [$0] } ?? []))
    }

    @Test("the corpus holds at least the sixteen shapes of issue 14 and the five that worked before")
    func size() {
        #expect(AnswerShapes.positive.count >= 21)
        #expect(AnswerShapes.positive.filter(\.worked).count == 5)
    }

    @Test("text that is not an edit is not read as one", arguments: AnswerShapes.negative)
    func notEdits(shape: AnswerShapes.Shape) throws {
        let parsed = EditParser.parse(shape.answer)
        #expect(parsed.blocks.isEmpty, "\(parsed.blocks)")
        #expect(parsed.problems.isEmpty, "\(parsed.problems)")
        let feedback = try #require(EditPlanner.plan(parsed, files: Self.files, policy: PathPolicy(), limits: DiffLimits()).feedback)
        #expect(feedback.reasons == [.noEdits])
    }

    @Test("the same shapes for a new file create it", arguments: [
        "**src/new.py**\n```python\nx = 1\n```\n",
        "### src/new.py\n```python\nx = 1\n```\n",
        "```python src/new.py\nx = 1\n```\n",
        "```python\n# src/new.py\nx = 1\n```\n",
        "```diff\n--- /dev/null\n+++ b/src/new.py\n@@ -0,0 +1 @@\n+x = 1\n```\n",
    ])
    func newFile(answer: String) throws {
        let outcome = EditPlanner.plan(EditParser.parse(answer), files: [:], policy: PathPolicy(), limits: DiffLimits())
        let plan = try #require(outcome.plan, "\(outcome.feedback?.text ?? "")")
        #expect(plan.changes == [FileChange(path: "src/new.py", before: nil, after: "x = 1\n", lines: LineChangeCount(added: 1, removed: 0))])
    }
}
