/// The limits a run may not exceed, and how patient the guardian is with repetition.
public struct LoopLimits: Sendable, Equatable, Codable {
    public var maxIterations: Int
    public var maxWallSeconds: Int
    public var maxTokens: Int?
    public var maxCostUSD: Double?
    /// How many iterations in a row may end with the same failure signature.
    public var sameFailureLimit: Int
    /// The sampling temperature before any escalation.
    public var baseTemperature: Double

    public init(
        maxIterations: Int = 8, maxWallSeconds: Int = 3600, maxTokens: Int? = nil, maxCostUSD: Double? = nil,
        sameFailureLimit: Int = 3, baseTemperature: Double = 0.2
    ) {
        self.maxIterations = maxIterations
        self.maxWallSeconds = maxWallSeconds
        self.maxTokens = maxTokens
        self.maxCostUSD = maxCostUSD
        self.sameFailureLimit = sameFailureLimit
        self.baseTemperature = baseTemperature
    }

    enum CodingKeys: String, CodingKey {
        case maxIterations = "max_iterations", maxWallSeconds = "max_wall_seconds", maxTokens = "max_tokens"
        case maxCostUSD = "max_cost_usd", sameFailureLimit = "same_failure_limit", baseTemperature = "base_temperature"
    }
}

/// What one finished iteration looked like, reduced to what loop detection needs.
public struct IterationRecord: Sendable, Equatable, Codable {
    public let number: Int
    /// Hash of the normalised diff the iteration produced (empty diff included).
    public let diffHash: String
    /// The normalised failure signature of its verification, nil when it passed.
    public let failureSignature: String?

    public init(number: Int, diffHash: String, failureSignature: String?) {
        self.number = number
        self.diffHash = diffHash
        self.failureSignature = failureSignature
    }

    /// What "the same attempt" means: the same change meeting the same failure.
    var fingerprint: String { "\(diffHash)|\(failureSignature ?? "pass")" }
}

/// What the run has spent so far.
public struct Spend: Sendable, Equatable {
    public var iterations: Int
    public var elapsedSeconds: Int
    public var tokens: Int
    /// Nil when any call's price was unknown: a cost budget then cannot be checked, and the
    /// run is not stopped for it.
    public var costUSD: Double?

    public init(iterations: Int, elapsedSeconds: Int, tokens: Int, costUSD: Double?) {
        self.iterations = iterations
        self.elapsedSeconds = elapsedSeconds
        self.tokens = tokens
        self.costUSD = costUSD
    }
}

/// Which pattern the guardian saw.
public enum LoopPattern: String, Sendable, Equatable, Codable {
    /// The same change met the same failure as an earlier iteration.
    case repeatedAttempt = "repeated attempt"
    /// The last four iterations' changes alternated between two diffs (A, B, A, B), whatever
    /// the failures said.
    case oscillation
    /// The failure signature stayed the same for `sameFailureLimit` iterations in a row.
    case unchangedFailure = "unchanged failure"
}

/// The guardian's ruling before the next iteration.
public enum GuardianDecision: Sendable, Equatable {
    /// Go on, at this temperature.
    case proceed(temperature: Double)
    /// Go on, but tell the model it is repeating itself (first detection).
    case escalate(LoopPattern, temperature: Double, message: String)
    /// Stop: the run fails with this reason.
    case stop(FailureReason, String)
}

/// Decides, between iterations, whether a run may go on (DESIGN.md §5). Pure: it sees only
/// the records and spend it is given, so its rulings are table-tested.
///
/// On the first loop it detects it escalates: the model is told it is repeating itself and
/// asked why the last fix failed, and the temperature rises step by step (base, +0.3, +0.6).
/// On a second detection the run fails with reason "loop detected".
public struct LoopGuardian: Sendable, Equatable, Codable {
    public let limits: LoopLimits
    public private(set) var history: [IterationRecord] = []
    /// Iterations since the first detection; nil before it.
    public private(set) var escalatedFor: Int?

    public init(limits: LoopLimits) {
        self.limits = limits
    }

    /// Records a finished iteration and rules on the next one.
    public mutating func record(_ iteration: IterationRecord, spend: Spend) -> GuardianDecision {
        history.append(iteration)
        if case .stop(let reason, let message) = checkBudget(spend) { return .stop(reason, message) }
        if let pattern = detectedPattern() {
            if escalatedFor != nil {
                return .stop(.loopDetected, "\(pattern.rawValue) again after escalation (iteration \(iteration.number))")
            }
            escalatedFor = 1
            return .escalate(pattern, temperature: temperature, message: Self.escalationMessage(pattern))
        }
        escalatedFor = escalatedFor.map { $0 + 1 }
        return .proceed(temperature: temperature)
    }

    /// Rules on spend alone; the engine also asks before each provider call.
    public func checkBudget(_ spend: Spend) -> GuardianDecision {
        if spend.iterations >= limits.maxIterations {
            return .stop(.budget, "reached the limit of \(limits.maxIterations) iterations")
        }
        if spend.elapsedSeconds >= limits.maxWallSeconds {
            return .stop(.budget, "ran for \(spend.elapsedSeconds) s, over the \(limits.maxWallSeconds) s limit")
        }
        if let maxTokens = limits.maxTokens, spend.tokens >= maxTokens {
            return .stop(.budget, "used \(spend.tokens) tokens, over the \(maxTokens) token budget")
        }
        if let maxCost = limits.maxCostUSD, let cost = spend.costUSD, cost >= maxCost {
            return .stop(.budget, "spent \(CostFormat.dollars(cost)), over the \(CostFormat.dollars(maxCost)) budget")
        }
        return .proceed(temperature: temperature)
    }

    /// Base temperature, raised by 0.3 per escalated iteration, at most twice.
    public var temperature: Double {
        limits.baseTemperature + 0.3 * Double(min(escalatedFor ?? 0, 2))
    }

    /// The loop pattern the latest iteration completes, if any; repeats are checked first.
    func detectedPattern() -> LoopPattern? {
        guard let latest = history.last else { return nil }
        if history.dropLast().contains(where: { $0.fingerprint == latest.fingerprint }) && latest.failureSignature != nil {
            return .repeatedAttempt
        }
        let tail = history.suffix(4).map(\.diffHash)
        if tail.count == 4, tail[0] == tail[2], tail[1] == tail[3], tail[0] != tail[1] {
            return .oscillation
        }
        let failures = history.suffix(limits.sameFailureLimit).map(\.failureSignature)
        if failures.count == limits.sameFailureLimit, let first = failures.first, let signature = first,
           failures.allSatisfy({ $0 == signature }) {
            return .unchangedFailure
        }
        return nil
    }

    static func escalationMessage(_ pattern: LoopPattern) -> String {
        let what = switch pattern {
        case .repeatedAttempt: "You made the same change as in an earlier attempt, and it failed the same way."
        case .oscillation: "Your last attempts alternate between two changes that both fail."
        case .unchangedFailure: "The verification keeps failing the same way despite your changes."
        }
        return what + " Before changing anything, explain why the last fix did not work, then try a different approach."
    }
}
