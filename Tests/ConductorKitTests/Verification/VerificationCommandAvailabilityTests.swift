import ConductorKit
import ConductorTesting
import Foundation
import Testing

@Suite("Verification: precheck that verify commands can start")
struct VerificationCommandAvailabilityTests {
    let worktree: TemporaryDirectory

    init() throws {
        worktree = try TemporaryDirectory(prefix: "conductor-precheck")
        try "#!/bin/sh\nexit 0\n".write(toFile: worktree.appending("check.sh"), atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: worktree.appending("check.sh"))
        try "data\n".write(toFile: worktree.appending("notes.txt"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: worktree.appending("bin/tool-dir"), withIntermediateDirectories: true)
        try "#!/bin/sh\n".write(toFile: worktree.appending("bin/conductor-probe"), atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: worktree.appending("bin/conductor-probe"))
    }

    func check(_ command: String, path: String? = nil, home: String? = nil) -> CommandAvailability {
        var environment = ["PATH": path ?? ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        environment["HOME"] = home
        return CommandAvailability.check(command, in: worktree.path, environment: environment)
    }

    @Test("shell built-ins and reserved words are runnable")
    func builtins() {
        #expect(check("true") == .builtin("true"))
        #expect(check("[ -f Package.swift ] && swift build") == .builtin("["))
        #expect(check("cd sub && make") == .builtin("cd"))
        #expect(check("exit 0") == .builtin("exit"))
        #expect(check("test -d .git") == .builtin("test"))
    }

    @Test("programs are found on PATH, after leading assignments")
    func onPath() {
        guard case .executable(let path) = check("CI=1 FOO='a b' sh -c true") else {
            Issue.record("sh not found")
            return
        }
        #expect(path.hasSuffix("/sh"))
        #expect(check("conductor-probe --version", path: "/nonexistent:\(worktree.path)/bin")
            == .executable(path: "\(worktree.path)/bin/conductor-probe"))
        // An empty PATH entry is the current directory: the worktree.
        #expect(check("check.sh", path: "/nonexistent:") == .executable(path: "\(worktree.path)/check.sh"))
        #expect(check("no-such-tool-for-conductor --check") == .missing("no-such-tool-for-conductor"))
        #expect(!check("no-such-tool-for-conductor").isRunnable)
    }

    @Test("paths are taken relative to the worktree, and must be executable files")
    func paths() {
        #expect(check("./check.sh --all") == .executable(path: "\(worktree.path)/./check.sh"))
        #expect(check("./notes.txt") == .notExecutable(path: "\(worktree.path)/./notes.txt"))
        #expect(check("bin/tool-dir") == .notExecutable(path: "\(worktree.path)/bin/tool-dir"))
        #expect(check("./missing.sh") == .missing("./missing.sh"))
        #expect(check("~/check.sh", home: worktree.path) == .executable(path: "\(worktree.path)/check.sh"))
        #expect(check("/bin/sh -c true") == .executable(path: "/bin/sh"))
    }

    @Test("expansions cannot be checked and are let through; empty commands are not")
    func unverifiableAndEmpty() {
        #expect(check("$PYTHON -m pytest") == .unverifiable("$PYTHON"))
        #expect(check("$PYTHON -m pytest").isRunnable)
        #expect(check("   ") == .empty)
        #expect(!check("").isRunnable)
    }
}
