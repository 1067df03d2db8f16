import ConductorDomain
import Foundation
import GitKit

/// The `pre-push` hook that `git conductor hooks install` puts in place, and its installer.
///
/// The script is `hooks/pre-push` at the top of the git-conductor repository, embedded here
/// so the installed binary needs no other file (a test keeps the two identical). The
/// installer writes it to the hooks directory git uses (`core.hooksPath` when set, else
/// `.git/hooks`); a `pre-push` hook that is already there and is not ours is renamed to
/// `pre-push.before-conductor` and chained; `hooks uninstall` removes ours and puts it back.
public struct PrePushHook {
    /// The script as it is in `hooks/pre-push`.
    public static let script = #"""
#!/bin/sh
# git-conductor pre-push hook, installed by 'git conductor hooks install'.
#
# After your own push, it pushes the conductor's state (orchestrator-state and
# refs/notes/conductor) to the same remote with 'git conductor push', in the background.
# Best effort: it never blocks or fails your push, and what it did goes to
# .git/conductor/pre-push.log. A pre-push hook that was here before is chained: it runs
# first, with the same arguments and input, and its verdict is your push's verdict.
# 'git conductor hooks uninstall' removes this hook and puts the chained one back.

# Where 'hooks install' found git-conductor, for when it is not on PATH.
conductor_fallback=''

remote=$1
input=$(cat)

chained="$0.before-conductor"
if [ -x "$chained" ]; then
    if [ -n "$input" ]; then printf '%s\n' "$input"; fi | "$chained" "$@" || exit $?
fi

# A push of the state itself ('git conductor push', or this hook's own) is not repeated.
if [ -n "$GIT_CONDUCTOR_STATE_PUSH" ]; then exit 0; fi
case $input in
    *refs/heads/orchestrator-state*|*refs/notes/conductor*) exit 0 ;;
esac
# Only named remotes: a push to a bare URL has nowhere to keep track of the state.
git config --get "remote.$remote.url" >/dev/null 2>&1 || exit 0

if command -v git-conductor >/dev/null 2>&1; then
    conductor=git-conductor
elif [ -n "$conductor_fallback" ] && [ -x "$conductor_fallback" ]; then
    conductor=$conductor_fallback
else
    exit 0
fi

# Whether process $1 is still running. A zombie has finished (only its parent has not
# collected it yet, and that parent may be waiting for us), so it counts as ended.
running() {
    kill -0 "$1" 2>/dev/null || return 1
    if [ -r "/proc/$1/status" ]; then
        ! grep -q '^State:[[:space:]]*[ZX]' "/proc/$1/status" 2>/dev/null
        return
    fi
    state=$(ps -o stat= -p "$1" 2>/dev/null) || return 0
    case $state in Z*) return 1 ;; esac
    return 0
}

common=$(git rev-parse --git-common-dir 2>/dev/null) || exit 0
mkdir -p "$common/conductor" 2>/dev/null || exit 0
pusher=$PPID
(
    exec 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&-
    # Wait until the user's push has finished (at most ten minutes), then push the state.
    waited=0
    while running "$pusher" && [ "$waited" -lt 6000 ]; do
        sleep 0.1 2>/dev/null || sleep 1
        waited=$((waited + 1))
    done
    echo "$(date -u '+%Y-%m-%dT%H:%M:%SZ') pushing the state to $remote"
    if GIT_CONDUCTOR_STATE_PUSH=1 "$conductor" push "$remote"; then
        echo "state pushed to $remote"
    else
        echo "state push to $remote failed (exit $?); your own push was not affected"
    fi
) </dev/null >>"$common/conductor/pre-push.log" 2>&1 &
exit 0

"""#

    /// The line that says a hook file is ours.
    static let marker = "# git-conductor pre-push hook"
    /// The line the installer fills in with the path of the installing executable.
    static let fallbackLine = "conductor_fallback=''"
    public static let chainedSuffix = ".before-conductor"

    /// What `hooks install`, `hooks uninstall` or `doctor` found or did.
    public struct Report: Sendable, Equatable, Codable {
        public enum Action: String, Sendable, Codable {
            case installed, updated, uninstalled
            /// `uninstall` found no hook of ours; nothing changed.
            case notInstalled = "not installed"
            /// `uninstall` found a pre-push hook that is not ours, and left it.
            case leftAlone = "left alone"
        }

        public let action: Action
        /// The hook's path.
        public let path: String
        /// The user's own hook that ours runs first (after install), or that was put back
        /// (after uninstall); nil when there is none.
        public let chained: String?
    }

    /// Whether and how the hook is installed, for `doctor`.
    public enum Status: Sendable, Equatable {
        case notInstalled(path: String)
        case installed(path: String, chained: String?)
        /// A pre-push hook that is not ours; `hooks install` would chain it.
        case foreign(path: String)
    }

    let repository: ConductorRepository

    public init(repository: ConductorRepository) {
        self.repository = repository
    }

    /// The directory git runs hooks from: `core.hooksPath` (with `~` expanded, relative to the
    /// work tree's top), else `hooks` in the common git directory.
    public func hooksDirectory() throws(ConductorError) -> String {
        let git = repository.git
        if let configured = try gitCall({ () throws(GitError) in try git.configSnapshot().string("core.hooksPath") }), !configured.isEmpty {
            var path = configured
            if path == "~" || path.hasPrefix("~/") { path = (repository.environment["HOME"] ?? NSHomeDirectory()) + path.dropFirst() }
            if !path.hasPrefix("/") { path = Self.directory(git.workingDirectory ?? git.gitDirectory) + "/" + path }
            return Self.directory(path)
        }
        return Self.directory(git.commonDirectory + "hooks")
    }

    public var hookPath: String {
        get throws(ConductorError) { try hooksDirectory() + "/pre-push" }
    }

    public func status() throws(ConductorError) -> Status {
        let path = try hookPath
        guard Self.exists(path) else { return .notInstalled(path: path) }
        guard Self.isOurs(path) else { return .foreign(path: path) }
        let chained = path + Self.chainedSuffix
        return .installed(path: path, chained: Self.exists(chained) ? chained : nil)
    }

    /// Installs (or updates) the hook. `executable` is written into it as the fallback for
    /// when `git-conductor` is not on the `PATH` git hooks see.
    public func install(executable: String?) throws(ConductorError) -> Report {
        let directory = try hooksDirectory()
        let path = directory + "/pre-push", chained = path + Self.chainedSuffix
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .fileSystem(path: directory, detail: error.localizedDescription)
        }
        var action = Report.Action.installed
        if Self.exists(path) {
            if Self.isOurs(path) {
                action = .updated
            } else {
                guard !Self.exists(chained) else {
                    throw .fileSystem(path: chained, detail: "exists already, so the pre-push hook at \(path) cannot be chained under that name; move one of them away")
                }
                try Self.move(path, to: chained)
            }
        }
        try PrivateFiles.replace(path, contents: Array(Self.script(fallback: executable).utf8))
        guard chmod(path, 0o755) == 0 else { throw .fileSystem(path: path, detail: String(cString: strerror(errno))) }
        return Report(action: action, path: path, chained: Self.exists(chained) ? chained : nil)
    }

    /// Removes our hook and puts back the one it chained; a hook that is not ours is left alone.
    public func uninstall() throws(ConductorError) -> Report {
        let path = try hookPath, chained = path + Self.chainedSuffix
        guard Self.exists(path) else { return Report(action: .notInstalled, path: path, chained: nil) }
        guard Self.isOurs(path) else { return Report(action: .leftAlone, path: path, chained: nil) }
        guard unlink(path) == 0 else { throw .fileSystem(path: path, detail: String(cString: strerror(errno))) }
        guard Self.exists(chained) else { return Report(action: .uninstalled, path: path, chained: nil) }
        try Self.move(chained, to: path)
        return Report(action: .uninstalled, path: path, chained: path)
    }

    /// The script with the installing executable's path filled in.
    static func script(fallback executable: String?) -> String {
        guard let executable, !executable.isEmpty else { return script }
        let quoted = "'" + executable.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
        return script.replacingOccurrences(of: fallbackLine, with: "conductor_fallback=\(quoted)")
    }

    static func isOurs(_ path: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: path) else { return false }
        return String(decoding: data.prefix(4096), as: UTF8.self).contains(marker)
    }

    /// Whether anything is at `path`, a dangling symbolic link included.
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    private static func move(_ from: String, to: String) throws(ConductorError) {
        guard rename(from, to) == 0 else { throw .fileSystem(path: from, detail: String(cString: strerror(errno))) }
    }

    private static func directory(_ path: String) -> String {
        var path = path
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        return path
    }
}
