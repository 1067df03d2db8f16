import ConductorDomain
import Foundation

/// Housekeeping after a run. Every state write and every iteration's commit adds loose
/// objects, and libgit2 never packs them, so after a run `git gc --auto` gets the chance it
/// would get after the same number of commits made by git itself. It is git's own heuristic
/// (`gc.auto`, `gc.autoPackLimit`) and, by default, git detaches it into the background
/// (`gc.autoDetach`), so it costs the run nothing when there is nothing to do.
public enum RepositoryMaintenance {
    /// Runs `git gc --auto --quiet`; returns a warning when git could not do it, nil
    /// otherwise. A missing `git` executable is not worth a warning: nothing is lost.
    public static func collectGarbage(in repository: ConductorRepository) -> String? {
        let directory = repository.git.workingDirectory ?? repository.git.commonDirectory
        // A detached gc must be left to finish on its own: git gives it no standard streams,
        // so reading ours to their end does not wait for it.
        let command = ExternalCommand(["git", "gc", "--auto", "--quiet"], in: directory, environment: repository.environment)
        guard command.executable != nil else { return nil }
        guard let result = command.run() else { return "could not run git gc --auto" }
        guard result.succeeded else {
            return "git gc --auto exited with status \(result.status): \(result.standardError.trimmingCharacters(in: .whitespacesAndNewlines))"
        }
        return nil
    }
}
