import ArgumentParser
import ConductorDomain
import ConductorKit

/// `git conductor pr`: pull requests of runs.
struct PrCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pr",
        abstract: "Open the pull request of a run.",
        subcommands: [PrCreateCommand.self]
    )
}

/// `git conductor pr create [<run>]`: push the task branch and the state, open the pull
/// request with `gh`, record its address on the run.
struct PrCreateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Push a run's task branch and the state, and open its pull request with the GitHub CLI.",
        discussion: """
            The body is git conductor pr-body's, saved first to .git/conductor/pr/<run>.md so
            that nothing is lost if gh is missing or not logged in: the error then prints the
            exact gh command to finish by hand. When a pull request for the branch is already
            open, its body is updated instead (gh pr edit). A run that did not complete opens
            as a draft unless --force. The address is recorded on the run; log and show print it.

            Pushes are never forced: the task branch to the remote (default: the current
            branch's upstream remote, else origin), then orchestrator-state and
            refs/notes/conductor, whose rejection is only a warning.

            Examples:
              $ git conductor pr create 01k9x2
              $ git conductor pr create --draft --label conductor --base develop
            """
    )

    @Argument(help: ArgumentHelp("A run id or a unique prefix of one; by default the run of the current branch.", valueName: "run"))
    var runID: String?

    @Option(help: ArgumentHelp("Describe the run that made this branch.", valueName: "name"))
    var branch: String?

    @Option(help: "The remote to push to (default: the current branch's upstream remote, else origin).")
    var remote: String?

    @Option(help: "The branch to merge into (default: the remote's default branch, else main).")
    var base: String?

    @Flag(help: "Open the pull request as a draft.")
    var draft = false

    @Option(name: .customLong("label"), help: ArgumentHelp("A label for the pull request; repeat for several.", valueName: "label"))
    var labels: [String] = []

    @Flag(help: "Open a ready pull request even though the run did not complete.")
    var force = false

    @Option(help: ArgumentHelp("Render the body through this Mustache template.", valueName: "file"))
    var template: String?

    func run() throws {
        try reportingErrors { () throws(ConductorError) in
            let repository = try ConductorRepository.open()
            let (digest, body) = try PrBodyCommand.body(run: runID, branch: branch, format: .markdown, templatePath: template, in: repository)
            let published = try PullRequestPublisher(repository: repository).publish(
                digest, body: body, options: .init(remote: remote, base: base, draft: draft, labels: labels, force: force)
            )
            if let warning = published.stateWarning { Terminal.warning(warning) }
            let verb = published.created ? (published.draft ? "Opened draft" : "Opened") : "Updated the body of"
            Terminal.standardOutput("\(verb) \(published.url)")
        }
    }
}
