import ConductorDomain
import Foundation
import GitKit

/// The network half of sync: the system `git` fetches and pushes, so a remote authenticates
/// exactly as it does for the user's own `git fetch` and `git push` (credential helpers, the
/// SSH agent, the `http.extraheader` CI checkouts configure, `insteadOf` rewrites…). Merging
/// stays in-process.
///
/// Fetches write remote-tracking refs under `refs/conductor/remotes/<remote>/` only; pushes
/// are never forced.
struct GitTransport {
    /// Set in the environment of every `git push` the conductor makes, so the pre-push hook
    /// knows a state push when it sees one and does not push again.
    static let statePushVariable = "GIT_CONDUCTOR_STATE_PUSH"

    let repository: ConductorRepository

    /// Where remote-tracking refs of `remote` live.
    static func trackingPrefix(_ remote: String) -> String { "refs/conductor/remotes/\(remote)/" }
    static func trackingState(_ remote: String) -> String { trackingPrefix(remote) + "state" }
    static func trackingNotes(_ remote: String) -> String { trackingPrefix(remote) + "notes" }
    /// Task branches `conductor/…` as the remote has them.
    static func trackingBranch(_ remote: String, _ branch: String) -> String { trackingPrefix(remote) + "branches/" + branch }

    /// What `pull` fetches: init's two pattern refspecs (a remote without state is not an
    /// error), plus the task branches, so a run can be resumed from any clone.
    static func fetchRefspecs(_ remote: String) -> [String] {
        RepositorySetup.fetchRefspecs(remote: remote) + ["+refs/heads/conductor/*:\(trackingPrefix(remote))branches/conductor/*"]
    }

    /// Checks that `remote` is a configured remote.
    func requireRemote(_ remote: String) throws(ConductorError) {
        let names = try gitCall { () throws(GitError) in try repository.git.remoteNames() }
        guard !remote.hasPrefix("-"), names.contains(remote) else { throw .unknownRemote(remote) }
    }

    /// The current branch's upstream remote, else `origin`.
    func defaultRemote() throws(ConductorError) -> String {
        let git = repository.git
        if let head = try gitCall({ () throws(GitError) in try git.symbolicTarget(of: "HEAD") }), head.hasPrefix("refs/heads/") {
            let branch = head.dropFirst("refs/heads/".count)
            if let remote = try gitCall({ () throws(GitError) in try git.configSnapshot().string("branch.\(branch).remote") }),
               remote != ".", !remote.isEmpty {
                return remote
            }
        }
        return "origin"
    }

    /// `git fetch <remote> <refspecs>`; throws ``ConductorError/remoteUnreachable(remote:detail:)``
    /// when git cannot fetch.
    func fetch(_ remote: String, refspecs: [String], depth: Int? = nil) throws(ConductorError) {
        var arguments = ["git", "fetch", "--quiet", "--no-tags", "--no-write-fetch-head", "--recurse-submodules=no"]
        if let depth { arguments.append("--depth=\(depth)") }
        let result = try run(arguments + [remote] + refspecs)
        guard result.succeeded else { throw .remoteUnreachable(remote: remote, detail: Self.gitMessage(result)) }
    }

    /// One ref of a `git push --porcelain`.
    struct PushedRef: Sendable, Equatable {
        enum Status: Sendable, Equatable {
            case updated, upToDate, rejected(String)
        }

        let source: String
        let destination: String
        let status: Status

        var rejection: String? {
            if case .rejected(let reason) = status { reason } else { nil }
        }
    }

    /// `git push --porcelain <remote> <refspecs>` (never forced). Returns every ref's
    /// outcome and what the remote said; throws ``ConductorError/remoteUnreachable(remote:detail:)`` when git could
    /// not push at all.
    func push(_ remote: String, refspecs: [String]) throws(ConductorError) -> (refs: [PushedRef], message: String) {
        let result = try run(["git", "push", "--porcelain", remote] + refspecs, environment: [Self.statePushVariable: "1"])
        let refs = Self.parsePorcelain(result.standardOutput, standardError: result.standardError)
        if refs.isEmpty, !result.succeeded {
            throw .remoteUnreachable(remote: remote, detail: Self.gitMessage(result))
        }
        return (refs, Self.remoteMessage(result))
    }

    /// What the remote itself said (`remote: …` lines, such as a hook's reason), if anything.
    static func remoteMessage(_ result: ExternalCommand.Result) -> String {
        result.standardError.split(whereSeparator: \.isNewline)
            .filter { $0.hasPrefix("remote: ") }
            .map { $0.dropFirst("remote: ".count).trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
            .joined(separator: "; ")
    }

    /// Reads `git push --porcelain` lines: `<flag>\t<src>:<dst>\t<summary>`.
    static func parsePorcelain(_ output: String, standardError: String) -> [PushedRef] {
        output.split(whereSeparator: \.isNewline).compactMap { line -> PushedRef? in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count >= 3, fields[0].count == 1, let flag = fields[0].first else { return nil }
            let refs = fields[1].split(separator: ":", maxSplits: 1).map(String.init)
            guard refs.count == 2 else { return nil }
            let summary = fields[2...].joined(separator: "\t")
            let status: PushedRef.Status = switch flag {
            case "=": .upToDate
            case " ", "*", "+", "-": .updated
            default: .rejected(reason(summary, destination: refs[1], standardError: standardError))
            }
            return PushedRef(source: refs[0], destination: refs[1], status: status)
        }
    }

    /// The rejection's reason; a remote's "cannot lock ref" (a concurrent push) appears on
    /// standard error only, so it is carried over from there.
    private static func reason(_ summary: String, destination: String, standardError: String) -> String {
        let lock = standardError.split(whereSeparator: \.isNewline).first { $0.contains("cannot lock ref") && $0.contains(destination) }
        return lock.map { "\(summary): \($0.trimmingCharacters(in: .whitespaces))" } ?? summary
    }

    /// Whether a rejection means the remote moved on (or is being moved) and merging then
    /// pushing again can succeed: "non-fast-forward", "fetch first", "cannot lock ref" and
    /// the remote's "failed to update ref" / "incorrect old value" of a lost race.
    static func isRetryable(_ reason: String) -> Bool {
        let forms = ["non-fast-forward", "fetch first", "cannot lock ref", "failed to update ref", "failed to lock", "incorrect old value"]
        return forms.contains { reason.contains($0) }
    }

    private func run(_ arguments: [String], environment extra: [String: String] = [:]) throws(ConductorError) -> ExternalCommand.Result {
        let directory = repository.git.workingDirectory ?? repository.git.commonDirectory
        let environment = repository.environment.merging(extra) { _, new in new }
        guard let result = ExternalCommand(arguments, in: directory, environment: environment).run() else {
            throw .fileSystem(path: "git", detail: "the git command is not installed (or not on PATH); sync drives git for the network")
        }
        return result
    }

    /// git's own words, minus progress noise: the `fatal:`/`error:` lines, else the last line.
    static func gitMessage(_ result: ExternalCommand.Result) -> String {
        let lines = result.standardError.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let important = lines.filter { $0.hasPrefix("fatal:") || $0.hasPrefix("error:") || $0.hasPrefix("remote: error:") }
        let chosen = important.isEmpty ? Array(lines.suffix(1)) : important
        return chosen.isEmpty ? "git exited with status \(result.status)" : chosen.joined(separator: "; ")
    }
}
