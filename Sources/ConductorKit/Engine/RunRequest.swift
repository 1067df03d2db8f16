import ConductorDomain

/// What `git conductor run` asks the engine to do.
public struct RunRequest: Sendable {
    public var prompt: String
    public var mode: RunMode
    /// The revision the task branch starts from.
    public var base: String
    public var verifyCommands: [VerifyCommand]
    public var limits: LoopLimits
    public var paths: PathPolicy
    public var diffLimits: DiffLimits
    public var retention: WorktreeRetention
    /// How many tokens of repository files a prompt may carry.
    public var contextBudgetTokens: Int

    public init(
        prompt: String, mode: RunMode = .streamlined, base: String = "HEAD", verifyCommands: [VerifyCommand],
        limits: LoopLimits = LoopLimits(), paths: PathPolicy = PathPolicy(), diffLimits: DiffLimits = DiffLimits(),
        retention: WorktreeRetention = .default, contextBudgetTokens: Int = 8000
    ) {
        self.prompt = prompt
        self.mode = mode
        self.base = base
        self.verifyCommands = verifyCommands
        self.limits = limits
        self.paths = paths
        self.diffLimits = diffLimits
        self.retention = retention
        self.contextBudgetTokens = contextBudgetTokens
    }
}

/// How a run ended.
public struct RunOutcome: Sendable, Equatable {
    public let run: RunID
    public let state: RunState
    public let reason: FailureReason?
    public let detail: String?
    public let iterations: Int
    public let taskBranch: String
}

/// What the engine tells the terminal as it goes: one value per thing worth a line.
public enum EngineUpdate: Sendable, Equatable {
    case started(RunID, taskBranch: String)
    case transition(from: RunState?, to: RunState, detail: String?)
    case iteration(Int)
    case verified(iteration: Int, summary: String)
    case warning(String)
    /// The run's running totals so far: tokens of every provider call, and their cost in
    /// US dollars (nil once any call's price was unknown). Shown on the live status line.
    case usage(tokens: Int, costUSD: Double?)
}
