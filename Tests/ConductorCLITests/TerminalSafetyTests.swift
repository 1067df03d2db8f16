import ConductorTesting
import Foundation
import Testing

/// Recorded text (a prompt, a title, an event's detail) is never printed raw by the text
/// outputs: a title that retitles the terminal window or clears the screen shows its control
/// characters instead. JSON keeps the exact text.
@Suite("Terminal safety of recorded text")
struct TerminalSafetyTests {
    /// A prompt that would retitle the window, clear the screen, ring the bell, move the cursor
    /// with an 8-bit CSI (U+009B), reverse the text's direction and break a one-line column.
    /// Its first line is the run's title.
    static let hostile = "Fix add.sh\u{1b}]0;pwned\u{07} so\u{1b}[2J that\u{9b}31m it\u{202e} adds\r\tnow\u{7f}\nSecond line"

    /// The control characters in `text` that a text output may not contain: every C0 control
    /// but line feed and tab, DEL, the C1 controls, and the bidirectional overrides.
    static func controls(in text: String) -> [String] {
        text.unicodeScalars.filter { scalar in
            switch scalar.value {
            case 0x0A, 0x09: false
            case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: true
            default: false
            }
        }.map { "U+" + String($0.value, radix: 16, uppercase: true) }
    }

    static func expectSafe(_ result: ProcessResult, _ command: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(controls(in: result.stdout).isEmpty, "\(command) printed \(controls(in: result.stdout)): \(result.stdout)", sourceLocation: sourceLocation)
        #expect(controls(in: result.stderr).isEmpty, "\(command) printed \(controls(in: result.stderr)) on stderr", sourceLocation: sourceLocation)
    }

    @Test("a real run and a recorded run with escape sequences in their prompts: report, log, show and pr-body print none of them")
    func textOutputs() throws {
        let (sandbox, script) = try RunCommandTests.project(answers: ResumeTests.answers)
        let run = try sandbox.run(Tool.conductor, ["run", Self.hostile, "--script", script, "--verify", "sh test.sh"])
        #expect(run.status == 0, "\(run)")
        Self.expectSafe(run, "run")
        let real = try #require(try jsonArray(sandbox.conductorOK("log", "--json").stdout).first?["id"] as? String)
        let recorded = try sandbox.createRun("\u{1b}P+q\u{1b}\\" + Self.hostile)

        var outputs: [String: ProcessResult] = [:]
        for arguments in [
            ["report"], ["report", real], ["report", recorded], ["log"], ["log", "--oneline"],
            ["show", real], ["show", recorded], ["pr-body", real],
        ] {
            let result = try sandbox.run(Tool.conductor, arguments)
            #expect(result.status == 0, "\(arguments): \(result)")
            Self.expectSafe(result, arguments.joined(separator: " "))
            outputs[arguments.joined(separator: " ")] = result
        }
        // Shown, not dropped: the user can see that the title holds an escape sequence.
        let shown = "Fix add.sh^[]0;pwned^G so^[[2J that<U+009B>31m it<U+202E> adds now^?"
        #expect(outputs["show \(real)"]?.stdout.split(separator: "\n").contains { $0.hasPrefix("Prompt:") && $0.hasSuffix(shown) } == true, "\(outputs["show \(real)"]?.stdout ?? "")")
        #expect(outputs["log --oneline"]?.stdout.contains("\(real) complete \(shown)") == true, "\(outputs["log --oneline"]?.stdout ?? "")")
        // The digest's title stops at the carriage return, a line break for it.
        let reportTitle = "Fix add.sh^[]0;pwned^G so^[[2J that<U+009B>31m it<U+202E> adds"
        #expect(outputs["report \(real)"]?.stdout.hasPrefix("run \(real): \(reportTitle)\n") == true, "\(outputs["report \(real)"]?.stdout ?? "")")
        // One line per run in the tables, however many line breaks the title holds.
        let rows = try #require(outputs["report"]?.stdout.components(separatedBy: "\n\n").first).split(separator: "\n")
        #expect(rows.count == 3, "\(rows)")
        #expect(outputs["log"]?.stdout.split(separator: "\n").count == 3)

        // JSON keeps the exact text, as escapes: JSON's own for C0, \u escapes for the rest.
        for arguments in [["log", "--json"], ["show", real, "--json"], ["report", "--json"]] {
            let result = try sandbox.run(Tool.conductor, arguments)
            Self.expectSafe(result, arguments.joined(separator: " "))
            #expect(result.stdout.contains("\\u001b]0;pwned\\u0007"), "\(arguments): \(result.stdout)")
            #expect(result.stdout.contains("\\u009b31m it\\u202e adds"), "\(arguments): \(result.stdout)")
        }
        let log = try jsonArray(sandbox.conductorOK("log", "--json").stdout)
        let title = String(Self.hostile.prefix { $0 != "\n" })
        #expect(log.compactMap { $0["title"] as? String }.contains(title), "\(log)")
    }
}
