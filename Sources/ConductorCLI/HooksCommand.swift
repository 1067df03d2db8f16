import ArgumentParser
import ConductorKit
import Foundation

/// `git conductor hooks install|uninstall`: the pre-push hook that pushes the state.
struct HooksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hooks",
        abstract: "Install or remove the pre-push hook that pushes the state after your pushes.",
        discussion: """
            The pre-push hook (hooks/pre-push in git-conductor's sources) runs git conductor \
            push to the same remote after each of your git pushes, in the background: it never \
            blocks or fails your push, skips pushes of the state itself, and logs to \
            .git/conductor/pre-push.log. See docs/sync.md.

            Examples:
              $ git conductor hooks install
              $ git conductor hooks uninstall
            """,
        subcommands: [Install.self, Uninstall.self]
    )

    struct Install: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Install the pre-push hook (chaining a pre-push hook that is already there).",
            discussion: """
                Installs into the directory git runs hooks from: core.hooksPath when it is set, \
                else .git/hooks. A pre-push hook that is already there and is not \
                git-conductor's is renamed pre-push.before-conductor and run first by ours, with \
                the same arguments and input; its verdict stands. Running it again updates the \
                hook.
                """
        )

        @Flag(help: "Print what was done as JSON.")
        var json = false

        func run() throws {
            try reportingErrors { () throws(ConductorError) in
                let hook = PrePushHook(repository: try ConductorRepository.open())
                let executable = Bundle.main.executableURL?.resolvingSymlinksInPath().path
                let report = try hook.install(executable: executable)
                if json { return Terminal.json(report) }
                let verb = report.action == .updated ? "Updated" : "Installed"
                var text = "\(verb) the pre-push hook at \(report.path)."
                if let chained = report.chained { text += "\nIt runs your earlier hook first, now at \(chained)." }
                Terminal.standardOutput(text)
            }
        }
    }

    struct Uninstall: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove the pre-push hook and put back the hook it chained.",
            discussion: "A pre-push hook that is not git-conductor's is left alone."
        )

        @Flag(help: "Print what was done as JSON.")
        var json = false

        func run() throws {
            try reportingErrors { () throws(ConductorError) in
                let report = try PrePushHook(repository: try ConductorRepository.open()).uninstall()
                if json { return Terminal.json(report) }
                switch report.action {
                case .uninstalled:
                    Terminal.standardOutput("Removed the pre-push hook at \(report.path)." + (report.chained != nil ? " Your earlier hook is back in its place." : ""))
                case .leftAlone:
                    Terminal.standardOutput("\(report.path) is not git-conductor's hook; left it alone.")
                default:
                    Terminal.standardOutput("No git-conductor pre-push hook at \(report.path); nothing to do.")
                }
            }
        }
    }
}
