import ConductorTesting
import Foundation
import Testing

/// What `git conductor run` writes to standard output, off and on a terminal. Off one (these
/// tests' pipes) it must stay plain lines without a single escape byte; on one (a pty made
/// by util-linux `script`) it adds a status line redrawn in place, coloured unless NO_COLOR.
@Suite("git conductor run: terminal output")
struct RunOutputTests {
    static let escape = "\u{1B}"
    static let clearLine = "\r\u{1B}[2K"

    /// One failing answer, then one that passes: every kind of line (transitions, iteration,
    /// BIST, a REPAIRING detour, the outcome) appears.
    static func project() throws -> (Sandbox, String) {
        try RunCommandTests.project(answers: [RunCommandTests.edit("-", "*"), RunCommandTests.edit("*", "+", promise: true)])
    }

    /// Whether `text` holds an SGR (colour) sequence, `ESC [ <digits and ;> m`.
    static func hasColour(_ text: String) -> Bool {
        text.range(of: "\u{1B}\\[[0-9;]*m", options: .regularExpression) != nil
    }

    @Test("off a terminal, with NO_COLOR=1 or without it, the output is the plain lines with no escape byte")
    func plainOffTerminal() throws {
        // `swift test` may pass its own NO_COLOR down: the second case removes it.
        for (environment, removing) in [(["NO_COLOR": "1", "TERM": "xterm-256color"], []), (["TERM": "xterm-256color"], ["NO_COLOR"])] {
            let (sandbox, script) = try Self.project()
            let result = try sandbox.run(
                Tool.conductor, ["run", "Fix add.sh so that it adds", "--script", script, "--verify", "sh test.sh", "--mode", "fast"],
                environment: environment, removing: removing
            )
            #expect(result.status == 0, "\(result)")
            #expect(!result.stdout.contains(Self.escape) && !result.stderr.contains(Self.escape), "\(environment): \(result.stdout.debugDescription)")
            #expect(!result.stdout.contains("\r"), "no redraws off a terminal")
            let lines = lines(result.stdout)
            #expect(lines.first?.hasPrefix("run ") == true && lines.dropFirst().first == "START -> PRECHECK", "\(lines)")
            #expect(lines.contains("iteration 2") && lines.contains("BIST (iteration 1): fail: exit 1 from sh test.sh"), "\(lines)")
            #expect(lines.contains("VERIFYING -> REPAIRING: fail: exit 1 from sh test.sh"), "\(lines)")
            #expect(lines.last?.hasPrefix("COMPLETE after 2 iterations; task branch conductor/fix-add-sh") == true, "\(lines)")
        }
    }

    @Test("--json off a terminal: one JSON object per line, no escape byte, the outcome last")
    func json() throws {
        let (sandbox, script) = try Self.project()
        let result = try RunCommandTests.run(sandbox, script: script, ["--json"])
        #expect(result.status == 0, "\(result)")
        #expect(!result.stdout.contains(Self.escape))
        let objects = try lines(result.stdout).map { try jsonObject($0) }
        #expect(objects.first?["event"] as? String == "started" && objects.last?["event"] as? String == "outcome", "\(objects)")
        #expect(objects.last?["state"] as? String == "COMPLETE")
    }

    // MARK: On a terminal

    /// util-linux `script` runs a command on a fresh pty (`script -qec CMD /dev/null`).
    static let ptyAvailable: Bool = {
        #if os(Linux)
        FileManager.default.isExecutableFile(atPath: "/usr/bin/script")
        #else
        false // BSD script takes other options.
        #endif
    }()

    /// Runs `git conductor run` on a pty with `arguments` added and `environment` in place of
    /// any NO_COLOR this process has; the pty turns `\n` into `\r\n`, which this undoes so
    /// `\r` is left only where the program wrote it.
    static func runOnTerminal(_ sandbox: Sandbox, script: String, verify: String = "sh test.sh", _ arguments: [String] = [], environment: [String: String]) throws -> ProcessResult {
        let words = [Tool.conductor, "run", "Fix add.sh so that it adds", "--script", script, "--verify", verify, "--mode", "fast"] + arguments
        let command = words.map { "'" + $0.replacingOccurrences(of: "'", with: #"'\''"#) + "'" }.joined(separator: " ")
        var result = try sandbox.run("/usr/bin/script", ["-qec", command, "/dev/null"], environment: ["SHELL": "/bin/sh"].merging(environment) { _, new in new }, removing: environment["NO_COLOR"] == nil ? ["NO_COLOR"] : [])
        result.stdout = result.stdout.replacingOccurrences(of: "\r\n", with: "\n")
        return result
    }

    @Test("on a terminal: the status line is redrawn in place, state names are coloured, and the line is cleared before the outcome",
          .enabled(if: ptyAvailable))
    func liveWithColour() throws {
        let (sandbox, script) = try Self.project()
        let result = try Self.runOnTerminal(sandbox, script: script, environment: ["TERM": "xterm-256color"])
        #expect(result.status == 0, "\(result)")
        let output = result.stdout
        #expect(output.contains(Self.clearLine), "\(output.debugDescription)")
        #expect(output.contains("\u{1B}[36mVERIFYING\u{1B}[0m · iteration 2/3 · BIST fail: exit 1 from sh test.sh · 240 tokens ($0.0020)"), "\(output.debugDescription)")
        #expect(output.contains("\u{1B}[36mVERIFYING\u{1B}[0m -> \u{1B}[33mREPAIRING\u{1B}[0m: fail: exit 1 from sh test.sh\n"), "\(output.debugDescription)")
        #expect(output.contains("\u{1B}[1;32mCOMPLETE\u{1B}[0m after 2 iterations"), "\(output.debugDescription)")
        // The status line is cleared, then the outcome is the last thing printed, on a line of its own.
        let last = try #require(output.components(separatedBy: Self.clearLine).last)
        #expect(last.hasPrefix("\u{1B}[1;32mCOMPLETE\u{1B}[0m after 2 iterations; task branch conductor/fix-add-sh") && last.hasSuffix("\n"), "\(last.debugDescription)")
    }

    @Test("on a terminal with NO_COLOR=1: the status line still redraws, without any colour code, and keeps time while a verify runs",
          .enabled(if: ptyAvailable))
    func liveWithoutColour() throws {
        let (sandbox, script) = try RunCommandTests.project(answers: [RunCommandTests.edit("-", "+", promise: true)])
        let result = try Self.runOnTerminal(sandbox, script: script, verify: "sleep 3; sh test.sh", environment: ["TERM": "xterm-256color", "NO_COLOR": "1"])
        #expect(result.status == 0, "\(result)")
        let output = result.stdout
        #expect(!Self.hasColour(output), "\(output.debugDescription)")
        #expect(output.contains("\(Self.clearLine)VERIFYING -> COMPLETE: pass"), "\(output.debugDescription)")
        // While the verify command sleeps, nothing is reported, yet the line is redrawn with
        // the time moving on.
        let waiting = output.components(separatedBy: Self.clearLine)
            .filter { $0.hasPrefix("VERIFYING · iteration 1/3 · ") && !$0.contains("\n") }
            .map { $0.dropFirst("VERIFYING · iteration 1/3 · ".count) }
        #expect(Set(waiting).count >= 2, "redraws while verifying: \(waiting)")
        #expect(output.hasSuffix("COMPLETE after 1 iteration; task branch \(try RunCommandTests.taskBranch(sandbox))\n"), "\(output.debugDescription)")
    }

    @Test("on a terminal, --no-progress and TERM=dumb give the plain lines alone", .enabled(if: ptyAvailable))
    func plainOnTerminal() throws {
        for (arguments, environment) in [(["--no-progress"], ["TERM": "xterm-256color"]), ([], ["TERM": "dumb"])] {
            let (sandbox, script) = try Self.project()
            let result = try Self.runOnTerminal(sandbox, script: script, arguments, environment: environment)
            #expect(result.status == 0, "\(result)")
            #expect(!result.stdout.contains(Self.escape) && !result.stdout.contains("\r"), "\(arguments) \(environment): \(result.stdout.debugDescription)")
            #expect(lines(result.stdout).contains("VERIFYING -> COMPLETE: pass"), "\(result.stdout)")
        }
    }
}
