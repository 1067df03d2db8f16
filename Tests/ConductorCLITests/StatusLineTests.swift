@testable import ConductorCLI
import ConductorDomain
import ConductorKit
import Testing

/// The live status line and the colours of `git conductor run`, as pure functions: what a
/// terminal would show, without one.
@Suite("run: status line and colours")
struct StatusLineTests {
    static let escape = "\u{1B}"

    static let midRun = LiveProgress(
        maxIterations: 8, state: .verifying, iteration: 2, lastBIST: "fail: 1 of 3 tests", tokens: 12_345, costUSD: 0.0123
    )

    /// `text` without SGR colour sequences (`ESC [ … m`).
    static func withoutColour(_ text: String) -> String {
        var result = ""
        var inSequence = false
        for character in text {
            if inSequence {
                if character == "m" { inSequence = false }
            } else if character == "\u{1B}" {
                inSequence = true
            } else {
                result.append(character)
            }
        }
        return result
    }

    @Test("the line shows state, iteration N/M, the last BIST result, tokens with cost, and elapsed time, in that order")
    func content() {
        let line = StatusLine.text(Self.midRun, elapsedSeconds: 65, colour: false)
        #expect(line == "VERIFYING · iteration 2/8 · BIST fail: 1 of 3 tests · 12,345 tokens ($0.0123) · 1m05s")
        #expect(!line.contains(Self.escape))
    }

    @Test("what is not known yet is left out: no iteration while planning, no BIST before the first, no tokens before usage")
    func early() {
        let planning = LiveProgress(maxIterations: 8, state: .planning)
        #expect(StatusLine.text(planning, elapsedSeconds: 3, colour: false) == "PLANNING · 3s")
        #expect(StatusLine.text(LiveProgress(maxIterations: 3), elapsedSeconds: 0, colour: false) == "STARTING · 0s")
        let unknownCost = LiveProgress(maxIterations: 8, state: .building, iteration: 1, tokens: 999, costUSD: nil)
        #expect(StatusLine.text(unknownCost, elapsedSeconds: 0, colour: false) == "BUILDING · iteration 1/8 · 999 tokens · 0s")
    }

    @Test("with colour on, only the state name is wrapped in an SGR sequence and reset; the rest reads the same")
    func colour() {
        let coloured = StatusLine.text(Self.midRun, elapsedSeconds: 65, colour: true)
        #expect(coloured.hasPrefix("\u{1B}[36mVERIFYING\u{1B}[0m · iteration 2/8"), "\(coloured.debugDescription)")
        #expect(Self.withoutColour(coloured) == StatusLine.text(Self.midRun, elapsedSeconds: 65, colour: false))
    }

    @Test("states have their colours: COMPLETE green, FAILED red, REPAIRING, PAUSED and CANCELLED yellow, work in cyan")
    func palette() {
        #expect(StatePalette.paint(.complete, colour: true) == "\u{1B}[1;32mCOMPLETE\u{1B}[0m")
        #expect(StatePalette.paint(.failed, colour: true) == "\u{1B}[1;31mFAILED\u{1B}[0m")
        for state in [RunState.repairing, .paused, .cancelled] {
            #expect(StatePalette.paint(state, colour: true) == "\u{1B}[33m\(state.rawValue)\u{1B}[0m")
        }
        #expect(StatePalette.paint(.building, colour: true) == "\u{1B}[36mBUILDING\u{1B}[0m")
        for state in RunState.allCases {
            #expect(StatePalette.paint(state, colour: false) == state.rawValue)
        }
        var done = Self.midRun
        done.state = .complete
        #expect(StatusLine.text(done, elapsedSeconds: 1, colour: true).hasPrefix("\u{1B}[1;32mCOMPLETE\u{1B}[0m · "))
    }

    @Test("elapsed time: seconds, then minutes and seconds, then hours", arguments: [
        (0, "0s"), (7, "7s"), (59, "59s"), (60, "1m00s"), (65, "1m05s"), (3599, "59m59s"), (3600, "1h00m00s"), (3723, "1h02m03s"), (-5, "0s"),
    ])
    func elapsed(seconds: Int, expected: String) {
        #expect(StatusLine.elapsed(seconds) == expected)
    }

    @Test("token counts are grouped by thousands whatever the locale", arguments: [
        (0, "0"), (999, "999"), (1000, "1,000"), (12_345, "12,345"), (1_234_567, "1,234,567"),
    ])
    func grouping(value: Int, expected: String) {
        #expect(StatusLine.grouped(value) == expected)
    }

    @Test("a line wider than the terminal is cut to one column less, ending in …, and keeps its colour when the state survives")
    func width() {
        let cut = StatusLine.text(Self.midRun, elapsedSeconds: 65, colour: false, width: 30)
        #expect(cut == "VERIFYING · iteration 2/8 · …" && cut.count == 29, "\(cut)")
        let colouredCut = StatusLine.text(Self.midRun, elapsedSeconds: 65, colour: true, width: 30)
        #expect(colouredCut == "\u{1B}[36mVERIFYING\u{1B}[0m · iteration 2/8 · …")
        #expect(!StatusLine.text(Self.midRun, elapsedSeconds: 65, colour: true, width: 6).contains(Self.escape), "a cut state name is not coloured")
        let wide = StatusLine.text(Self.midRun, elapsedSeconds: 65, colour: false, width: 200)
        #expect(wide == StatusLine.text(Self.midRun, elapsedSeconds: 65, colour: false))
    }

    @Test("the progress folds the engine's updates: state, iteration, last BIST (kept into the next iteration), usage totals")
    func folding() throws {
        let run = try #require(RunID("01k9z8x7w6v5t4s3r2q1p0n9m8"))
        var progress = LiveProgress(maxIterations: 8)
        let updates: [EngineUpdate] = [
            .started(run, taskBranch: "conductor/fix-it-p0n9m8"), .transition(from: nil, to: .precheck, detail: nil),
            .transition(from: .precheck, to: .building, detail: nil), .iteration(1), .usage(tokens: 120, costUSD: 0.001),
            .transition(from: .building, to: .verifying, detail: "commit abc1234"), .verified(iteration: 1, summary: "fail: exit 1 from sh test.sh"),
            .transition(from: .verifying, to: .repairing, detail: nil), .warning("something"), .transition(from: .repairing, to: .building, detail: nil),
            .iteration(2), .usage(tokens: 260, costUSD: 0.002),
        ]
        for update in updates { progress.apply(update) }
        #expect(progress == LiveProgress(maxIterations: 8, state: .building, iteration: 2, lastBIST: "fail: exit 1 from sh test.sh", tokens: 260, costUSD: 0.002))
        #expect(StatusLine.text(progress, elapsedSeconds: 12, colour: false) == "BUILDING · iteration 2/8 · BIST fail: exit 1 from sh test.sh · 260 tokens ($0.0020) · 12s")
    }

    @Test("permanent lines read as before without colour; with it, state names and the warning label are coloured; usage has no line")
    func permanentLines() {
        #expect(RunPrinter.line(.transition(from: .building, to: .verifying, detail: "commit abc1234")) == "BUILDING -> VERIFYING: commit abc1234")
        #expect(RunPrinter.line(.transition(from: nil, to: .precheck, detail: nil)) == "START -> PRECHECK")
        #expect(RunPrinter.line(.warning("loop guardian: oscillation; escalating")) == "warning: loop guardian: oscillation; escalating")
        #expect(RunPrinter.line(.verified(iteration: 3, summary: "pass (2 tests)")) == "BIST (iteration 3): pass (2 tests)")
        #expect(RunPrinter.line(.transition(from: .repairing, to: .failed, detail: "loop detected: x"), colour: true)
            == "\u{1B}[33mREPAIRING\u{1B}[0m -> \u{1B}[1;31mFAILED\u{1B}[0m: loop detected: x")
        #expect(RunPrinter.line(.warning("careful"), colour: true) == "\u{1B}[33mwarning:\u{1B}[0m careful")
        #expect(RunPrinter.line(.usage(tokens: 10, costUSD: nil)) == nil)
        #expect(RunPrinter.fields(.usage(tokens: 10, costUSD: nil)) == nil)
    }

    @Test("the live line: permanent lines go above it (clear, print, redraw), redraws replace it, close clears it for good")
    func drawing() {
        let written = Locked<[String]>([])
        let status = LiveStatus(maxIterations: 8, colour: false, output: { text in written.withLock { $0.append(text) } }, width: { nil })
        status.redraw()
        #expect(written.withLock { $0 }.isEmpty, "nothing is drawn before the first update")
        status.show(.transition(from: nil, to: .precheck, detail: nil), line: "START -> PRECHECK")
        status.show(.iteration(1), line: "iteration 1")
        status.show(.usage(tokens: 1200, costUSD: nil), line: nil)
        status.redraw()
        status.close()
        status.close()
        status.redraw()
        status.show(.warning("late"), line: "warning: late")
        let clear = LiveStatus.clearLine
        #expect(written.withLock { $0 } == [
            "START -> PRECHECK\nPRECHECK · 0s",
            "\(clear)iteration 1\nPRECHECK · iteration 1/8 · 0s",
            "\(clear)PRECHECK · iteration 1/8 · 1,200 tokens · 0s",
            "\(clear)PRECHECK · iteration 1/8 · 1,200 tokens · 0s",
            clear,
            "warning: late\n",
        ])
    }

    @Test("output style: --json wins; off a terminal, with --no-progress or TERM=dumb the plain lines; colour unless NO_COLOR is non-empty")
    func style() {
        func choose(json: Bool = false, noProgress: Bool = false, terminal: Bool = true, _ environment: [String: String] = ["TERM": "xterm-256color"]) -> RunOutputStyle {
            RunOutputStyle.choose(json: json, noProgress: noProgress, standardOutputIsTerminal: terminal, environment: environment)
        }
        #expect(choose() == .live(colour: true))
        #expect(choose(json: true) == .json)
        #expect(choose(json: true, terminal: false) == .json)
        #expect(choose(terminal: false) == .plain)
        #expect(choose(terminal: false, ["TERM": "xterm", "FORCE_COLOR": "1"]) == .plain)
        #expect(choose(noProgress: true) == .plain)
        #expect(choose(["TERM": "xterm", "NO_COLOR": "1"]) == .live(colour: false))
        #expect(choose(["TERM": "xterm", "NO_COLOR": "0"]) == .live(colour: false), "any non-empty value counts")
        #expect(choose(["TERM": "xterm", "NO_COLOR": ""]) == .live(colour: true), "an empty NO_COLOR does not")
        #expect(choose(["TERM": "dumb"]) == .plain)
        #expect(choose([:]) == .live(colour: true))
    }
}
