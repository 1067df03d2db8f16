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

@Suite("Verification: process groups, timeouts and output")
struct VerificationProcessGroupRunnerTests {
    typealias Support = VerificationProcesses

    func run(
        _ command: String, in directory: String? = nil, timeout: Duration = .seconds(10),
        runner: ProcessGroupRunner = Support.runner(), environment: [String: String] = Support.environment
    ) throws -> (ProcessGroupResult, String) {
        let worktree = try TemporaryDirectory(prefix: "conductor-verify")
        let result = try runner.run(command, in: directory ?? worktree.path, environment: environment, timeout: timeout)
        return (result, result.output.captured.text)
    }

    @Test("a passing command: exit status 0, stdout and stderr in one stream")
    func passing() throws {
        let (result, text) = try run("echo hello; echo oops >&2")
        #expect(result.termination == .exited(0))
        #expect(!result.timedOut)
        #expect(text == "hello\noops\n")
        #expect(Support.treeIsGone(result.processGroup))
    }

    @Test("a failing command's exit status, and a signal that kills the shell")
    func failing() throws {
        #expect(try run("exit 3").0.termination == .exited(3))
        #expect(try run("kill -SEGV $$").0.termination == .signaled(SIGSEGV))
    }

    @Test("CI=true and the given environment are what the child sees")
    func environment() throws {
        var environment = Support.environment
        environment["CONDUCTOR_PROBE"] = "visible"
        environment["CI"] = "false"
        let (result, text) = try run(#"printf '%s %s %s' "$CI" "$CONDUCTOR_PROBE" "${HOME-unset}""#, environment: environment)
        #expect(result.termination == .exited(0))
        #expect(text == "true visible unset")
    }

    @Test("the command runs in the worktree, with stdin at end of file")
    func directoryAndStdin() throws {
        let worktree = try TemporaryDirectory(prefix: "conductor-worktree")
        let (result, text) = try run("pwd -P; cat; echo done", in: worktree.path)
        #expect(result.termination == .exited(0))
        #expect(text == "\(worktree.path)\ndone\n")
    }

    @Test("5 MB of output: head and tail kept, the rest counted, memory bounded")
    func largeOutput() throws {
        let runner = Support.runner(head: 1024, tail: 2048)
        var streamed = 0
        let worktree = try TemporaryDirectory(prefix: "conductor-verify")
        let result = try runner.run(
            #"printf 'BEGIN\n'; head -c 5242880 /dev/zero | tr '\0' x; printf '\nEND\n'"#,
            in: worktree.path, environment: Support.environment, timeout: .seconds(30)
        ) { streamed += $0.count }
        let total = 6 + 5_242_880 + 5
        #expect(result.termination == .exited(0))
        #expect(result.output.totalBytes == total)
        #expect(streamed == total)
        #expect(result.output.omittedBytes == total - 1024 - 2048)
        #expect(result.output.storedBytes == 1024 + 2048)
        #expect(result.output.storageCapacity <= (1024 + 2048) + 256)
        let captured = result.output.captured
        #expect(captured.head == "BEGIN\n" + String(repeating: "x", count: 1018))
        #expect(captured.tail == String(repeating: "x", count: 2043) + "\nEND\n")
        #expect(captured.omittedBytes == total - 1024 - 2048)
    }

    @Test("sleep 1000 with a short timeout is terminated within timeout + grace, and nothing of it is left")
    func timeout() throws {
        let started = ContinuousClock.now
        let (result, _) = try run("sleep 1000", timeout: .milliseconds(500))
        let elapsed = ContinuousClock.now - started
        #expect(result.timedOut)
        #expect(result.termination == .signaled(SIGTERM))
        #expect(elapsed >= .milliseconds(500))
        #expect(elapsed < .milliseconds(500) + Support.grace + .seconds(1), "took \(elapsed)")
        #expect(Support.treeIsGone(result.processGroup), "\(Support.leftovers(of: result.processGroup))")
        #expect(result.survivors.isEmpty)
    }

    @Test("a background grandchild is killed with the group on timeout")
    func grandchildOnTimeout() throws {
        let (result, text) = try run("sleep 1000 & echo child=$!; sleep 1000", timeout: .milliseconds(500))
        #expect(result.timedOut)
        let child = try #require(Support.number(after: "child", in: text))
        #expect(Support.isGone(child))
        #expect(Support.treeIsGone(result.processGroup), "\(Support.leftovers(of: result.processGroup))")
    }

    @Test("a grandchild left running when the shell exits is killed at once, without waiting for the timeout")
    func grandchildAfterExit() throws {
        let started = ContinuousClock.now
        let (result, text) = try run("sleep 1000 & echo child=$!; exit 4", timeout: .seconds(30))
        #expect(ContinuousClock.now - started < .seconds(3))
        #expect(!result.timedOut)
        #expect(result.termination == .exited(4))
        let child = try #require(Support.number(after: "child", in: text))
        #expect(Support.isGone(child))
        #expect(Support.treeIsGone(result.processGroup), "\(Support.leftovers(of: result.processGroup))")
    }

    @Test("a command that ignores SIGTERM gets SIGKILL after the grace period")
    func ignoresTerm() throws {
        let started = ContinuousClock.now
        let (result, text) = try run("trap '' TERM; echo armed; sleep 1000", timeout: .milliseconds(400))
        let elapsed = ContinuousClock.now - started
        #expect(text == "armed\n")
        #expect(result.timedOut)
        #expect(result.termination == .signaled(SIGKILL))
        #expect(elapsed >= .milliseconds(400) + Support.grace)
        #expect(elapsed < .milliseconds(400) + Support.grace + .seconds(1), "took \(elapsed)")
        #expect(Support.treeIsGone(result.processGroup), "\(Support.leftovers(of: result.processGroup))")
    }

    @Test(
        "a descendant that moved to a process group of its own, as SwiftPM's test binaries do, is killed too",
        .enabled(if: VerificationProcesses.isLinux && VerificationProcesses.ownGroupSleeper != nil)
    )
    func descendantInOwnGroup() throws {
        let sleeper = try #require(Support.ownGroupSleeper)
        for (command, timeout) in [("\(sleeper) & sleep 1000", Duration.milliseconds(700)), ("\(sleeper) & sleep 0.5", .seconds(30))] {
            let (result, text) = try run(command, timeout: timeout)
            let group = try #require(Support.number(after: "pgid", in: text), "\(text)")
            #expect(group != result.processGroup, "the descendant really left the shell's group")
            #expect(Support.isGone(group))
            #expect(Support.treeIsGone(result.processGroup), "\(Support.leftovers(of: result.processGroup))")
        }
    }

    @Test("the shell is reaped: no zombie is left for it")
    func reaped() throws {
        let (result, _) = try run("true")
        var status: Int32 = 0
        #expect(waitpid(result.processGroup, &status, WNOHANG) == -1 && errno == ECHILD)
        #expect(Support.isGone(result.processGroup))
    }

    @Test("a missing worktree or shell is an error, not a result")
    func cannotStart() throws {
        #expect(throws: ProcessGroupError.noSuchDirectory("/nonexistent/worktree")) {
            _ = try Support.runner().run("true", in: "/nonexistent/worktree", environment: [:], timeout: .seconds(1))
        }
        var runner = Support.runner()
        runner.shell = "/nonexistent/sh"
        let worktree = try TemporaryDirectory(prefix: "conductor-verify")
        #expect(throws: ProcessGroupError.spawn(program: "/nonexistent/sh", errno: ENOENT)) {
            _ = try runner.run("true", in: worktree.path, environment: [:], timeout: .seconds(1))
        }
    }
}
