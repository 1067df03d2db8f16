import ConductorDomain
import GitKit

/// One git configuration value that plain git needs to carry the conductor's state.
public struct ConfigRequirement: Sendable, Equatable, Codable {
    public let key: String
    public let value: String
    /// Whether the key holds several values (`remote.*.fetch`), so ours is added beside the others.
    public let multiValued: Bool

    enum CodingKeys: String, CodingKey {
        case key, value, multiValued = "multi_valued"
    }
}

/// What `git conductor init` did.
public struct SetupReport: Sendable, Equatable, Codable {
    public let stateBranchCreated: Bool
    /// The requirements that were missing and are now set.
    public let configured: [ConfigRequirement]
    /// The requirements that were already in place.
    public let alreadyConfigured: [ConfigRequirement]

    public var changedAnything: Bool { stateBranchCreated || !configured.isEmpty }

    enum CodingKeys: String, CodingKey {
        case configured, stateBranchCreated = "state_branch_created", alreadyConfigured = "already_configured"
    }
}

/// `git conductor init`: the state branch plus what plain git needs to carry state and notes.
///
/// Remote state is fetched into remote-tracking refs under `refs/conductor/remotes/<remote>/`
/// (forced there, as `refs/remotes/*` is), never into local refs; `remote.<name>.push` is
/// left alone so a user's plain `git push` keeps its meaning. Running it again changes nothing.
public enum RepositorySetup {
    public static let notesMergeStrategy = "cat_sort_uniq"

    /// The fetch refspecs that bring a remote's state and notes into remote-tracking refs.
    ///
    /// They are patterns (`…state*`), not exact names: git aborts a whole `git fetch` when an
    /// exact source ref is missing on the remote, and a remote that has never received state
    /// must not break the user's fetch. The pattern matches the exact name as well.
    public static func fetchRefspecs(remote: String) -> [String] {
        [
            "+\(StateLayout.branch)*:refs/conductor/remotes/\(remote)/state*",
            "+\(NotesStore.ref)*:refs/conductor/remotes/\(remote)/notes*",
        ]
    }

    /// Every configuration value the repository should hold, given its remotes.
    public static func requirements(remotes: [String]) -> [ConfigRequirement] {
        remotes.sorted().flatMap { remote in
            fetchRefspecs(remote: remote).map { ConfigRequirement(key: "remote.\(remote).fetch", value: $0, multiValued: true) }
        } + [
            ConfigRequirement(key: "notes.rewriteRef", value: NotesStore.ref, multiValued: true),
            ConfigRequirement(key: "notes.conductor.mergeStrategy", value: notesMergeStrategy, multiValued: false),
        ]
    }

    /// Which requirements the repository's configuration does not meet yet.
    public static func missing(in repository: ConductorRepository) throws(ConductorError) -> [ConfigRequirement] {
        try gitCall { () throws(GitError) -> [ConfigRequirement] in
            let config = try repository.git.configSnapshot()
            var missing: [ConfigRequirement] = []
            for requirement in requirements(remotes: try repository.git.remoteNames()) {
                let present = requirement.multiValued
                    ? try config.strings(requirement.key).contains(requirement.value)
                    : try config.string(requirement.key) == requirement.value
                if !present { missing.append(requirement) }
            }
            return missing
        }
    }

    public static func run(_ repository: ConductorRepository) throws(ConductorError) -> SetupReport {
        let created = try repository.stateStore().initialize()
        let missing = try missing(in: repository)
        try gitCall { () throws(GitError) in
            let config = try repository.git.localConfig()
            for requirement in missing {
                if requirement.multiValued {
                    try config.add(requirement.key, value: requirement.value)
                } else {
                    try config.set(requirement.key, to: requirement.value)
                }
            }
        }
        let all = try gitCall { () throws(GitError) in requirements(remotes: try repository.git.remoteNames()) }
        return SetupReport(
            stateBranchCreated: created,
            configured: missing,
            alreadyConfigured: all.filter { !missing.contains($0) }
        )
    }
}
