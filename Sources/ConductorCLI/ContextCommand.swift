import ArgumentParser

/// `git conductor context`: the project context a run's prompts carry (docs/context.md).
struct ContextCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "context",
        abstract: "Inspect what runs show the model of the repository.",
        subcommands: [ContextPickCommand.self]
    )
}
