import ArgumentParser

/// `git conductor context`: the project context documents `setup` writes on the state branch,
/// and what a prompt would carry of the repository (docs/context.md).
struct ContextCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "context",
        abstract: "The project context runs show the model: its documents, and what a prompt would carry.",
        discussion: """
            The documents live under context/ on orchestrator-state, so they travel with
            push and pull like all state; every change is one state commit. 'git conductor
            setup' writes them (docs/context-setup.md).

            Examples:
              $ git conductor context show
              $ git conductor context show workflow.md
              $ git conductor context edit workflow
              $ git conductor context sync --apply
              $ git conductor context pick "the retry delay ignores Retry-After"
            """,
        subcommands: [ContextShowCommand.self, ContextEditCommand.self, ContextSyncCommand.self, ContextPickCommand.self]
    )
}
