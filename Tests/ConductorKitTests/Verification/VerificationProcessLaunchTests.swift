import ConductorDomain
import ConductorKit
import ConductorTesting
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("Verification: launching programs directly, with stdin, separate stderr and a stop request")
struct VerificationProcessLaunchTests {
    typealias Support = VerificationProcesses

    struct MissingProgram: Error { let name: String }

    func program(_ name: String) throws -> String {
        guard case .executable(let path) = CommandAvailability.locate(name, in: "/", environment: Support.environment) else {
            throw MissingProgram(name: name)
        }
        return path
    }

    @Test("a program runs with its arguments as given, no shell in between")
    func arguments() throws {
        let worktree = try TemporaryDirectory(prefix: "conductor-launch")
        let launch = ProcessLaunch(executable: try program("printf"), arguments: ["%s|", "a b", "$HOME", "*", ""])
        let result = try Support.runner().run(launch, in: worktree.path, environment: Support.environment, timeout: .seconds(10))
        #expect(result.termination == .exited(0))
        #expect(result.output.captured.text == "a b|$HOME|*||")
        #expect(result.errorOutput == nil && !result.stopped && !result.timedOut)
        #expect(Support.treeIsGone(result.processGroup))
    }

    @Test("stdin carries the given bytes, all of them, even a megabyte the program reads late")
    func input() throws {
        let worktree = try TemporaryDirectory(prefix: "conductor-launch")
        let text = "first line\nsecond line: ünïcode\n"
        let echo = ProcessLaunch(executable: try program("cat"), input: Array(text.utf8))
        let result = try Support.runner().run(echo, in: worktree.path, environment: Support.environment, timeout: .seconds(10))
        #expect(result.output.captured.text == text)

        let big = [UInt8](repeating: UInt8(ascii: "x"), count: 1 << 20)
        let late = ProcessLaunch(executable: try program("sh"), arguments: ["-c", "sleep 0.2; wc -c"], input: big)
        let counted = try Support.runner().run(late, in: worktree.path, environment: Support.environment, timeout: .seconds(10))
        #expect(counted.output.captured.text.trimmingCharacters(in: .whitespacesAndNewlines) == "\(1 << 20)")
        #expect(try !FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory()).contains { $0.hasPrefix("conductor-stdin-") },
                "the stdin file is unlinked")
    }

    @Test("stderr apart: stdout holds only what went to stdout, and onOutput sees only stdout")
    func separateErrors() throws {
        let worktree = try TemporaryDirectory(prefix: "conductor-launch")
        let launch = ProcessLaunch(
            executable: try program("sh"), arguments: ["-c", #"echo '{"ok": true}'; echo 'warning: slow' >&2; exit 3"#],
            separateErrorOutput: true
        )
        var forwarded = ""
        let result = try Support.runner().run(launch, in: worktree.path, environment: Support.environment, timeout: .seconds(10)) {
            forwarded += String(decoding: $0, as: UTF8.self)
        }
        #expect(result.termination == .exited(3))
        #expect(result.output.captured.text == "{\"ok\": true}\n")
        #expect(forwarded == "{\"ok\": true}\n")
        #expect(result.errorOutput?.captured.text == "warning: slow\n")
    }

    @Test("a stop request from another thread ends a hung program and its children like a timeout, and says so")
    func stop() async throws {
        let worktree = try TemporaryDirectory(prefix: "conductor-launch")
        let marker = worktree.appending("child.pid")
        let launch = ProcessLaunch(executable: try program("sh"), arguments: ["-c", "trap '' TERM; sleep 1000 & echo $! > '\(marker)'; wait"])
        let request = StopRequest()
        let runner = Support.runner()
        let environment = Support.environment
        let started = ContinuousClock.now
        let task = Task.detached {
            try runner.run(launch, in: worktree.path, environment: environment, timeout: .seconds(60), stop: request)
        }
        try await Task.sleep(for: .milliseconds(300))
        request.request()
        let result = try await task.value
        let elapsed = ContinuousClock.now - started
        #expect(result.stopped && !result.timedOut)
        #expect(elapsed < .seconds(5), "stopped within the grace period, not at the 60 s timeout")
        #expect(Support.treeIsGone(result.processGroup))
        let child = try #require(Int32(String(contentsOfFile: marker, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(Support.isGone(child))
    }

    @Test("locate finds programs without the shell's built-ins, and says what is missing")
    func locate() throws {
        guard case .executable(let echo) = CommandAvailability.locate("echo", in: "/", environment: Support.environment) else {
            Issue.record("echo is not an executable on PATH")
            return
        }
        #expect(echo.hasSuffix("/echo"))
        #expect(CommandAvailability.locate("no-such-program-here", in: "/", environment: Support.environment) == .missing("no-such-program-here"))
        let directory = try TemporaryDirectory(prefix: "conductor-launch")
        _ = FileManager.default.createFile(atPath: directory.appending("tool"), contents: Data("#!/bin/sh\n".utf8), attributes: [.posixPermissions: 0o644])
        #expect(CommandAvailability.locate("./tool", in: directory.path, environment: [:]) == .notExecutable(path: directory.appending("./tool")))
        #expect(CommandAvailability.locate("tool", in: directory.path, environment: ["PATH": directory.path]) == .notExecutable(path: directory.appending("tool")))
        #expect(CommandAvailability.locate("", in: "/", environment: [:]) == .empty)
    }
}
