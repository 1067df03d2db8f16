import ArgumentParser
import ConductorDomain
import ConductorKit
import Foundation

/// The documented exit codes (docs/exit-codes.md). Scripts may rely on them.
public enum ConductorExitCode: Int32, CaseIterable {
    case success = 0
    /// `doctor` found at least one error.
    case checksFailed = 1
    case notARepository = 2
    case stateBranchMissing = 3
    case runNotFound = 4
    case ambiguousRunID = 5
    case unsupportedStateFormat = 6
    case corruptState = 7
    /// A file under `.git/conductor/` could not be written, or writers kept racing.
    case environment = 8
    /// A run's task branch or worktree is in the way or not as the command needs it.
    case workspaceConflict = 9
    /// `steer`, `pause`, `cancel` or `approve` named a run that has already ended.
    case runFinished = 13
    /// The configuration has errors (`config validate`, or any command that needs it).
    case configInvalid = 15
    /// `pr create` could not push, or could not open or update the pull request.
    case publishFailed = 16
    /// `push`, `pull`, `sync`: the remote could not be reached (network, URL, credentials).
    case remoteUnreachable = 17
    /// `push`, `sync`: the remote still refused the state after merging and retrying, or
    /// refused a task branch (which is never merged or forced).
    case syncRejected = 18
    /// Bad arguments (swift-argument-parser's usage error).
    case usage = 64
    /// libgit2 failed in a way we did not expect, or the engine broke its own rules; the
    /// message is printed.
    case gitFailure = 70

    init(for error: ConductorError) {
        self = switch error {
        case .notARepository: .notARepository
        case .stateBranchMissing: .stateBranchMissing
        case .runNotFound, .noRunForBranch, .iterationNotFound: .runNotFound
        case .branchNotFound, .invalidTemplate: .usage
        case .pushFailed, .pullRequestFailed: .publishFailed
        case .ambiguousRunID: .ambiguousRunID
        case .unsupportedStateFormat: .unsupportedStateFormat
        case .corruptState: .corruptState
        case .runExists, .invalidArtifactPath, .invalidBranchName: .usage
        case .taskBranchExists, .taskBranchMissing, .baseCommitMissing, .worktreeConflict: .workspaceConflict
        case .tooManyConcurrentWriters, .fileSystem: .environment
        case .runFinished: .runFinished
        case .runInProgress, .runNotResumable: .workspaceConflict
        case .providerUnavailable: .environment
        case .invalidConfiguration: .configInvalid
        case .git, .internalInconsistency: .gitFailure
        case .unknownRemote: .usage
        case .remoteUnreachable: .remoteUnreachable
        case .syncRejected: .syncRejected
        case .unknownContextDocument: .usage
        case .contextDocumentMissing: .stateBranchMissing
        case .editorFailed: .environment
        }
    }
}

/// ``reportingErrors(_:)`` for commands that await.
func reportingErrorsAsync(_ body: () async throws(ConductorError) -> Void) async throws(ExitCode) {
    do {
        try await body()
    } catch {
        throw report(error)
    }
}

/// Runs a command body, reporting a ``ConductorError`` as `error:` and `hint:` lines on
/// standard error and exiting with its documented code: never a stack trace.
func reportingErrors(_ body: () throws(ConductorError) -> Void) throws(ExitCode) {
    do {
        try body()
    } catch {
        throw report(error)
    }
}

/// Prints the error and its hint; returns the exit code to leave with.
private func report(_ error: ConductorError) -> ExitCode {
    Terminal.error(error.description)
    if let hint = error.hint { Terminal.standardError("hint: \(TerminalText.visible(hint))") }
    return ExitCode(ConductorExitCode(for: error).rawValue)
}
