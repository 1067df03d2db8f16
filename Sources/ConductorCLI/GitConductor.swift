import ArgumentParser
import ConductorKit

/// The root command. git runs `git-conductor` for `git conductor`, so usage lines say
/// `git conductor`.
public struct GitConductor: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "git conductor",
        abstract: "Turn a task prompt into tested code on a task branch, with every record kept in git.",
        discussion: """
            State lives on the orphan branch orchestrator-state and in notes under \
            refs/notes/conductor, so it travels with clones, pushes and fetches.

            Examples:
              $ git conductor init
              $ git conductor log --limit 20
              $ git conductor show 01k9
              $ git conductor doctor

            Exit codes are listed in docs/exit-codes.md.
            """,
        version: ConductorVersion.current,
        subcommands: [RunCommand.self, ResumeCommand.self, ReplayCommand.self, PrBodyCommand.self, PrCommand.self, ReportCommand.self, DemoCommand.self, SteerCommand.self, PauseCommand.self, CancelCommand.self, ApproveCommand.self, InitCommand.self, LogCommand.self, ShowCommand.self, DoctorCommand.self, ConfigCommand.self, FsmCommand.self, GcCommand.self, PushCommand.self, PullCommand.self, SyncCommand.self, HooksCommand.self, ContextCommand.self]
    )

    public init() {}
}
