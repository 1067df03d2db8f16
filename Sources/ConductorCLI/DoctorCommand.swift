import ArgumentParser
import ConductorKit
import Foundation

/// `git conductor doctor`: preflight checks, each ok, warning or error with a fix.
struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the repository, libgit2, the state branch, git configuration, identity, and the state against each remote.",
        discussion: """
            Each check prints ok, warning or error, and how to fix what is not ok. Per \
            remote, the state and notes are compared with what was last fetched or pushed \
            (ahead, behind, diverged, runs not pushed), without using the network; the \
            pre-push hook is reported too (docs/sync.md).
            Exits with 1 when any check is an error, 0 otherwise (warnings included).

            Example:
              $ git conductor doctor
            """
    )

    @Flag(help: "Print the checks as JSON.")
    var json = false

    func run() throws {
        let checks = Doctor.run(
            directory: FileManager.default.currentDirectoryPath,
            environment: ProcessInfo.processInfo.environment
        )
        if json {
            Terminal.json(checks)
        } else {
            Terminal.standardOutput(Self.render(checks))
        }
        if checks.contains(where: { $0.level == .error }) {
            throw ExitCode(ConductorExitCode.checksFailed.rawValue)
        }
    }

    static func render(_ checks: [DoctorCheck]) -> String {
        let width = checks.map(\.name.count).max() ?? 0
        return checks.map { check in
            let label = "[\(check.level.rawValue)]".padding(toLength: 9, withPad: " ", startingAt: 0)
            var line = "\(label) \(check.name.padding(toLength: width, withPad: " ", startingAt: 0))  \(check.message)"
            if let fix = check.fix, check.level != .ok { line += "\n\(String(repeating: " ", count: width + 12))fix: \(fix)" }
            return line
        }.joined(separator: "\n")
    }
}
