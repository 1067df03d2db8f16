import ConductorDomain
import Foundation

/// Whether a verify command can start: the precheck that its first word is runnable, so a run
/// fails before it spends anything on a model rather than in VERIFYING.
public enum CommandAvailability: Sendable, Equatable, CustomStringConvertible {
    /// Run by the shell itself (`true`, `test`, `[`, `cd`, `exit`, `if`…).
    case builtin(String)
    /// An executable file, found at this path.
    case executable(path: String)
    /// The first word comes from expansion (`$TOOL`); only running it will tell.
    case unverifiable(String)
    /// Not a built-in, and not found on `PATH` or at the path given.
    case missing(String)
    /// Found, but not an executable file (no execute permission, or a directory).
    case notExecutable(path: String)
    /// The command line runs nothing.
    case empty

    /// Whether the precheck lets the command through. Unverifiable commands pass: refusing
    /// `$PYTHON -m pytest` would be worse than finding out in VERIFYING.
    public var isRunnable: Bool {
        switch self {
        case .builtin, .executable, .unverifiable: true
        case .missing, .notExecutable, .empty: false
        }
    }

    public var description: String {
        switch self {
        case .builtin(let word): "'\(word)' is a shell built-in"
        case .executable(let path): "runs \(path)"
        case .unverifiable(let word): "'\(word)' is expanded by the shell and cannot be checked in advance"
        case .missing(let word): "'\(word)' was not found on PATH"
        case .notExecutable(let path): "\(path) is not an executable file"
        case .empty: "the command is empty"
        }
    }

    /// Checks `commandLine` as `/bin/sh -c` would start it in `directory` with `environment`
    /// (its `PATH` and `HOME`): paths with a `/` are taken relative to `directory`, other names
    /// are looked up in `PATH`, where an empty entry means `directory`.
    public static func check(_ commandLine: String, in directory: String, environment: [String: String]) -> CommandAvailability {
        switch ShellWords.firstProgram(of: commandLine) {
        case .none:
            return .empty
        case .expansion(let raw):
            return .unverifiable(raw)
        case .word(let word):
            if ShellWords.isBuiltin(word) { return .builtin(word) }
            return locate(word, in: directory, environment: environment)
        }
    }

    /// Where the program `word` is, as the shell would find it but without its built-ins (for
    /// programs started directly, like a command-line provider): a word with a `/` is a path,
    /// relative to `directory` (`~/` is `HOME`); any other is looked up in `PATH`, where an
    /// empty entry means `directory`. `.executable`, `.notExecutable` or `.missing`.
    public static func locate(_ word: String, in directory: String, environment: [String: String]) -> CommandAvailability {
        guard !word.isEmpty else { return .empty }
        var name = word
        if name == "~" || name.hasPrefix("~/"), let home = environment["HOME"] {
            name = home + name.dropFirst()
        }
        if name.contains("/") {
            let path = name.hasPrefix("/") ? name : directory + "/" + name
            return status(of: path) ?? .missing(word)
        }
        // dash's default when PATH is unset.
        let searchPath = environment["PATH"] ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
        var notExecutable: CommandAvailability?
        for entry in searchPath.split(separator: ":", omittingEmptySubsequences: false) {
            let base = entry.isEmpty ? directory : entry.hasPrefix("/") ? String(entry) : directory + "/" + entry
            switch status(of: base + "/" + name) {
            case .executable(let path)?: return .executable(path: path)
            case let found?: notExecutable = notExecutable ?? found
            case nil: continue
            }
        }
        return notExecutable ?? .missing(word)
    }

    /// `.executable`, `.notExecutable`, or nil when nothing exists at `path`.
    private static func status(of path: String) -> CommandAvailability? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return nil }
        if !isDirectory.boolValue, access(path, X_OK) == 0 { return .executable(path: path) }
        return .notExecutable(path: path)
    }
}
