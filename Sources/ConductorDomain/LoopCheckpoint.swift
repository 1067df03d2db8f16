/// Where a run's build loop stands after an iteration's outcome has been decided: what the
/// next prompt must carry, what the loop guardian remembers, and how far the plan has got.
///
/// The engine writes it as the run's `checkpoint.json` in the same commit as the transition
/// that acts on it (into REPAIRING, or back into BUILDING), so a process that dies anywhere
/// leaves a state branch from which `resume` rebuilds the loop exactly: no iteration is
/// repeated and no ruling is made twice.
public struct LoopCheckpoint: Sendable, Equatable, Codable {
    /// Iterations whose outcome has been decided; the next one is `iterations + 1`.
    public var iterations: Int
    /// The newest commit of the run on its task branch (the base commit before any).
    public var lastCommit: String
    /// The last verification failure, for the next prompt.
    public var lastFailure: String?
    /// Why the last answer's edits were refused, for the next prompt.
    public var editFeedback: String?
    /// The guardian's warning, for the next prompt.
    public var escalation: String?
    public var temperature: Double
    public var guardian: LoopGuardian
    /// The plan being built, with its marks, in modes that plan.
    public var checklist: PlanChecklist?
    /// Wall-clock seconds the loop has run, carried across processes for the time budget.
    public var elapsedSeconds: Int
    /// A ruling that ends the run, recorded before it is carried out.
    public var stop: Stop?

    public struct Stop: Sendable, Equatable, Codable {
        public let reason: FailureReason
        public let message: String

        public init(reason: FailureReason, message: String) {
            self.reason = reason
            self.message = message
        }
    }

    /// A loop that has not run an iteration yet.
    public init(base: String, limits: LoopLimits, checklist: PlanChecklist?) {
        iterations = 0
        lastCommit = base
        temperature = limits.baseTemperature
        guardian = LoopGuardian(limits: limits)
        self.checklist = checklist
        elapsedSeconds = 0
    }

    /// The iteration under way, or about to start.
    public var current: Int { iterations + 1 }

    enum CodingKeys: String, CodingKey {
        case iterations, temperature, guardian, checklist, stop, escalation
        case lastCommit = "last_commit", lastFailure = "last_failure", editFeedback = "edit_feedback", elapsedSeconds = "elapsed_seconds"
    }
}
