import ConductorDomain
import GitKit

/// Everything that can go wrong in the conductor, phrased for the person at the terminal:
/// each case names the file, ref or argument at fault, and ``hint`` says what to do.
public enum ConductorError: Error, Equatable, CustomStringConvertible {
    case notARepository(path: String)
    case stateBranchMissing
    case unsupportedStateFormat(found: Int)
    case corruptState(path: String, detail: String)
    case runNotFound(String)
    case ambiguousRunID(String, candidates: [RunID])
    case runExists(RunID)
    case invalidArtifactPath(String)
    case tooManyConcurrentWriters(ref: String, attempts: Int)
    case fileSystem(path: String, detail: String)
    /// A task branch name that git (or our narrower rules) would not accept.
    case invalidBranchName(String, reason: String)
    /// The run's task branch exists already: precheck, or creating the run's worktree.
    case taskBranchExists(String)
    /// The run's task branch is gone, so its worktree cannot be recreated.
    case taskBranchMissing(String)
    /// The commit a run starts from is not in this repository.
    case baseCommitMissing(String)
    /// A run's worktree is not as the command needs it: in the way, locked, on another
    /// branch, or its branch moved underneath it.
    case worktreeConflict(path: String, detail: String)
    /// The run has ended, so it cannot be steered any more.
    case runFinished(RunID, state: RunState)
    /// `resume` found the run being worked on by a live process (pid and host of its lock).
    case runInProgress(RunID, holder: String)
    /// `resume` or `replay` cannot rebuild what the run needs (its configuration, its answers).
    case runNotResumable(RunID, detail: String)
    /// `show --iteration N` of a run that recorded no such iteration.
    case iterationNotFound(RunID, iteration: Int)
    /// A Mustache template that does not parse; line and column when the parser says.
    case invalidTemplate(path: String, line: Int?, column: Int?, detail: String)
    /// `git push` of a branch or of the state was refused.
    case pushFailed(what: String, detail: String)
    /// The pull request could not be opened or updated; the body is in `bodyFile` and
    /// `manual` is the command that finishes the job by hand.
    case pullRequestFailed(detail: String, manual: String, bodyFile: String)
    /// A branch named on the command line does not exist.
    case branchNotFound(String)
    /// No run made this branch: no note, no trailer, no record on the state branch.
    case noRunForBranch(String)
    /// The run's provider could not be set up (a script that does not load, a recording that is gone).
    case providerUnavailable(String, detail: String)
    /// The configuration has errors: each names the key and where its value was written.
    case invalidConfiguration([ConfigurationProblem])
    /// The engine tried something its own rules forbid: a bug, reported rather than recorded.
    case internalInconsistency(String)
    case git(GitError)
    /// `push`, `pull` or `sync` named a remote this repository does not have.
    case unknownRemote(String)
    /// `git fetch` or `git push` could not talk to the remote (network, URL, credentials).
    case remoteUnreachable(remote: String, detail: String)
    /// The remote still refused the state after merging and retrying, or refused a task branch.
    case syncRejected(remote: String, refs: [String], detail: String)
    /// `context show` or `context edit` named a document that does not exist.
    case unknownContextDocument(String, valid: [String])
    /// `context show <file>` named a document that was never written.
    case contextDocumentMissing(String)
    /// The editor `context edit` started failed or could not be started.
    case editorFailed(command: String, detail: String)

    public var description: String {
        switch self {
        case .notARepository(let path):
            "not a git repository (or any parent up to the mount point): \(path)"
        case .stateBranchMissing:
            "no state branch: \(StateLayout.branch) does not exist"
        case .unsupportedStateFormat(let found):
            "\(StateLayout.branch) uses state format \(found), but this git-conductor understands format \(StateFormat.current.format) only"
        case let .corruptState(path, detail):
            "corrupt state in \(StateLayout.branch):\(path): \(detail)"
        case .runNotFound(let text):
            "unknown run '\(text)'"
        case let .ambiguousRunID(text, candidates):
            "run id prefix '\(text)' is ambiguous; it matches:\n" + candidates.map { "  \($0)" }.joined(separator: "\n")
        case .runExists(let id):
            "run \(id) already exists on \(StateLayout.branch)"
        case .invalidArtifactPath(let path):
            "'\(path)' is not a valid path inside a run's directory"
        case let .tooManyConcurrentWriters(ref, attempts):
            "gave up updating \(ref) after \(attempts) attempts: other writers kept moving it"
        case let .fileSystem(path, detail):
            "\(path): \(detail)"
        case let .invalidBranchName(name, reason):
            "'\(name)' is not a valid task branch name: \(reason)"
        case .taskBranchExists(let name):
            "task branch \(name) already exists"
        case .taskBranchMissing(let name):
            "task branch \(name) does not exist"
        case .baseCommitMissing(let commit):
            "base commit \(commit) is not in this repository"
        case let .worktreeConflict(path, detail):
            "worktree \(path): \(detail)"
        case let .runFinished(id, state):
            "run \(id) has already ended (\(state.displayName))"
        case let .runInProgress(id, holder):
            "run \(id) is being worked on by process \(holder)"
        case let .runNotResumable(id, detail):
            "run \(id) cannot be resumed: \(detail)"
        case let .iterationNotFound(id, iteration):
            "run \(id) recorded no iteration \(iteration)"
        case let .invalidTemplate(path, line, column, detail):
            "\(path)\(line.map { ":\($0)" } ?? "")\(column.map { ":\($0)" } ?? ""): not a valid Mustache template: \(detail)"
        case let .pushFailed(what, detail):
            "could not push \(what): \(detail)"
        case let .pullRequestFailed(detail, _, _):
            "could not open the pull request: \(detail)"
        case .branchNotFound(let name):
            "branch \(name) does not exist"
        case .noRunForBranch(let name):
            "no run made branch \(name): its commits carry no conductor note or Conductor-Run trailer, and no run on the state branch names it"
        case let .providerUnavailable(name, detail):
            "provider \(name): \(detail)"
        case .invalidConfiguration(let problems):
            "invalid configuration:\n" + problems.map { "  \($0.severity.rawValue): \($0)" }.joined(separator: "\n")
        case .internalInconsistency(let detail):
            "internal error: \(detail)"
        case .git(let error):
            error.description
        case .unknownRemote(let name):
            "no remote named '\(name)'"
        case let .remoteUnreachable(remote, detail):
            "could not reach remote '\(remote)': \(detail)"
        case let .syncRejected(remote, refs, detail):
            "remote '\(remote)' refused \(refs.joined(separator: ", ")): \(detail)"
        case let .unknownContextDocument(name, valid):
            "unknown context document '\(name)'; the documents are \(valid.joined(separator: ", "))"
        case .contextDocumentMissing(let name):
            "\(StateLayout.contextDirectory)/\(name) has not been written"
        case let .editorFailed(command, detail):
            "editor '\(command)' failed: \(detail)"
        }
    }

    /// What the user can do about it, when there is something to do.
    public var hint: String? {
        switch self {
        case .notARepository: "run this inside a git repository, or set GIT_DIR"
        case .stateBranchMissing: "run 'git conductor init' to create it"
        case .unsupportedStateFormat: "upgrade git-conductor; nothing was changed"
        case .corruptState: "inspect it with 'git show \(StateLayout.branch)' and 'git conductor doctor'"
        case .runNotFound: "list runs with 'git conductor log'"
        case .iterationNotFound(let id, _): "'git conductor show \(id)' lists its iterations"
        case .ambiguousRunID: "type more characters of the run id"
        case .tooManyConcurrentWriters: "try again; nothing was lost"
        case .taskBranchExists(let name): "a new run never reuses a branch; if it is left over from an earlier attempt, delete it with 'git branch -D \(name)'"
        case .taskBranchMissing: "fetch it from the clone that made the run, or start a new run"
        case .baseCommitMissing: "fetch the commit from the remote the run was started from"
        case .pushFailed: "fetch and merge what the remote has, or push by hand; nothing was forced"
        case let .pullRequestFailed(_, manual, bodyFile): "the body is saved in \(bodyFile); open the pull request by hand with:\n  \(manual)"
        case .noRunForBranch: "name the run: git conductor pr-body <run>; git conductor log lists them"
        case .runInProgress: "wait for it, or stop it with 'git conductor pause <run>'"
        case .invalidConfiguration: "fix the keys named above; 'git conductor config show --effective' shows every value and where it comes from (docs/configuration.md)"
        case .worktreeConflict: "inspect it with 'git worktree list'; 'git conductor gc' cleans up worktrees of finished runs"
        case .unknownRemote: "list remotes with 'git remote -v', or add one with 'git remote add <name> <url>'"
        case .remoteUnreachable: "check the URL ('git remote -v'), the network and your credentials; nothing was changed locally"
        case .syncRejected: "nothing was forced; run 'git conductor sync' again, or look at the remote's state with 'git conductor pull'"
        case .unknownContextDocument: "'git conductor context show' lists them"
        case .contextDocumentMissing(let name): "run 'git conductor setup', or write it with 'git conductor context edit \(name)'"
        case .editorFailed: "set VISUAL or EDITOR to an editor that exits 0; nothing was changed"
        default: nil
        }
    }
}

/// Runs `body`, turning a libgit2 failure into ``ConductorError/git(_:)``.
func gitCall<Result>(_ body: () throws(GitError) -> Result) throws(ConductorError) -> Result {
    do {
        return try body()
    } catch {
        throw .git(error)
    }
}
