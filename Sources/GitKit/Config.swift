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
