import GitKit

/// Who the conductor's commits are by: the git identity when there is one, else a fixed
/// fallback so that CI containers without `user.name` can still record state.
public struct CommitIdentity: Sendable, Equatable {
    public enum Source: String, Sendable {
        case environment = "GIT_COMMITTER_NAME/GIT_COMMITTER_EMAIL"
        case gitConfig = "git config user.name/user.email"
        case fallback = "built-in fallback"
    }

    public static let fallbackName = "git-conductor"
    public static let fallbackEmail = "git-conductor@localhost"

    public let name: String
    public let email: String
    public let source: Source

    /// Resolves the identity the way `git commit` does for the committer, minus the prompts.
    public static func resolve(repository: Repository, environment: [String: String]) -> CommitIdentity {
        if let name = environment["GIT_COMMITTER_NAME"], let email = environment["GIT_COMMITTER_EMAIL"],
           !name.isEmpty, !email.isEmpty {
            return CommitIdentity(name: name, email: email, source: .environment)
        }
        if let configured = repository.configuredIdentity() {
            return CommitIdentity(name: configured.name, email: configured.email, source: .gitConfig)
        }
        return CommitIdentity(name: fallbackName, email: fallbackEmail, source: .fallback)
    }

    func signature(atMilliseconds milliseconds: Int64) -> Signature {
        Signature(name: name, email: email, time: milliseconds / 1000)
    }
}
