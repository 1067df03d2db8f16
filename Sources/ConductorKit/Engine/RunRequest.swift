import ConductorDomain

/// What `git conductor run` asks the engine to do. It is recorded as the run's
/// `config.json`, so that `resume` continues, and `replay` repeats, the same run.
public struct RunRequest: Sendable, Equatable, Codable {
    public var prompt: String
    public var provider: ProviderSpec
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
    /// Approve the spec and the plan of a `full` run without waiting (`--yes`).
    public var autoApprove: Bool

    public init(
        prompt: String, provider: ProviderSpec, mode: RunMode = .streamlined, base: String = "HEAD", verifyCommands: [VerifyCommand],
        limits: LoopLimits = LoopLimits(), paths: PathPolicy = PathPolicy(), diffLimits: DiffLimits = DiffLimits(),
        retention: WorktreeRetention = .default, contextBudgetTokens: Int = 8000, autoApprove: Bool = false
    ) {
        self.prompt = prompt
        self.provider = provider
        self.mode = mode
        self.base = base
        self.verifyCommands = verifyCommands
        self.limits = limits
        self.paths = paths
        self.diffLimits = diffLimits
        self.retention = retention
        self.contextBudgetTokens = contextBudgetTokens
        self.autoApprove = autoApprove
    }

    enum CodingKeys: String, CodingKey {
        case prompt, provider, mode, base, limits, paths, retention
        case verifyCommands = "verify", diffLimits = "diff_limits", contextBudgetTokens = "context_budget_tokens", autoApprove = "auto_approve"
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
    /// The run's running totals after a provider call; a nil cost is unknown, never zero.
    case usage(tokens: Int, costUSD: Double?)
    case warning(String)
    /// A run interrupted or paused earlier continues in this process from `state`.
    case resumed(RunID, state: RunState, taskBranch: String)
    /// The run waits in AWAITING_APPROVAL for `git conductor approve` on what it names.
    case awaitingApproval(RunID, what: String)
    /// One try of one provider, as recorded in the run's `attempt` events.
    case attempt(ProviderAttempt)
}
