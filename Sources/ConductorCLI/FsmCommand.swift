import ArgumentParser
import ConductorDomain

/// `git conductor fsm`: the run state machine as a diagram, drawn from the engine's own table.
struct FsmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fsm",
        abstract: "Print the run state machine as a Mermaid or Graphviz diagram.",
        discussion: """
            The diagram is generated from the same transition table the engine enforces.

            Examples:
              $ git conductor fsm > fsm.mmd
              $ git conductor fsm --format dot | dot -Tsvg > fsm.svg
            """
    )

    @Option(help: ArgumentHelp("Diagram format: \(StateDiagram.Format.allCases.map(\.rawValue).joined(separator: " or ")).", valueName: "format"))
    var format: StateDiagram.Format = .mermaid

    func run() {
        Terminal.standardOutput(StateDiagram.render(format))
    }
}

extension StateDiagram.Format: ExpressibleByArgument {}
