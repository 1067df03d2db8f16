import ConductorDomain
import Testing

private let run = runID("01hf7yat00aaaaaaaaaabbbbbb")

@Suite("Worktree sweep (gc decisions)")
struct WorktreeSweepTests {
    typealias Decision = WorktreeSweep.Decision

    @Test("the decision table", arguments: [
        // registered, directory, progress → decision
        (true, true, RunProgress.finished(.complete), Decision.remove),
        (true, true, .finished(.failed), .remove),
        (true, true, .finished(.cancelled), .remove),
        (true, true, .active(.building), .keep(.active(.building))),
        (true, true, .active(.paused), .keep(.active(.paused))),
        (true, true, .active(nil), .keep(.active(nil))),
        (true, true, .unknown, .keep(.unknownRun)),
        (true, false, .finished(.complete), .prune),
        (true, false, .active(.verifying), .prune),
        (true, false, .unknown, .prune),
        (false, true, .finished(.failed), .deleteDirectory),
        (false, true, .active(.building), .keep(.active(.building))),
        (false, true, .unknown, .keep(.unknownRun)),
        (false, false, .finished(.complete), .nothing),
        (false, false, .unknown, .nothing),
    ])
    func table(registered: Bool, directory: Bool, progress: RunProgress, expected: Decision) {
        let observation = WorktreeObservation(run: run, registered: registered, directoryExists: directory)
        #expect(WorktreeSweep.decide(observation, run: progress) == expected)
    }

    @Test("a locked worktree is always kept", arguments: [
        (true, true), (true, false), (false, true),
    ])
    func locked(registered: Bool, directory: Bool) {
        for progress in [RunProgress.finished(.complete), .active(.building), .unknown] {
            let observation = WorktreeObservation(run: run, registered: registered, directoryExists: directory, lockReason: "on a USB disk")
            #expect(WorktreeSweep.decide(observation, run: progress) == .keep(.locked("on a USB disk")))
        }
    }

    @Test("progress follows the state machine's notion of final")
    func progressFromState() {
        #expect(RunProgress(state: nil) == .active(nil))
        for state in RunState.allCases {
            #expect(RunProgress(state: state) == (state.isFinal ? .finished(state) : .active(state)))
        }
    }

    @Test("reasons for keeping read as sentences")
    func reasons() {
        #expect(WorktreeSweep.KeepReason.locked("").description == "locked")
        #expect(WorktreeSweep.KeepReason.locked("why").description == "locked: why")
        #expect(WorktreeSweep.KeepReason.active(.awaitingApproval).description == "run is awaiting_approval")
        #expect(WorktreeSweep.KeepReason.active(nil).description == "run is new")
        #expect(WorktreeSweep.KeepReason.unknownRun.description == "no such run on the state branch")
    }
}
