import CLibgit2

/// A view of git configuration. Reads see every level (system, global, local…);
/// writes go to the repository's own `.git/config`.
public final class Config {
    private let pointer: OpaquePointer
    private let repository: Repository

    init(pointer: OpaquePointer, repository: Repository) {
        self.pointer = pointer
        self.repository = repository
    }

    deinit {
        git_config_free(pointer)
    }

    /// The value of a single-valued key, or nil when unset.
    public func string(_ key: String) throws(GitError) -> String? {
        var buffer = git_buf()
        let code = git_config_get_string_buf(&buffer, pointer, key)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try check(code, "read config \(key)")
        defer { git_buf_dispose(&buffer) }
        return String(cString: buffer.ptr)
    }

    /// Every value of a multi-valued key, in file order; empty when unset.
    public func strings(_ key: String) throws(GitError) -> [String] {
        var iterator: OpaquePointer?
        let code = git_config_multivar_iterator_new(&iterator, pointer, key, nil)
        if code == GIT_ENOTFOUND.rawValue { return [] }
        try check(code, "read config \(key)")
        defer { git_config_iterator_free(iterator) }
        var values = [String]()
        var entry: UnsafeMutablePointer<git_config_entry>?
        while true {
            let next = git_config_next(&entry, iterator)
            if next == GIT_ITEROVER.rawValue { break }
            try check(next, "read config \(key)")
            values.append(String(cString: entry!.pointee.value))
        }
        return values
    }

    /// Every entry whose normalised name matches the POSIX regular expression `pattern`, in
    /// the order git applies them: lowest level first (system, global, local), file order
    /// within a file. A later entry of a single-valued key wins, as in git.
    public func entries(matching pattern: String) throws(GitError) -> [ConfigEntry] {
        var iterator: OpaquePointer?
        try check(git_config_iterator_glob_new(&iterator, pointer, pattern), "list config \(pattern)")
        defer { git_config_iterator_free(iterator) }
        var entries = [ConfigEntry]()
        var entry: UnsafeMutablePointer<git_config_entry>?
        while true {
            let next = git_config_next(&entry, iterator)
            if next == GIT_ITEROVER.rawValue { break }
            try check(next, "list config \(pattern)")
            let raw = entry!.pointee
            entries.append(ConfigEntry(
                name: String(cString: raw.name),
                value: raw.value.map { String(cString: $0) },
                level: ConfigLevel(raw.level)
            ))
        }
        return entries
    }

    /// Sets a single-valued key in the repository's local configuration.
    public func set(_ key: String, to value: String) throws(GitError) {
        try check(git_config_set_string(pointer, key, value), "set config \(key)")
    }

    /// Adds one more value to a multi-valued key in the local configuration, unless it is already there.
    public func add(_ key: String, value: String) throws(GitError) {
        guard try !strings(key).contains(value) else { return }
        // A pattern that matches no existing value makes libgit2 append instead of replace.
        try check(git_config_set_multivar(pointer, key, "^$(?!)", value), "add config \(key)")
    }
}

/// One configuration entry as git reads it.
public struct ConfigEntry: Sendable, Equatable {
    /// The name as git normalises it: section and variable in lower case, subsection as written.
    public let name: String
    /// Nil for a key written without `=`, which git reads as true.
    public let value: String?
    /// The file it was read from, by level.
    public let level: ConfigLevel

    public init(name: String, value: String?, level: ConfigLevel) {
        self.name = name
        self.value = value
        self.level = level
    }
}

/// Which configuration file an entry comes from, lowest priority first.
public enum ConfigLevel: String, Sendable, Equatable {
    case programData = "programdata", system, xdg, global, local, app, other

    init(_ level: git_config_level_t) {
        self = switch level {
        case GIT_CONFIG_LEVEL_PROGRAMDATA: .programData
        case GIT_CONFIG_LEVEL_SYSTEM: .system
        case GIT_CONFIG_LEVEL_XDG: .xdg
        case GIT_CONFIG_LEVEL_GLOBAL: .global
        case GIT_CONFIG_LEVEL_LOCAL: .local
        case GIT_CONFIG_LEVEL_APP: .app
        default: .other
        }
    }
}

extension Repository {
    /// A snapshot of the merged configuration for consistent reads.
    public func configSnapshot() throws(GitError) -> Config {
        var raw: OpaquePointer?
        try check(git_repository_config_snapshot(&raw, pointer), "read configuration")
        return Config(pointer: raw!, repository: self)
    }

    /// The repository's local configuration file, for writing.
    public func localConfig() throws(GitError) -> Config {
        var all: OpaquePointer?
        try check(git_repository_config(&all, pointer), "open configuration")
        defer { git_config_free(all) }
        var local: OpaquePointer?
        try check(git_config_open_level(&local, all, GIT_CONFIG_LEVEL_LOCAL), "open local configuration")
        return Config(pointer: local!, repository: self)
    }
}
