import ConductorDomain
import Testing

@Suite("Plan rules and checklist")
struct PlanTests {
    static let good = Plan(spec: "Make add() correct.", steps: [
        .init(description: "Fix add()", files: ["Sources/Add.swift"]),
        .init(description: "Cover it with a test", files: ["Tests/AddTests.swift"]),
    ])

    @Test("a good plan has no problems")
    func good() {
        #expect(PlanRules().problems(in: Self.good).isEmpty)
    }

    static let bad: [(Plan, [String])] = [
        (Plan(spec: nil, steps: []), ["no steps"]),
        (Plan(spec: nil, steps: Array(repeating: .init(description: "x", files: []), count: 9)), ["9 steps", "at most 8"]),
        (Plan(spec: nil, steps: [.init(description: "  ", files: [])]), ["step 1 has no description"]),
        (Plan(spec: nil, steps: [.init(description: "x", files: ["../etc/passwd"])]), ["step 1", "'../etc/passwd'", ".."]),
        (Plan(spec: nil, steps: [.init(description: "x", files: ["ok.swift"]), .init(description: "y", files: ["/abs"])]), ["step 2", "'/abs'", "absolute"]),
        (Plan(spec: nil, steps: [.init(description: "x", files: [".git/config"])]), ["step 1", ".git"]),
    ]

    @Test("each problem names the step and what is wrong", arguments: bad.indices)
    func problems(index: Int) {
        let (plan, mentions) = Self.bad[index]
        let text = PlanRules().problems(in: plan).joined(separator: "\n")
        for word in mentions { #expect(text.contains(word), "\(text) should mention \(word)") }
    }

    @Test("protected paths from configuration are refused in plans too")
    func protected() {
        let rules = PlanRules(paths: PathPolicy(protected: ["secrets/**"]))
        let plan = Plan(spec: nil, steps: [.init(description: "x", files: ["secrets/key.pem"])])
        #expect(rules.problems(in: plan).first?.contains("secrets/**") == true)
    }

    @Test("plan.md is a checklist: [ ] pending, [~] in progress, [x] with the commit")
    func checklist() {
        var checklist = PlanChecklist(plan: Self.good)
        #expect(checklist.currentStep == 0)
        checklist.mark(step: 0, .done(commit: "abc1234"))
        checklist.mark(step: 1, .inProgress)
        checklist.mark(step: 7, .inProgress)
        #expect(checklist.currentStep == 1)
        #expect(checklist.markdown == """
            # Plan

            Make add() correct.

            - [x] abc1234 Fix add() (`Sources/Add.swift`)
            - [~] Cover it with a test (`Tests/AddTests.swift`)

            """)
        checklist.mark(step: 1, .done(commit: "def5678"))
        #expect(checklist.currentStep == nil)
    }
}

@Suite("Prompt text and context selection")
struct PromptTextTests {
    @Test("head and tail keep the ends of a long log and count what was left out")
    func headAndTail() {
        let log = (1...100).map { "line \($0)" }.joined(separator: "\n")
        let trimmed = PromptText.headAndTail(log, head: 3, tail: 2)
        #expect(trimmed == "line 1\nline 2\nline 3\n[… 95 lines omitted …]\nline 99\nline 100")
        #expect(PromptText.headAndTail("a\nb", head: 3, tail: 2) == "a\nb")
    }

    @Test("steering text loses control characters, keeps newlines and tabs, and is capped")
    func steering() {
        #expect(PromptText.steering("use\u{1B}[31m red\u{7}\n\tplease\u{0}") == "use[31m red\n\tplease")
        #expect(PromptText.steering(String(repeating: "x", count: 50), maxCharacters: 10) == "xxxxxxxxxx […]")
    }

    @Test("identifiers are the code-like words of a text, lowercased, punctuation trimmed")
    func identifiers() {
        let words = PromptText.identifiers(in: "Fix parseConfig in Sources/Config.swift, then run it.")
        #expect(words.isSuperset(of: ["fix", "parseconfig", "sources/config.swift", "then", "run"]))
        #expect(!words.contains("in") && !words.contains("it"))
    }

    @Test("files named in the task come first, then name matches, within the budget")
    func selection() {
        let candidates: [ContextSelection.Candidate] = [
            .init(path: "Sources/Config.swift", bytes: 400),
            .init(path: "Sources/ConfigLoader.swift", bytes: 800),
            .init(path: "Sources/Unrelated.swift", bytes: 100),
            .init(path: "Tests/ConfigTests.swift", bytes: 300),
            .init(path: "README.md", bytes: 100),
            .init(path: "Sources/Huge.swift", bytes: 1_000_000),
        ]
        let chosen = ContextSelection.select(candidates, for: "Fix parseConfig in Sources/Config.swift (see config tests)", budgetTokens: 400)
        #expect(chosen.map(\.path) == ["Sources/Config.swift", "Tests/ConfigTests.swift", "Sources/ConfigLoader.swift"])
        let small = ContextSelection.select(candidates, for: "Fix Sources/Config.swift", budgetTokens: 150)
        #expect(small.map(\.path) == ["Sources/Config.swift"])
        #expect(ContextSelection.select(candidates, for: "nothing relevant here", budgetTokens: 10_000).isEmpty)
    }
}
