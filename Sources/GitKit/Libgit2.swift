import CLibgit2

/// Process-wide libgit2 set-up. libgit2 must be initialised once before any other call;
/// every entry point into GitKit goes through ``Libgit2/ensureInitialized()``.
public enum Libgit2 {
    private static let initialization: Void = {
        git_libgit2_init()
        // libgit2 caches trees only up to 4 KiB by default; a long run's events tree is larger
        // and is read on every append, so keep trees up to 256 KiB in the cache.
        _ = conductor_git_opts_set_cache_object_limit(GIT_OBJECT_TREE, 256 * 1024)
    }()

    /// Initialises libgit2 exactly once for the life of the process.
    public static func ensureInitialized() {
        _ = initialization
    }

    /// The version of the libgit2 library linked at run time, such as `1.5.1`.
    public static var version: String {
        ensureInitialized()
        var major: Int32 = 0, minor: Int32 = 0, patch: Int32 = 0
        git_libgit2_version(&major, &minor, &patch)
        return "\(major).\(minor).\(patch)"
    }
}
