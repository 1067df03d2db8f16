import ArgumentParser
import ConductorDomain
import ConductorKit

/// `git conductor resume <run>`: continue an interrupted or paused run in this process.
struct ResumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Continue an interrupted or paused run from its last recorded state.",
        discussion: """
            A run records each state before it does that state's work, with its configuration
            and its loop's checkpoint, so a run whose process died ('interrupted' in git
            conductor log) or that was paused continues where it stopped: answers it already
            received are not asked for again, a commit already made is verified rather than
            made twice, and a worktree that is gone is recreated from the task branch. A run
            started on another clone resumes here once git conductor pull has brought its state
            and task branch (pushed with git conductor push --runs).

            Examples:
              $ git conductor resume 01k9x2
              $ git conductor resume 01k9x2 --json

            Exit codes as for git conductor run; 9 when another live process is working on
            the run, 13 when it has already ended (docs/exit-codes.md).
            """
    )

    @Argument(help: runArgumentHelp)
    var runID: String

    @OptionGroup var output: RunOutputOptions

    func run() async throws {
        let outcome = try await RunDriver.drive(output.printer(maxIterations: nil), logging: output.logging) { (engine) async throws(ConductorError) in
            // A run pushed from another clone: its task branch comes from the remote's copy.
            if let adopted = try RemoteTaskBranch(repository: ConductorRepository.open()).adoptForResume(runID) {
                Terminal.standardError(adopted)
            }
            return try await engine.resume(runID)
        }
        throw ExitCode(RunExitCode(outcome).rawValue)
    }
}
