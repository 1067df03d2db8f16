import ConductorDomain
import ConductorKit

/// What is known about a run in flight, folded from the engine's updates: the facts the live
/// status line shows. A value, so the line can be rendered (and tested) as a pure function of it.
struct LiveProgress: Sendable, Equatable {
    /// The state the run is in; nil until the engine has announced one.
    var state: RunState?
    /// The iteration under way; nil before the first (during PRECHECK and PLANNING).
    var iteration: Int?
    /// `--max-iterations`: the engine never goes beyond it, so "iteration 2/8" says how much
    /// budget is left. Nil when not known (a resumed run).
    var maxIterations: Int?
    /// The summary of the most recent verification, kept through the next iteration so the
    /// model's last result stays in view while it works on a fix.
    var lastBIST: String?
    /// Running totals from the engine's `usage` updates; nil until the first one.
    var tokens: Int?
    var costUSD: Double?

    init(maxIterations: Int?, state: RunState? = nil, iteration: Int? = nil, lastBIST: String? = nil, tokens: Int? = nil, costUSD: Double? = nil) {
        self.maxIterations = maxIterations
        self.state = state
        self.iteration = iteration
        self.lastBIST = lastBIST
        self.tokens = tokens
        self.costUSD = costUSD
    }

    mutating func apply(_ update: EngineUpdate) {
        switch update {
        case .started, .warning, .awaitingApproval, .attempt: break
        case .resumed(_, let state, _): self.state = state
        case .transition(_, let to, _): state = to
        case .iteration(let number): iteration = number
        case .verified(_, let summary): lastBIST = summary
        case let .usage(tokens, costUSD):
            self.tokens = tokens
            self.costUSD = costUSD
        }
    }
}
