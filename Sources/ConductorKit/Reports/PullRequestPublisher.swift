import ConductorDomain
import Foundation
import GitKit

/// `git conductor pr create`: pushes a run's task branch and the state, then opens its pull
/// request with the GitHub CLI, or updates the body of the one already open for the branch,
/// and records the pull request's address on the run.
///
/// The body is written to `.git/conductor/pr/<run-id>.md` first, so that whatever fails
/// afterwards (no `gh`, no login, no network) the description is not lost, and the error
/// can name the exact command to finish by hand.
public struct PullRequestPublisher {
    public struct Options: Sendable {
        public var remote: String?
        public var base: String?
        public var draft: Bool
        public var labels: [String]
        /// Open a ready (non-draft) pull request for a run that did not complete.
        public var force: Bool

        public init(remote: String? = nil, base: String? = nil, draft: Bool = false, labels: [String] = [], force: Bool = false) {
            self.remote = remote
            self.base = base
            self.draft = draft
            self.labels = labels
            self.force = force
        }
    }

    public struct Published: Sendable, Equatable {
        public let url: String
        /// False when an open pull request for the branch had its body updated instead.
        public let created: Bool
        public let draft: Bool
        /// Why the state was not pushed, when it was not.
        public let stateWarning: String?
    }

    let repository: ConductorRepository

    public init(repository: ConductorRepository) {
        self.repository = repository
    }

    public func publish(_ digest: RunDigest, body: String, options: Options) throws(ConductorError) -> Published {
        let bodyFile = try writeBody(body, of: digest.run)
        let remote: String
        if let chosen = options.remote { remote = chosen } else { remote = try defaultRemote() }
        try push(["git", "push", remote, "refs/heads/\(digest.taskBranch):refs/heads/\(digest.taskBranch)"], what: "task branch \(digest.taskBranch)")
        let stateWarning = pushState(to: remote)
        let draft = options.draft || (digest.state != .complete && !options.force)
        let base: String
        if let chosen = options.base { base = chosen } else { base = try defaultBase(remote: remote) }
        let create = createCommand(digest, bodyFile: bodyFile, base: base, draft: draft, labels: options.labels)
        try requireGitHubCLI(manual: create, bodyFile: bodyFile)
        let published: Published
        if let existing = gh(["gh", "pr", "view", digest.taskBranch, "--json", "url,state", "--jq", "select(.state == \"OPEN\") | .url"]),
           existing.succeeded, let url = Self.lastLine(existing.standardOutput) {
            try run(["gh", "pr", "edit", url, "--body-file", bodyFile], manual: create, bodyFile: bodyFile)
            published = Published(url: url, created: false, draft: draft, stateWarning: stateWarning)
        } else {
            let output = try run(create, manual: create, bodyFile: bodyFile)
            guard let url = Self.lastLine(output) else {
                throw .pullRequestFailed(detail: "gh pr create printed no address", manual: Self.shell(create), bodyFile: bodyFile)
            }
            published = Published(url: url, created: true, draft: draft, stateWarning: stateWarning)
        }
        try repository.stateStore().append([.pullRequest(url: published.url)], to: digest.run)
        return published
    }

    private func createCommand(_ digest: RunDigest, bodyFile: String, base: String, draft: Bool, labels: [String]) -> [String] {
        ["gh", "pr", "create", "--title", digest.title, "--body-file", bodyFile, "--base", base, "--head", digest.taskBranch]
            + (draft ? ["--draft"] : []) + labels.flatMap { ["--label", $0] }
    }

    private func writeBody(_ body: String, of run: RunID) throws(ConductorError) -> String {
        let path = repository.privateDirectory + "/pr/\(run).md"
        try PrivateFiles.replace(path, contents: Array(body.utf8))
        return path
    }

    /// The current branch's upstream remote, else `origin`.
    private func defaultRemote() throws(ConductorError) -> String {
        let git = repository.git
        if let head = try gitCall({ () throws(GitError) in try git.symbolicTarget(of: "HEAD") }), head.hasPrefix("refs/heads/") {
            let branch = head.dropFirst("refs/heads/".count)
            if let remote = try gitCall({ () throws(GitError) in try git.configSnapshot().string("branch.\(branch).remote") }), remote != "." {
                return remote
            }
        }
        return "origin"
    }

    /// The branch the remote's HEAD names (its default branch), else `main`.
    private func defaultBase(remote: String) throws(ConductorError) -> String {
        let target = try gitCall { () throws(GitError) in try repository.git.symbolicTarget(of: "refs/remotes/\(remote)/HEAD") }
        return target.map { String($0.dropFirst("refs/remotes/\(remote)/".count)) } ?? "main"
    }

    private func push(_ arguments: [String], what: String) throws(ConductorError) {
        guard let result = command(arguments).run() else { throw .pushFailed(what: what, detail: "git is not installed") }
        guard result.succeeded else { throw .pushFailed(what: what, detail: result.standardError.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// Pushes the state branch and the notes with `git conductor push` (never forced; when
    /// the remote moved on, its state is merged and the push retried); a push that still
    /// fails is a warning, since the pull request does not depend on it.
    private func pushState(to remote: String) -> String? {
        do {
            _ = try StateSync(repository: repository).push(to: remote)
            return nil
        } catch {
            return "the state was not pushed (\(error.description)); push it with git conductor push \(remote)"
        }
    }

    private func requireGitHubCLI(manual: [String], bodyFile: String) throws(ConductorError) {
        guard command(["gh"]).executable != nil else {
            throw .pullRequestFailed(detail: "the GitHub CLI (gh) is not installed; see https://cli.github.com", manual: Self.shell(manual), bodyFile: bodyFile)
        }
        guard let status = gh(["gh", "auth", "status"]), status.succeeded else {
            throw .pullRequestFailed(detail: "gh is not logged in; run 'gh auth login'", manual: Self.shell(manual), bodyFile: bodyFile)
        }
    }

    @discardableResult
    private func run(_ arguments: [String], manual: [String], bodyFile: String) throws(ConductorError) -> String {
        guard let result = gh(arguments) else {
            throw .pullRequestFailed(detail: "could not start gh", manual: Self.shell(manual), bodyFile: bodyFile)
        }
        guard result.succeeded else {
            let message = result.standardError.trimmingCharacters(in: .whitespacesAndNewlines)
            throw .pullRequestFailed(detail: "\(arguments.prefix(3).joined(separator: " ")) failed: \(message)", manual: Self.shell(manual), bodyFile: bodyFile)
        }
        return result.standardOutput
    }

    private func gh(_ arguments: [String]) -> ExternalCommand.Result? {
        command(arguments).run()
    }

    private func command(_ arguments: [String]) -> ExternalCommand {
        ExternalCommand(arguments, in: repository.git.workingDirectory ?? repository.git.commonDirectory, environment: repository.environment)
    }

    static func lastLine(_ text: String) -> String? {
        text.split(whereSeparator: \.isNewline).last.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The command as one line a user can paste into a POSIX shell.
    static func shell(_ arguments: [String]) -> String {
        arguments.map { argument in
            argument.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:@".contains($0) } ? argument : "'" + argument.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
        }.joined(separator: " ")
    }
}
