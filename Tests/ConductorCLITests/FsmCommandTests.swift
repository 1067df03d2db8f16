import ConductorDomain
import ConductorTesting
import Foundation
import Testing

@Suite("git conductor fsm")
struct FsmCommandTests {
    @Test("mermaid (the default) and dot print every transition of the table, outside a repository too")
    func formats() throws {
        let sandbox = try Sandbox()
        let outside = try TemporaryDirectory(prefix: "conductor-fsm-outside")
        let mermaid = try sandbox.run(Tool.conductor, ["fsm"], in: outside.path)
        #expect(mermaid.status == 0, "\(mermaid)")
        #expect(mermaid.stdout.hasPrefix("stateDiagram-v2"))
        let dot = try sandbox.run(Tool.conductor, ["fsm", "--format", "dot"], in: outside.path)
        #expect(dot.status == 0, "\(dot)")
        #expect(dot.stdout.hasPrefix("digraph conductor {"))
        for edge in RunStateMachine.edges {
            #expect(mermaid.stdout.contains("\(edge.from?.rawValue ?? "[*]") --> \(edge.to.rawValue)"))
            #expect(dot.stdout.contains("\(edge.from?.rawValue ?? "START") -> \(edge.to.rawValue)"))
        }
    }

    @Test("an unknown format is a usage error naming the option and the choices")
    func unknownFormat() throws {
        let sandbox = try Sandbox()
        let result = try sandbox.run(Tool.conductor, ["fsm", "--format", "svg"], in: sandbox.path)
        #expect(result.status == 64, "\(result)")
        #expect(result.stderr.contains("--format") && result.stderr.contains("mermaid") && result.stderr.contains("dot"), "\(result)")
    }
}
