import ConductorDomain
import ConductorKit
import ConductorTesting
import Foundation
import GitKit
import Testing

/// ``ContextEngine`` on real repositories: what it picks, from blobs alone.
@Suite("Context engine")
struct ContextEngineTests {
    /// A small multi-language project whose bug lives in `src/retry.py`.
    static func project() throws -> (GitFixture, ObjectID) {
        let fixture = try GitFixture(prefix: "context-engine")
        let head = try fixture.commit("Add the project", files: [
            "src/retry.py": """
                import time

                class RetryPolicy:
                    def __init__(self, attempts, base_delay):
                        self.attempts = attempts
                        self.base_delay = base_delay

                    def backoff_delay(self, attempt):
                        return self.base_delay * attempt

                """,
            "src/client.py": """
                from src.retry import RetryPolicy

                def fetch(url, policy=RetryPolicy(3, 0.5)):
                    for attempt in range(policy.attempts):
                        time.sleep(policy.backoff_delay(attempt))

                """,
            "src/colors.py": "def paint(text, color):\n    return f'\\x1b[{color}m{text}'\n",
            "tests/test_retry.py": "from src.retry import RetryPolicy\n\ndef test_backoff():\n    assert RetryPolicy(3, 1).backoff_delay(2) == 4\n",
            "docs/notes.txt": "Nothing about delays here.\n",
        ])
        return (fixture, try #require(ObjectID(hex: head)))
    }

    @Test("the task's identifiers and words put the defining file first, with its reasons")
    func wordsAndDefinitions() throws {
        let (fixture, head) = try Self.project()
        let engine = ContextEngine(repository: try fixture.conductor())
        let pick = try engine.pick(ContextQuery(task: "RetryPolicy.backoff_delay should grow exponentially", budgetTokens: 4000), at: head)
        #expect(pick.files.first?.path == "src/retry.py", "\(pick.files.map(\.listing))")
        let reasons = try #require(pick.files.first?.reasons)
        #expect(reasons.contains { $0.hasPrefix("defines RetryPolicy") }, "\(reasons)")
        #expect(reasons.contains { $0.hasPrefix("matches") }, "\(reasons)")
        #expect(!pick.files.contains { $0.path == "docs/notes.txt" })
        #expect(pick.totalTokens <= 4000)
        #expect(!pick.map.isEmpty)
    }

    @Test("a failure naming src/x.py:42 puts that file first, before any word match")
    func failureFirst() throws {
        let (fixture, head) = try Self.project()
        let engine = ContextEngine(repository: try fixture.conductor())
        let failure = "/tmp/run/src/colors.py:2: DeprecationWarning\nFAILED tests/test_retry.py::test_backoff - assert 2 == 4\n"
        let pick = try engine.pick(ContextQuery(task: "RetryPolicy.backoff_delay should grow exponentially", failure: failure, budgetTokens: 4000), at: head)
        #expect(pick.files.first?.path == "src/colors.py", "\(pick.files.map(\.listing))")
        #expect(pick.files.first?.reasons.first == "named in the failure (line 2)")
        #expect(pick.files.dropFirst().first?.path == "tests/test_retry.py", "\(pick.files.map(\.listing))")
        #expect(pick.files.dropFirst().first?.reasons.first == "named in the failure")
    }

    @Test("files the run changed are carried as such; reading never touches the work tree")
    func touched() throws {
        let (fixture, head) = try Self.project()
        let before = try fixture.fingerprint()
        let engine = ContextEngine(repository: try fixture.conductor())
        let pick = try engine.pick(ContextQuery(task: "make it better", touched: ["src/colors.py", "no/such/file.py"], budgetTokens: 2000), at: head)
        #expect(pick.files.map(\.path) == ["src/colors.py"], "\(pick.files.map(\.listing))")
        #expect(pick.files.first?.reasons.first == "changed by this run")
        #expect(try fixture.fingerprint() == before)
    }

    @Test("a budget of zero carries nothing; an unknown revision is a git error, not a crash")
    func edges() throws {
        let (fixture, head) = try Self.project()
        let engine = ContextEngine(repository: try fixture.conductor())
        let empty = try engine.pick(ContextQuery(task: "RetryPolicy", budgetTokens: 0), at: head)
        #expect(empty.files.isEmpty && empty.totalTokens == 0)
        let missing = try #require(ObjectID(hex: String(repeating: "ab", count: 20)))
        #expect(throws: ConductorError.self) { try engine.pick(ContextQuery(task: "x", budgetTokens: 100), at: missing) }
    }

    @Test("a file request: whole files, line ranges, symbols, and what does not exist named with suggestions")
    func fileRequest() throws {
        let (fixture, head) = try Self.project()
        let engine = ContextEngine(repository: try fixture.conductor())
        let request = try #require(FileRequest.find(in: "<read>\nsrc/client.py\nsymbol RetryPolicy\nretry.py\n</read>"))
        let answer = try engine.answer(request, at: head, budgetTokens: 4000)
        #expect(answer.shown == ["src/client.py", "src/retry.py"], "\(answer)")
        #expect(answer.missing == ["retry.py"])
        #expect(answer.text.contains("def fetch(url, policy=RetryPolicy(3, 0.5)):"))
        #expect(answer.text.contains("class RetryPolicy:"))
        #expect(answer.text.contains("retry.py: no such file at this commit. Files with that name: src/retry.py."))
    }
}
