/// Every legal move of a run's state machine, in one table (DESIGN.md §5). The engine asks
/// ``RunStateMachine/validate(from:to:)`` before it records a transition, so a move missing
/// here is a bug that surfaces at once instead of a run in an impossible state; the diagrams
/// of `git conductor fsm` come from the same table.
public enum RunStateMachine {
    /// One row: a state, where it may go, and why (the label on the diagram's arrow).
    public struct Edge: Sendable, Equatable {
        public let from: RunState?
        public let to: RunState
        public let label: String
    }

    /// States a run does work in: pausing, cancelling and failing are allowed from each.
    static let active: [RunState] = [.precheck, .planning, .awaitingApproval, .building, .verifying, .repairing]

    public static let edges: [Edge] = {
        var edges: [Edge] = [
            Edge(from: nil, to: .precheck, label: "run"),
            Edge(from: .precheck, to: .planning, label: "checks pass"),
            Edge(from: .precheck, to: .building, label: "checks pass (fast mode)"),
            Edge(from: .planning, to: .awaitingApproval, label: "spec or plan ready (full mode)"),
            Edge(from: .planning, to: .building, label: "plan ready"),
            Edge(from: .awaitingApproval, to: .planning, label: "spec approved, plan next"),
            Edge(from: .awaitingApproval, to: .building, label: "plan approved"),
            Edge(from: .building, to: .verifying, label: "edits applied"),
            Edge(from: .building, to: .repairing, label: "edits rejected"),
            Edge(from: .verifying, to: .complete, label: "BIST passes"),
            Edge(from: .verifying, to: .repairing, label: "BIST fails"),
            Edge(from: .verifying, to: .building, label: "step passes, next step (full mode)"),
            Edge(from: .verifying, to: .awaitingApproval, label: "step passes, checkpoint (full mode)"),
            Edge(from: .repairing, to: .building, label: "repair prompt ready"),
        ]
        for state in active {
            edges.append(Edge(from: state, to: .paused, label: "pause"))
            edges.append(Edge(from: .paused, to: state, label: "resume"))
            edges.append(Edge(from: state, to: .cancelled, label: "cancel"))
            edges.append(Edge(from: state, to: .failed, label: "failure"))
        }
        edges.append(Edge(from: .paused, to: .cancelled, label: "cancel"))
        return edges
    }()

    private static let legal: Set<Pair> = Set(edges.map { Pair(from: $0.from, to: $0.to) })

    private struct Pair: Hashable {
        let from: RunState?
        let to: RunState
    }

    public static func isLegal(from: RunState?, to: RunState) -> Bool {
        legal.contains(Pair(from: from, to: to))
    }

    /// Throws when the move is not in the table.
    public static func validate(from: RunState?, to: RunState) throws(IllegalTransition) {
        guard isLegal(from: from, to: to) else { throw IllegalTransition(from: from, to: to) }
    }

    /// The states a run may move to from `state`, in table order.
    public static func successors(of state: RunState?) -> [RunState] {
        edges.filter { $0.from == state }.map(\.to)
    }
}

/// A move the transition table does not allow: always a bug in the engine.
public struct IllegalTransition: Error, Equatable, CustomStringConvertible {
    public let from: RunState?
    public let to: RunState

    public init(from: RunState?, to: RunState) {
        self.from = from
        self.to = to
    }

    public var description: String {
        "illegal state transition \(from?.rawValue ?? "START") -> \(to.rawValue)"
    }
}

/// Renders the transition table as a diagram.
public enum StateDiagram {
    public enum Format: String, CaseIterable, Sendable {
        case mermaid, dot
    }

    public static func render(_ format: Format) -> String {
        switch format {
        case .mermaid: mermaid()
        case .dot: dot()
        }
    }

    static func mermaid() -> String {
        var lines = ["stateDiagram-v2"]
        for edge in RunStateMachine.edges {
            lines.append("    \(edge.from?.rawValue ?? "[*]") --> \(edge.to.rawValue): \(edge.label)")
        }
        for state in RunState.allCases where state.isFinal {
            lines.append("    \(state.rawValue) --> [*]")
        }
        return lines.joined(separator: "\n")
    }

    static func dot() -> String {
        var lines = ["digraph conductor {", "    rankdir=LR;", "    START [shape=point];"]
        for state in RunState.allCases {
            lines.append("    \(state.rawValue) [shape=\(state.isFinal ? "doublecircle" : "box")];")
        }
        for edge in RunStateMachine.edges {
            lines.append("    \(edge.from?.rawValue ?? "START") -> \(edge.to.rawValue) [label=\"\(edge.label)\"];")
        }
        lines.append("}")
        return lines.joined(separator: "\n")
    }
}
