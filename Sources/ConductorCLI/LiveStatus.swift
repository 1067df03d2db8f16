import ConductorKit
import Dispatch
import Foundation

/// The status line at the bottom of a terminal while a run works: redrawn in place (`\r` and
/// erase-line) on every engine update and once a second in between, so the elapsed time moves
/// while the engine waits on the model or a verify command. Permanent lines (transitions,
/// warnings) are printed above it: clear the line, print, redraw.
///
/// The engine reports from whatever thread it is on and the ticker runs on its own, so all
/// drawing happens under one lock and output never interleaves.
final class LiveStatus: Sendable {
    /// Carriage return, then erase the whole line (ECMA-48 EL 2).
    static let clearLine = "\r\u{1B}[2K"

    private struct Screen {
        var progress: LiveProgress
        /// Whether the status line is on screen, and must be cleared before anything else.
        var shown = false
        var closed = false
    }

    private let screen: Locked<Screen>
    private let colour: Bool
    private let started = ContinuousClock.now
    private let stopTicking = DispatchSemaphore(value: 0)
    private let output: @Sendable (String) -> Void
    private let width: @Sendable () -> Int?

    /// `output` writes text as is (no newline added); `width` gives the terminal's columns.
    init(
        maxIterations: Int?, colour: Bool,
        output: @escaping @Sendable (String) -> Void = Terminal.write,
        width: @escaping @Sendable () -> Int? = { Terminal.width }
    ) {
        screen = Locked(Screen(progress: LiveProgress(maxIterations: maxIterations)))
        self.colour = colour
        self.output = output
        self.width = width
    }

    /// Starts the once-a-second redraw. It runs on a thread of its own rather than a task:
    /// the engine blocks a thread of the cooperative pool while a verify command runs, and
    /// on a machine with one core that would leave a ticking task no thread to run on.
    func startTicking() {
        Thread.detachNewThread { [self] in
            while stopTicking.wait(timeout: .now() + .seconds(1)) == .timedOut { redraw() }
        }
    }

    /// Folds `update` into the line, prints `line` above it when there is one, and redraws.
    func show(_ update: EngineUpdate, line: String?) {
        screen.withLock { screen in
            screen.progress.apply(update)
            if screen.closed {
                if let line { output(line + "\n") }
                return
            }
            var text = screen.shown ? Self.clearLine : ""
            if let line { text += line + "\n" }
            output(text + render(screen.progress))
            screen.shown = true
        }
    }

    /// Draws the line again with the current elapsed time; nothing before the first update
    /// or after ``close()``.
    func redraw() {
        screen.withLock { screen in
            guard screen.shown, !screen.closed else { return }
            output(Self.clearLine + render(screen.progress))
        }
    }

    /// Clears the line and stops the ticker, leaving the terminal as if the line had never
    /// been there: the outcome line, or an error on standard error, comes next. Idempotent.
    func close() {
        screen.withLock { screen in
            guard !screen.closed else { return }
            screen.closed = true
            if screen.shown { output(Self.clearLine) }
            screen.shown = false
        }
        stopTicking.signal()
    }

    private func render(_ progress: LiveProgress) -> String {
        let seconds = Int((ContinuousClock.now - started).components.seconds)
        return StatusLine.text(progress, elapsedSeconds: seconds, colour: colour, width: width())
    }
}
