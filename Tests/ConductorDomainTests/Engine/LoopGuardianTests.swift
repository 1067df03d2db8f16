import ConductorDomain
import Testing

@Suite("Loop guardian")
struct LoopGuardianTests {
    static let limits = LoopLimits(maxIterations: 20, maxWallSeconds: 600, maxTokens: 10_000, maxCostUSD: 1.0, sameFailureLimit: 3, baseTemperature: 0.2)

    static func spend(_ iterations: Int, seconds: Int = 10, tokens: Int = 100, cost: Double? = 0.01) -> Spend {
        Spend(iterations: iterations, elapsedSeconds: seconds, tokens: tokens, costUSD: cost)
    }

    /// Feeds (diff, failure) pairs and returns the guardian's rulings, one per iteration.
    static func rulings(_ attempts: [(String, String?)], limits: LoopLimits = limits) -> [GuardianDecision] {
        var guardian = LoopGuardian(limits: limits)
        return attempts.enumerated().map { index, attempt in
            guardian.record(IterationRecord(number: index + 1, diffHash: attempt.0, failureSignature: attempt.1), spend: spend(index + 1))
        }
    }

    static func kind(_ decision: GuardianDecision) -> String {
        switch decision {
        case .proceed: "proceed"
        case .escalate(let pattern, _, _): "escalate:\(pattern.rawValue)"
        case .stop(let reason, _): "stop:\(reason.rawValue)"
        }
    }

    static let table: [(name: String, attempts: [(String, String?)], expected: [String])] = [
        ("different attempts and failures go on", [("a", "x"), ("b", "y"), ("c", "z")], ["proceed", "proceed", "proceed"]),
        ("the same attempt and failure again escalates, a third time stops",
         [("a", "x"), ("a", "x"), ("b", "y"), ("a", "x")],
         ["proceed", "escalate:repeated attempt", "proceed", "stop:loop detected"]),
        ("A, B, A with the same failures: the third iteration repeats A exactly", [("a", "x"), ("b", "y"), ("a", "x")],
         ["proceed", "proceed", "escalate:repeated attempt"]),
        ("the same failure three times in a row with different diffs", [("a", "x"), ("b", "x"), ("c", "x"), ("d", "y"), ("e", "y"), ("f", "y")],
         ["proceed", "proceed", "escalate:unchanged failure", "proceed", "proceed", "stop:loop detected"]),
        ("the same failure twice is not yet a loop", [("a", "x"), ("b", "x"), ("c", "y")], ["proceed", "proceed", "proceed"]),
    ]

    @Test("loop patterns escalate once, then stop", arguments: table.indices)
    func patterns(index: Int) {
        let row = Self.table[index]
        #expect(Self.rulings(row.attempts).map(Self.kind) == row.expected, "\(row.name)")
    }

    @Test("A, B, A, B diffs oscillate even when each failure reads differently")
    func oscillation() {
        var guardian = LoopGuardian(limits: Self.limits)
        let attempts: [(String, String?)] = [("a", "x1"), ("b", "y1"), ("a", "x2"), ("b", "y2")]
        var decisions: [GuardianDecision] = []
        for (index, attempt) in attempts.enumerated() {
            decisions.append(guardian.record(IterationRecord(number: index + 1, diffHash: attempt.0, failureSignature: attempt.1), spend: Self.spend(index + 1)))
        }
        #expect(decisions.prefix(3).map(Self.kind) == ["proceed", "proceed", "proceed"])
        guard case .escalate(.oscillation, let temperature, let message) = decisions[3] else {
            Issue.record("expected an oscillation escalation, got \(decisions[3])")
            return
        }
        #expect(abs(temperature - 0.5) < 1e-9)
        #expect(message.contains("alternate") && message.contains("explain why the last fix did not work"))
        let fifth = guardian.record(IterationRecord(number: 5, diffHash: "a", failureSignature: "x3"), spend: Self.spend(5))
        #expect(Self.kind(fifth) == "stop:loop detected")
    }

    @Test("temperature rises step by step after the first detection: base, +0.3, +0.6, then stays")
    func temperatureSteps() {
        var guardian = LoopGuardian(limits: Self.limits)
        var temperatures: [Double] = []
        let attempts: [(String, String?)] = [("a", "x"), ("a", "x"), ("b", "y"), ("c", "z"), ("d", "w")]
        for (index, attempt) in attempts.enumerated() {
            switch guardian.record(IterationRecord(number: index + 1, diffHash: attempt.0, failureSignature: attempt.1), spend: Self.spend(index + 1)) {
            case .proceed(let temperature), .escalate(_, let temperature, _): temperatures.append(temperature)
            case .stop(let reason, let message): Issue.record("unexpected stop \(reason): \(message)")
            }
        }
        #expect(temperatures.map { ($0 * 10).rounded() / 10 } == [0.2, 0.5, 0.8, 0.8, 0.8])
    }

    static let budgets: [(Spend, String?)] = [
        (spend(19), nil),
        (spend(20), "20 iterations"),
        (spend(3, seconds: 600), "600 s"),
        (spend(3, tokens: 10_000), "10000 token"),
        (spend(3, cost: 1.0), "$1.00"),
        (spend(3, cost: nil), nil),
    ]

    @Test("budgets stop the run with reason budget; an unknown cost never trips the cost cap", arguments: budgets.indices)
    func budget(index: Int) {
        let (spend, expected) = Self.budgets[index]
        let decision = LoopGuardian(limits: Self.limits).checkBudget(spend)
        switch (decision, expected) {
        case (.proceed, nil): break
        case (.stop(.budget, let message), let expected?): #expect(message.contains(expected), "\(message)")
        default: Issue.record("spend \(spend): got \(decision), expected \(expected ?? "proceed")")
        }
    }

    @Test("a budget stop wins over a loop in the same iteration")
    func budgetFirst() {
        var guardian = LoopGuardian(limits: LoopLimits(maxIterations: 2))
        _ = guardian.record(IterationRecord(number: 1, diffHash: "a", failureSignature: "x"), spend: Self.spend(1))
        let decision = guardian.record(IterationRecord(number: 2, diffHash: "a", failureSignature: "x"), spend: Self.spend(2))
        #expect(Self.kind(decision) == "stop:budget")
    }
}
