import ArgumentParser

/// `git conductor context`: the project context documents `setup` writes, on the state branch.
struct ContextCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "context",
        abstract: "Show, edit and sync the project context documents (product, tech stack, workflow).",
        discussion: """
            The documents live under context/ on orchestrator-state, so they travel with
            push and pull like all state; every change is one state commit. 'git conductor
            setup' writes them (docs/context-setup.md).

            Examples:
              $ git conductor context show
              $ git conductor context show workflow.md
              $ git conductor context edit workflow
              $ git conductor context sync --apply
            """,
        // lead: add ContextPickCommand.self to this list.
        subcommands: [ContextShowCommand.self, ContextEditCommand.self, ContextSyncCommand.self]
    )
}
