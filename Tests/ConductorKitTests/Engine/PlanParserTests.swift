import ConductorDomain
@testable import ConductorKit
import Testing

@Suite("Plan parser")
struct PlanParserTests {
    @Test("a plan in a json fence, or bare among prose, is read")
    func reads() throws {
        let fenced = "Plan:\n```json\n{\"spec\": \"S\", \"steps\": [{\"description\": \"D\", \"files\": [\"a.swift\"]}]}\n```\nThanks {}"
        let bare = "Sure. {\"steps\": [{\"description\": \"D\", \"files\": []}]} Done."
        #expect(try PlanParser.parse(fenced).get() == Plan(spec: "S", steps: [.init(description: "D", files: ["a.swift"])]))
        #expect(try PlanParser.parse(bare).get() == Plan(spec: nil, steps: [.init(description: "D", files: [])]))
    }

    static let refused: [(String, String)] = [
        ("no json here", "no JSON object"),
        ("{\"spec\": \"S\"}", "steps is missing"),
        ("{\"steps\": [{\"files\": []}]}", "steps[0].description is missing"),
        ("{\"steps\": \"one\"}", "steps has the wrong type"),
        ("{\"steps\": [}", "not valid"),
    ]

    @Test("a refusal says what is wrong, naming the key", arguments: refused.indices)
    func refuses(index: Int) {
        let (answer, expected) = Self.refused[index]
        switch PlanParser.parse(answer) {
        case .success(let plan): Issue.record("accepted \(plan)")
        case .failure(let problem): #expect(problem.message.contains(expected), "\(problem.message)")
        }
    }
}
