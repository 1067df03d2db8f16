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
        guard CommandAvailability.check("git", in: directory, environment: repository.environment).isRunnable else { return nil }
        // Not the verifier's process-group runner: that waits for the whole tree, and a
        // detached gc must be left to finish on its own.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "gc", "--auto", "--quiet"]
        process.currentDirectoryURL = URL(fileURLWithPath: directory, isDirectory: true)
        process.environment = repository.environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        do {
            try process.run()
        } catch {
            return "could not run git gc --auto: \(error.localizedDescription)"
        }
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            return "git gc --auto exited with status \(process.terminationStatus): \(message.trimmingCharacters(in: .whitespacesAndNewlines))"
        }
        return nil
    }
}
