import ConductorDomain
import GitKit

/// One preflight finding of `git conductor doctor`.
public struct DoctorCheck: Sendable, Equatable, Codable {
    public enum Level: String, Sendable, Codable, Comparable {
        case ok, warning, error

        public static func < (lhs: Level, rhs: Level) -> Bool {
            [Level.ok, .warning, .error].firstIndex(of: lhs)! < [Level.ok, .warning, .error].firstIndex(of: rhs)!
        }
    }

    public let name: String
    public let level: Level
    public let message: String
    /// What to run or change, when the level is not ok.
    public let fix: String?

    enum CodingKeys: String, CodingKey {
        case name, level, message, fix
    }

    /// `fix` is always present in JSON (`null` when there is nothing to fix).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(level, forKey: .level)
        try container.encode(message, forKey: .message)
        try container.encode(fix, forKey: .fix)
    }
}

/// Preflight checks: is this a repository, which libgit2, is the state branch readable and in
/// a known format, is git configured to carry state and notes, whose name goes on commits.
public enum Doctor {
    /// The minimum libgit2 this tool is built and tested against.
    public static let minimumLibgit2 = [1, 5, 0]

    public static func run(directory: String, environment: [String: String]) -> [DoctorCheck] {
        let repository: ConductorRepository
        do {
            repository = try ConductorRepository.open(at: directory, environment: environment)
        } catch {
            return [DoctorCheck(name: "repository", level: .error, message: error.description, fix: error.hint)]
        }
        let location = String((repository.git.workingDirectory ?? repository.git.gitDirectory).reversed().drop(while: { $0 == "/" }).reversed())
        return [
            DoctorCheck(name: "repository", level: .ok, message: "git repository at \(location)", fix: nil),
            libgit2Check(),
            stateCheck(repository),
            configurationCheck(repository),
            identityCheck(repository),
            symbolScannerCheck(environment),
        ] + SyncChecks.run(repository)
    }

    /// Which scanner the repository map uses (docs/context.md): universal-ctags, or the
    /// built-in one and why. The built-in scanner works without ctags, so a missing ctags is
    /// fine; one that is there but broken (or a bad `CONDUCTOR_CTAGS`) is a warning.
    static func symbolScannerCheck(_ environment: [String: String]) -> DoctorCheck {
        switch CtagsRunner.locate(environment: environment) {
        case .success(let runner):
            return DoctorCheck(name: "symbol scanner", level: .ok, message: "universal-ctags \(runner.version)", fix: nil)
        case .failure(let failure):
            return DoctorCheck(
                name: "symbol scanner", level: failure.isMissing ? .ok : .warning, message: "built-in scanner (\(failure.reason))",
                fix: failure.isMissing ? nil : "install universal-ctags (Debian: apt-get install universal-ctags) or unset \(CtagsRunner.overrideVariable)"
            )
        }
    }

    static func libgit2Check() -> DoctorCheck {
        let version = Libgit2.version
        let parts = version.split(separator: ".").compactMap { Int($0) }
        guard parts.lexicographicallyPrecedes(minimumLibgit2) == false else {
            return DoctorCheck(
                name: "libgit2", level: .error, message: "libgit2 \(version) is older than 1.5.0",
                fix: "install libgit2 1.5 or newer (Debian: apt-get install libgit2-dev) and rebuild"
            )
        }
        return DoctorCheck(name: "libgit2", level: .ok, message: "libgit2 \(version)", fix: nil)
    }

    static func stateCheck(_ repository: ConductorRepository) -> DoctorCheck {
        do {
            guard let snapshot = try repository.stateSnapshot() else {
                return DoctorCheck(
                    name: "state branch", level: .warning, message: "\(StateLayout.branch) does not exist yet",
                    fix: "git conductor init"
                )
            }
            let format = try snapshot.format()
            let runs = try snapshot.runDirectories().count
            return DoctorCheck(
                name: "state branch", level: .ok,
                message: "\(StateLayout.branch) at \(snapshot.tip.short), format \(format.format), \(runs) run\(runs == 1 ? "" : "s")",
                fix: nil
            )
        } catch {
            return DoctorCheck(name: "state branch", level: .error, message: error.description, fix: error.hint)
        }
    }

    static func configurationCheck(_ repository: ConductorRepository) -> DoctorCheck {
        do {
            let missing = try RepositorySetup.missing(in: repository)
            guard missing.isEmpty else {
                let list = missing.map { "\($0.key) \($0.value)" }.joined(separator: "; ")
                return DoctorCheck(name: "git configuration", level: .warning, message: "missing: \(list)", fix: "git conductor init")
            }
            return DoctorCheck(
                name: "git configuration", level: .ok,
                message: "fetch refspecs, notes.rewriteRef and notes merge strategy are set", fix: nil
            )
        } catch {
            return DoctorCheck(name: "git configuration", level: .error, message: error.description, fix: error.hint)
        }
    }

    static func identityCheck(_ repository: ConductorRepository) -> DoctorCheck {
        let identity = repository.identity
        let message = "commits are made by \(identity.name) <\(identity.email)> (from \(identity.source.rawValue))"
        guard identity.source == .fallback else {
            return DoctorCheck(name: "identity", level: .ok, message: message, fix: nil)
        }
        return DoctorCheck(
            name: "identity", level: .warning, message: message,
            fix: "git config user.name \"Your Name\" && git config user.email you@example.com"
        )
    }
}
