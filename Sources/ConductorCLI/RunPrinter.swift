import ConductorDomain
import ConductorKit

/// Prints what the engine reports while a run works, in the style chosen for this terminal
/// (``RunOutputStyle``): plain lines, JSON lines, or plain lines above a live status line.
/// The plain lines are the contract scripts and tests read; the live style only adds to them.
final class RunPrinter: Sendable {
    let style: RunOutputStyle
    private let status: LiveStatus?

    /// `maxIterations` is the run's budget, shown as "iteration N/M" on the status line
    /// when known.
    init(style: RunOutputStyle, maxIterations: Int? = nil) {
        self.style = style
        if case .live(let colour) = style {
            let status = LiveStatus(maxIterations: maxIterations, colour: colour)
            status.startTicking()
            self.status = status
        } else {
            status = nil
        }
    }

    /// Plain lines, or JSON lines with `json`.
    convenience init(json: Bool) {
        self.init(style: json ? .json : .plain)
    }

    private var colour: Bool {
        if case .live(true) = style { true } else { false }
    }

    func print(_ update: EngineUpdate) {
        switch style {
        case .json:
            if let fields = Self.fields(update) { Terminal.json(line: fields) }
        case .plain:
            if let line = Self.line(update) { Terminal.standardOutput(line) }
        case .live:
            status?.show(update, line: Self.line(update, colour: colour))
        }
    }

    /// Takes the status line off the screen for good. Call it before anything else is
    /// printed once the engine has stopped, an error included.
    func close() {
        status?.close()
    }

    func finish(_ outcome: RunOutcome) {
        close()
        if style == .json {
            return Terminal.json(line: [
                "event": "outcome", "run": outcome.run.rawValue, "state": outcome.state.rawValue,
                "reason": outcome.reason?.rawValue ?? "", "iterations": String(outcome.iterations), "task_branch": outcome.taskBranch,
            ])
        }
        Terminal.standardOutput(Self.outcomeLine(outcome, colour: colour))
    }

    static func outcomeLine(_ outcome: RunOutcome, colour: Bool = false) -> String {
        let reason = outcome.reason.map { " (\($0.rawValue): \(TerminalText.line(outcome.detail ?? "")))" } ?? ""
        return "\(StatePalette.paint(outcome.state, colour: colour))\(reason) after \(outcome.iterations) iteration\(outcome.iterations == 1 ? "" : "s"); task branch \(outcome.taskBranch)"
    }

    /// The permanent line for `update`, nil for updates only the status line shows (usage).
    static func line(_ update: EngineUpdate, colour: Bool = false) -> String? {
        switch update {
        case let .started(run, branch): "run \(run) on \(branch)"
        case let .transition(from, to, detail):
            "\(from.map { StatePalette.paint($0, colour: colour) } ?? "START") -> \(StatePalette.paint(to, colour: colour))" + (detail.map { ": \(TerminalText.line($0))" } ?? "")
        case .iteration(let number): "iteration \(number)"
        case let .verified(iteration, summary): "BIST (iteration \(iteration)): \(TerminalText.line(summary))"
        case .warning(let message): "\(StatePalette.warningLabel(colour: colour)) \(TerminalText.visible(message))"
        case .usage: nil
        case let .resumed(run, state, branch): "run \(run) on \(branch) resumed at \(StatePalette.paint(state, colour: colour))"
        case let .awaitingApproval(run, what): "waiting for approval of the \(what): git conductor approve \(run)"
        case .attempt(let attempt) where attempt.outcome != .ok:
            "\(attempt.provider) try \(attempt.attempt): \(attempt.outcome)" + (attempt.retryInSeconds.map { ", retrying in \($0.formatted()) s" } ?? "")
        case .attempt: nil
        }
    }

    /// The JSON object for `update`; nil for usage, which the JSON stream does not carry (yet).
    static func fields(_ update: EngineUpdate) -> [String: String]? {
        switch update {
        case let .started(run, branch): ["event": "started", "run": run.rawValue, "task_branch": branch]
        case let .transition(from, to, detail): ["event": "transition", "from": from?.rawValue ?? "", "to": to.rawValue, "detail": detail ?? ""]
        case .iteration(let number): ["event": "iteration", "number": String(number)]
        case let .verified(iteration, summary): ["event": "bist", "iteration": String(iteration), "summary": summary]
        case .warning(let message): ["event": "warning", "message": message]
        case .usage: nil
        case let .resumed(run, state, branch): ["event": "resumed", "run": run.rawValue, "state": state.rawValue, "task_branch": branch]
        case let .awaitingApproval(run, what): ["event": "awaiting_approval", "run": run.rawValue, "what": what]
        case .attempt(let attempt):
            ["event": "attempt", "provider": attempt.provider, "attempt": String(attempt.attempt), "outcome": attempt.outcome.description, "latency_ms": String(attempt.latencyMilliseconds)]
        }
    }
}
