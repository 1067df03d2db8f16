import ConductorDomain
import ConductorKit

/// Prints engine updates as they happen: one plain line each, or one JSON object each.
struct RunPrinter: Sendable {
    let json: Bool

    func print(_ update: EngineUpdate) {
        if json {
            if let fields = Self.fields(update) { Terminal.json(line: fields) }
            return
        }
        if let line = Self.line(update) { Terminal.standardOutput(line) }
    }

    func finish(_ outcome: RunOutcome) {
        if json {
            return Terminal.json(line: [
                "event": "outcome", "run": outcome.run.rawValue, "state": outcome.state.rawValue,
                "reason": outcome.reason?.rawValue ?? "", "iterations": String(outcome.iterations), "task_branch": outcome.taskBranch,
            ])
        }
        let reason = outcome.reason.map { " (\($0.rawValue): \(outcome.detail ?? ""))" } ?? ""
        Terminal.standardOutput("\(outcome.state.rawValue)\(reason) after \(outcome.iterations) iteration\(outcome.iterations == 1 ? "" : "s"); task branch \(outcome.taskBranch)")
    }

    /// The line for `update`; nil for usage, which has no line of its own.
    static func line(_ update: EngineUpdate) -> String? {
        switch update {
        case let .started(run, branch): "run \(run) on \(branch)"
        case let .transition(from, to, detail): "\(from?.rawValue ?? "START") -> \(to.rawValue)" + (detail.map { ": \($0)" } ?? "")
        case .iteration(let number): "iteration \(number)"
        case let .verified(iteration, summary): "BIST (iteration \(iteration)): \(summary)"
        case .warning(let message): "warning: \(message)"
        case .usage: nil
        }
    }

    /// The JSON object for `update`; nil for usage, which the JSON stream does not carry.
    static func fields(_ update: EngineUpdate) -> [String: String]? {
        switch update {
        case let .started(run, branch): ["event": "started", "run": run.rawValue, "task_branch": branch]
        case let .transition(from, to, detail): ["event": "transition", "from": from?.rawValue ?? "", "to": to.rawValue, "detail": detail ?? ""]
        case .iteration(let number): ["event": "iteration", "number": String(number)]
        case let .verified(iteration, summary): ["event": "bist", "iteration": String(iteration), "summary": summary]
        case .warning(let message): ["event": "warning", "message": message]
        case .usage: nil
        }
    }
}
