import ConductorDomain
import Testing

@Suite("Run state machine")
struct RunStateMachineTests {
    /// The moves the engine makes on its main paths, written out independently of the table.
    static let expectedLegal: [(RunState?, RunState)] = [
        (nil, .precheck), (.precheck, .planning), (.precheck, .building), (.planning, .building),
        (.planning, .awaitingApproval), (.awaitingApproval, .building), (.building, .verifying),
        (.verifying, .complete), (.verifying, .repairing), (.repairing, .building), (.building, .repairing),
        (.building, .paused), (.paused, .building), (.verifying, .cancelled), (.repairing, .failed),
        (.precheck, .failed), (.paused, .cancelled),
    ]

    @Test("the main paths are legal", arguments: expectedLegal.indices)
    func legal(index: Int) throws {
        let (from, to) = Self.expectedLegal[index]
        #expect(RunStateMachine.isLegal(from: from, to: to))
        try RunStateMachine.validate(from: from, to: to)
    }

    static let expectedIllegal: [(RunState?, RunState)] = [
        (nil, .building), (nil, .complete), (.precheck, .complete), (.planning, .verifying),
        (.building, .complete), (.repairing, .verifying), (.repairing, .complete),
        (.complete, .building), (.failed, .repairing), (.cancelled, .precheck), (.complete, .failed),
        (.paused, .paused), (.paused, .complete), (.verifying, .verifying), (.paused, .failed),
    ]

    @Test("anything else is refused with an error naming both states", arguments: expectedIllegal.indices)
    func illegal(index: Int) {
        let (from, to) = Self.expectedIllegal[index]
        #expect(!RunStateMachine.isLegal(from: from, to: to))
        #expect(throws: IllegalTransition(from: from, to: to)) { try RunStateMachine.validate(from: from, to: to) }
        let message = IllegalTransition(from: from, to: to).description
        #expect(message.contains(from?.rawValue ?? "START") && message.contains(to.rawValue))
    }

    @Test("final states have no way out; every other state can be cancelled or failed")
    func finalStates() {
        for state in RunState.allCases {
            let successors = RunStateMachine.successors(of: state)
            if state.isFinal {
                #expect(successors.isEmpty, "\(state)")
            } else {
                #expect(successors.contains(.cancelled), "\(state)")
                #expect(state == .paused || successors.contains(.failed), "\(state)")
            }
        }
    }

    @Test("every state is reachable from the start, and every state can reach a final state")
    func reachability() {
        var reached: Set<RunState> = []
        var frontier = RunStateMachine.successors(of: nil)
        while let state = frontier.popLast() {
            guard reached.insert(state).inserted else { continue }
            frontier += RunStateMachine.successors(of: state)
        }
        #expect(reached == Set(RunState.allCases))
        for state in RunState.allCases where !state.isFinal {
            var seen: Set<RunState> = [state]
            var queue = [state]
            while let next = queue.popLast() {
                for successor in RunStateMachine.successors(of: next) where seen.insert(successor).inserted {
                    queue.append(successor)
                }
            }
            #expect(seen.contains(.complete) || seen.contains(.failed), "\(state)")
        }
    }

    @Test("the table has no duplicate rows")
    func noDuplicates() {
        let pairs = RunStateMachine.edges.map { "\($0.from?.rawValue ?? "START")->\($0.to.rawValue)" }
        #expect(Set(pairs).count == pairs.count)
    }

    @Test("both diagrams draw exactly the table's edges")
    func diagrams() {
        let mermaid = StateDiagram.render(.mermaid)
        let dot = StateDiagram.render(.dot)
        #expect(mermaid.hasPrefix("stateDiagram-v2"))
        #expect(dot.hasPrefix("digraph conductor {") && dot.hasSuffix("}"))
        let mermaidArrows = mermaid.split(separator: "\n").filter { $0.contains("-->") && !$0.hasSuffix("--> [*]") }
        let dotArrows = dot.split(separator: "\n").filter { $0.contains(" -> ") }
        #expect(mermaidArrows.count == RunStateMachine.edges.count)
        #expect(dotArrows.count == RunStateMachine.edges.count)
        for edge in RunStateMachine.edges {
            let from = edge.from?.rawValue
            #expect(mermaid.contains("\(from ?? "[*]") --> \(edge.to.rawValue): \(edge.label)"))
            #expect(dot.contains("\(from ?? "START") -> \(edge.to.rawValue) [label=\"\(edge.label)\"]"))
        }
    }
}

@Suite("Completion promise")
struct CompletionPromiseTests {
    static let cases: [(String, CompletionPromise?)] = [
        ("All tests pass. <promise>DONE</promise>", .done),
        ("<promise>  DONE \n</promise>", .done),
        ("<promise>BLOCKED</promise> I need credentials", .blocked),
        ("<promise>done</promise>", nil),
        ("<promise>DONE!</promise>", nil),
        ("<promise>ALMOST DONE</promise>", nil),
        ("<promise>DONE", nil),
        ("no promise here", nil),
        ("<promise>maybe</promise> then <promise>DONE</promise>", nil),
        ("</promise>DONE<promise>BLOCKED</promise>", .blocked),
    ]

    @Test("only the first tag counts, and only exactly DONE or BLOCKED", arguments: cases.indices)
    func promise(index: Int) {
        let (answer, expected) = Self.cases[index]
        #expect(CompletionPromise.find(in: answer) == expected, "\(answer)")
    }
}
