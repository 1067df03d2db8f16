import CLibgit2

/// A libgit2 failure, carrying libgit2's own message and error class so that a user can act on it.
public struct GitError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The negative return code libgit2 gave (`GIT_ENOTFOUND`, `GIT_EMODIFIED`, …).
    public let code: Int32
    /// libgit2's error class name (`reference`, `odb`, `config`, …), or `none`.
    public let errorClass: String
    /// libgit2's message, or a fallback when libgit2 did not set one.
    public let message: String
    /// What we were doing when libgit2 failed, in our words.
    public let operation: String

    public init(code: Int32, errorClass: String, message: String, operation: String) {
        self.code = code
        self.errorClass = errorClass
        self.message = message
        self.operation = operation
    }

    public var description: String { "\(operation): \(message) (libgit2 \(errorClass) error \(code))" }

    /// The object, reference or key does not exist.
    public var isNotFound: Bool { code == GIT_ENOTFOUND.rawValue }

    /// Another writer got there first: the reference moved, exists already, or is locked.
    /// Callers that compare-and-swap retry on these.
    public var isConcurrentUpdate: Bool {
        code == GIT_EMODIFIED.rawValue || code == GIT_ELOCKED.rawValue || code == GIT_EEXISTS.rawValue
    }

    /// Captures libgit2's last error for a failed call.
    static func last(code: Int32, operation: String) -> GitError {
        guard let raw = git_error_last() else {
            return GitError(code: code, errorClass: "none", message: "unknown libgit2 error", operation: operation)
        }
        let message = raw.pointee.message.map { String(cString: $0) } ?? "unknown libgit2 error"
        return GitError(
            code: code,
            errorClass: className(raw.pointee.klass),
            message: message,
            operation: operation
        )
    }

    private static func className(_ klass: Int32) -> String {
        let names: [Int32: String] = [
            Int32(GIT_ERROR_NOMEMORY.rawValue): "nomemory", Int32(GIT_ERROR_OS.rawValue): "os",
            Int32(GIT_ERROR_INVALID.rawValue): "invalid", Int32(GIT_ERROR_REFERENCE.rawValue): "reference",
            Int32(GIT_ERROR_ZLIB.rawValue): "zlib", Int32(GIT_ERROR_REPOSITORY.rawValue): "repository",
            Int32(GIT_ERROR_CONFIG.rawValue): "config", Int32(GIT_ERROR_REGEX.rawValue): "regex",
            Int32(GIT_ERROR_ODB.rawValue): "odb", Int32(GIT_ERROR_INDEX.rawValue): "index",
            Int32(GIT_ERROR_OBJECT.rawValue): "object", Int32(GIT_ERROR_NET.rawValue): "net",
            Int32(GIT_ERROR_TAG.rawValue): "tag", Int32(GIT_ERROR_TREE.rawValue): "tree",
            Int32(GIT_ERROR_FILESYSTEM.rawValue): "filesystem", 
            Int32(GIT_ERROR_WORKTREE.rawValue): "worktree",
        ]
        return names[klass] ?? "class \(klass)"
    }
}

/// Turns a libgit2 return code into a thrown ``GitError``; libgit2 returns negative values on failure.
@discardableResult
func check(_ code: Int32, _ operation: @autoclosure () -> String) throws(GitError) -> Int32 {
    guard code >= 0 else { throw GitError.last(code: code, operation: operation()) }
    return code
}
