import ConductorDomain
import Testing

@Suite("RunSummary.fold")
struct RunSummaryTests {
    static let id = runID("01hf7yat00abcdefghjkmnpqrs")
    static let here = machine("here")

    static func event(_ clock: UInt64, _ payload: EventPayload, time: Int64? = nil, machine: MachineID = here, sequence: Int = 0) -> Event {
        Event(
            stamp: EventStamp(clock: clock, machine: machine, sequence: sequence),
            time: Timestamp(milliseconds: time ?? 1_700_000_000_000 + Int64(clock) * 1000),
            payload: payload
        )
    }

    static func move(_ from: RunState?, _ to: RunState, _ reason: FailureReason? = nil) -> EventPayload {
        .transition(from: from, to: to, reason: reason, detail: nil)
    }

    static let record = RunRecord(
        id: id, prompt: "Add a --verbose flag\n\nand document it", mode: .fast, baseCommit: String(repeating: "a", count: 40),
        taskBranch: "conductor/add-verbose-pqrs", provider: "script", model: "m", createdAt: Timestamp(milliseconds: 1_700_000_000_000),
        machine: here
    )

    static let lifecycle: [Event] = [
        event(1, move(nil, .precheck)),
        event(2, move(.precheck, .building)),
        event(3, .iterationStarted(number: 1)),
        event(4, move(.building, .verifying)),
        event(5, move(.verifying, .repairing)),
        event(6, move(.repairing, .building)),
        event(7, .iterationStarted(number: 2)),
        event(8, move(.building, .verifying)),
        event(9, move(.verifying, .complete)),
    ]

    @Test("the status comes from the last transition in stamp order, whatever the input order", arguments: 0..<8)
    func statusFromLastTransition(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        let shuffled = Self.lifecycle.shuffled(using: &generator)
        let summary = RunSummary.fold(id: Self.id, record: Self.record, events: shuffled, problem: nil)
        #expect(summary.state == .complete)
        #expect(summary.status == "complete")
        #expect(summary.iterations == 2)
        #expect(summary.eventCount == 9)
        #expect(summary.failureReason == nil)
    }

    @Test("stamp order wins over wall-clock time")
    func stampOrderBeatsWallClock() {
        // Machine clocks disagree: the later event (by Lamport clock) has an earlier wall time.
        let events = [
            Self.event(1, Self.move(nil, .precheck), time: 5_000),
            Self.event(2, Self.move(.precheck, .paused), time: 9_000),
            Self.event(3, Self.move(.paused, .building), time: 1_000),
        ]
        let summary = RunSummary.fold(id: Self.id, record: Self.record, events: events.reversed(), problem: nil)
        #expect(summary.state == .building)
        #expect(summary.lastActivity == Timestamp(milliseconds: 9_000))
    }

    @Test("same clock: machine, then sequence, break the tie")
    func tieBreak() {
        let events = [
            Self.event(4, Self.move(.building, .verifying), machine: machine("b"), sequence: 0),
            Self.event(4, Self.move(.building, .paused), machine: machine("a"), sequence: 1),
            Self.event(4, Self.move(.building, .cancelled), machine: machine("a"), sequence: 0),
        ]
        #expect(RunSummary.fold(id: Self.id, record: Self.record, events: events, problem: nil).state == .verifying)
        #expect(RunSummary.fold(id: Self.id, record: Self.record, events: Array(events.dropFirst()), problem: nil).state == .paused)
    }

    @Test("iterations is the highest number that started, not the count")
    func iterations() {
        let events = [
            Self.event(1, .iterationStarted(number: 3)),
            Self.event(2, .iterationStarted(number: 1)),
            Self.event(3, .iterationStarted(number: 2)),
        ]
        #expect(RunSummary.fold(id: Self.id, record: Self.record, events: events, problem: nil).iterations == 3)
        #expect(RunSummary.fold(id: Self.id, record: Self.record, events: [], problem: nil).iterations == 0)
    }

    @Test("tokens and cost add up over provider calls")
    func tokensAndCost() throws {
        let events = [
            Self.event(1, .usage(TokenUsage(model: "a", tokensIn: 1000, tokensOut: 200, costUSD: 0.01))),
            Self.event(2, .usage(TokenUsage(model: "a", tokensIn: 500, tokensOut: 50, costUSD: 0.0025))),
        ]
        let summary = RunSummary.fold(id: Self.id, record: Self.record, events: events, problem: nil)
        #expect(summary.tokens == 1750)
        let cost = try #require(summary.costUSD)
        #expect(abs(cost - 0.0125) < 1e-12)
    }

    @Test("cost is nil, not zero, when any call's price is unknown")
    func unknownPrice() {
        let events = [
            Self.event(1, .usage(TokenUsage(model: "a", tokensIn: 10, tokensOut: 1, costUSD: 0.5))),
            Self.event(2, .usage(TokenUsage(model: "local", tokensIn: 20, tokensOut: 2, costUSD: nil))),
            Self.event(3, .usage(TokenUsage(model: "a", tokensIn: 30, tokensOut: 3, costUSD: 0.5))),
        ]
        for order in [events, events.reversed()] {
            let summary = RunSummary.fold(id: Self.id, record: Self.record, events: order, problem: nil)
            #expect(summary.tokens == 66)
            #expect(summary.costUSD == nil)
        }
    }

    @Test("no provider call: tokens and cost are both nil")
    func noUsage() {
        let summary = RunSummary.fold(id: Self.id, record: Self.record, events: Self.lifecycle, problem: nil)
        #expect(summary.tokens == nil)
        #expect(summary.costUSD == nil)
    }

    @Test("a failed run carries the reason of its failing transition", arguments: FailureReason.allCases)
    func failureReason(reason: FailureReason) {
        let events = [
            Self.event(1, Self.move(nil, .precheck)),
            Self.event(2, Self.move(.precheck, .failed, reason)),
        ]
        let summary = RunSummary.fold(id: Self.id, record: Self.record, events: events, problem: nil)
        #expect(summary.state == .failed)
        #expect(summary.status == "failed")
        #expect(summary.failureReason == reason)
    }

    @Test("a reason on a transition to anything but FAILED is dropped, and a later move clears it")
    func reasonOnlyWhenFailed() {
        let paused = [Self.event(1, Self.move(nil, .paused, .budget))]
        #expect(RunSummary.fold(id: Self.id, record: Self.record, events: paused, problem: nil).failureReason == nil)
        let resumed = [
            Self.event(1, Self.move(.building, .failed, .verify)),
            Self.event(2, Self.move(.failed, .building)),
        ]
        let summary = RunSummary.fold(id: Self.id, record: Self.record, events: resumed, problem: nil)
        #expect(summary.state == .building)
        #expect(summary.failureReason == nil)
    }

    @Test("the record supplies title, mode, branch and creation time")
    func recordFields() {
        let summary = RunSummary.fold(id: Self.id, record: Self.record, events: Self.lifecycle, problem: nil)
        #expect(summary.title == "Add a --verbose flag")
        #expect(summary.mode == .fast)
        #expect(summary.taskBranch == "conductor/add-verbose-pqrs")
        #expect(summary.createdAt == Timestamp(milliseconds: 1_700_000_000_000))
        #expect(summary.lastActivity == Timestamp(milliseconds: 1_700_000_009_000))
        #expect(summary.problem == nil)
    }

    @Test("an unreadable record marks the run corrupt, dated by its id")
    func corrupt() {
        let summary = RunSummary.fold(id: Self.id, record: nil, events: Self.lifecycle, problem: "run.json: not valid JSON")
        #expect(summary.status == "corrupt")
        #expect(summary.problem == "run.json: not valid JSON")
        #expect(summary.title == "")
        #expect(summary.mode == nil)
        #expect(summary.createdAt == Timestamp(milliseconds: Int64(Self.id.milliseconds)))
        // The events that could be read still count.
        #expect(summary.state == .complete)
        #expect(summary.eventCount == 9)
    }

    @Test("a bad event with a good record keeps the real status")
    func problemWithRecord() {
        let summary = RunSummary.fold(id: Self.id, record: Self.record, events: Self.lifecycle, problem: "events/x.json: bad")
        #expect(summary.status == "complete")
        #expect(summary.problem == "events/x.json: bad")
    }

    @Test("before the first transition the status is new")
    func new() {
        let summary = RunSummary.fold(id: Self.id, record: Self.record, events: [Self.event(1, .iterationStarted(number: 1))], problem: nil)
        #expect(summary.state == nil)
        #expect(summary.status == "new")
        #expect(RunSummary.fold(id: Self.id, record: Self.record, events: [], problem: nil).lastActivity == nil)
    }

    @Test("events of unknown kinds count but change nothing")
    func unknownKinds() {
        let events = Self.lifecycle + [Self.event(10, .unknown(kind: "future-thing"))]
        let summary = RunSummary.fold(id: Self.id, record: Self.record, events: events, problem: nil)
        #expect(summary.state == .complete)
        #expect(summary.eventCount == 10)
    }
}

@Suite("Cache hit share per run")
struct CacheHitShareTests {
    static func usage(_ tokensIn: Int, cached: Int?) -> EventPayload {
        .usage(TokenUsage(model: "m", tokensIn: tokensIn, tokensOut: 10, cachedTokens: cached, costUSD: 0.01))
    }

    @Test("cached over input tokens across the run's calls; unknown when no call reported a cached count")
    func share() {
        let events = [
            RunSummaryTests.event(1, Self.usage(1000, cached: nil)),
            RunSummaryTests.event(2, Self.usage(3000, cached: 2400)),
        ]
        let summary = RunSummary.fold(id: RunSummaryTests.id, record: RunSummaryTests.record, events: events, problem: nil)
        #expect(summary.inputTokens == 4000 && summary.cachedTokens == 2400 && summary.cacheHitShare == 0.6)
        let report = RunsReport(summaries: [summary], verifyResults: [])
        #expect(report.rows.first?.cacheHitShare == 0.6)

        let unknown = RunSummary.fold(id: RunSummaryTests.id, record: RunSummaryTests.record, events: [RunSummaryTests.event(1, Self.usage(500, cached: nil))], problem: nil)
        #expect(unknown.cacheHitShare == nil)
        #expect(RunsReport(summaries: [unknown], verifyResults: []).rows.first?.cacheHitShare == nil)
    }
}
