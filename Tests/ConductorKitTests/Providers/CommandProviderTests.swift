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

/// A fake command-line agent: a shell script in a temporary `bin` directory that records its
/// arguments, working directory and stdin next to itself, prints canned output, and exits.
struct FakeCLI {
    let bin: TemporaryDirectory
    let worktree: TemporaryDirectory
    let name: String

    /// - Parameters:
    ///   - stdout: printed on stdout, as is.
    ///   - stderr: printed on stderr.
    ///   - body: shell commands run after reading stdin and before printing (a hang, say).
    init(_ name: String, stdout: String = "", stderr: String = "", exit status: Int32 = 0, body: String = "") throws {
        self.name = name
        bin = try TemporaryDirectory(prefix: "conductor-fake-cli")
        worktree = try TemporaryDirectory(prefix: "conductor-fake-worktree")
        try stdout.write(toFile: bin.appending("\(name).out"), atomically: true, encoding: .utf8)
        try stderr.write(toFile: bin.appending("\(name).err"), atomically: true, encoding: .utf8)
        let script = """
            #!/bin/sh
            dir="$(dirname "$0")"
            printf '%s\\n' "$@" > "$dir/\(name).argv"
            pwd -P > "$dir/\(name).pwd"
            cat > "$dir/\(name).stdin"
            \(body)
            cat "$dir/\(name).out"
            cat "$dir/\(name).err" >&2
            exit \(status)

            """
        let path = bin.appending(name)
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
    }

    /// PATH with the fake first, and the system's tools for the script itself.
    var environment: [String: String] {
        ["PATH": "\(bin.path):/usr/bin:/bin", "LC_ALL": "C"]
    }

    func provider(
        _ preset: CommandPreset, model: String? = nil, agentic: Bool = false, timeout: Duration = .seconds(20),
        environment extra: [String: String] = [:], maxOutputBytes: Int = 32 << 20
    ) -> CommandProvider {
        CommandProvider(
            preset: preset, workingDirectory: worktree.path, model: model, agentic: agentic, timeout: timeout,
            gracePeriod: .milliseconds(300), environment: environment.merging(extra) { _, new in new },
            maxOutputBytes: maxOutputBytes
        )
    }

    /// Asks the fake through a provider. A method, so that the fake (and its directories)
    /// live for the whole call even when it is a temporary.
    func complete(
        _ preset: CommandPreset, model: String? = nil, agentic: Bool = false, timeout: Duration = .seconds(20),
        environment extra: [String: String] = [:], maxOutputBytes: Int = 32 << 20,
        request: ProviderRequest = CommandProviderTests.request
    ) async throws(ProviderError) -> ProviderResponse {
        try await provider(preset, model: model, agentic: agentic, timeout: timeout, environment: extra, maxOutputBytes: maxOutputBytes)
            .complete(request)
    }

    func recorded(_ what: String) throws -> String {
        try String(contentsOfFile: bin.appending("\(name).\(what)"), encoding: .utf8)
    }

    /// The arguments the fake was started with.
    func arguments() throws -> [String] {
        try recorded("argv").split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }
}

@Suite("Command provider: presets against fake CLIs")
struct CommandProviderTests {
    static let request = ProviderRequest(
        purpose: .build, system: "You edit code in this repository.",
        messages: [ChatMessage(role: .user, content: "Fix add() in src/add.swift.")], temperature: 0.2
    )
    static let answer = "src/add.swift\n```swift\nfunc add(_ a: Int, _ b: Int) -> Int { a + b }\n```"

    /// `claude -p --output-format json`, shaped like Claude Code's result message.
    static let claudeResult = """
        {"type":"result","subtype":"success","is_error":false,"duration_ms":8231,"duration_api_ms":7980,"num_turns":3,\
        "result":"src/add.swift\\n```swift\\nfunc add(_ a: Int, _ b: Int) -> Int { a + b }\\n```",\
        "session_id":"5b0cbe58-0f1a-4c6e-9d7e-2f8b3f0c1a2d","total_cost_usd":0.04182,\
        "usage":{"input_tokens":12,"cache_creation_input_tokens":3104,"cache_read_input_tokens":13926,"output_tokens":412,\
        "server_tool_use":{"web_search_requests":0},"service_tier":"standard"},\
        "modelUsage":{"claude-haiku-4-5-20251001":{"inputTokens":820,"outputTokens":35,"cacheReadInputTokens":0,\
        "cacheCreationInputTokens":0,"webSearchRequests":0,"costUSD":0.001,"contextWindow":200000},\
        "claude-sonnet-4-5-20250929":{"inputTokens":12,"outputTokens":412,"cacheReadInputTokens":13926,\
        "cacheCreationInputTokens":3104,"webSearchRequests":0,"costUSD":0.04082,"contextWindow":200000}},\
        "permission_denials":[],"uuid":"a4e1e2b0-77c1-4f5e-8a57-3d1f0f1e9b6c"}

        """

    @Test("claude: result text, usage with cache reads and writes, the model that did the work, reported cost, session id")
    func claude() async throws {
        let fake = try FakeCLI("claude", stdout: Self.claudeResult)
        let response = try await fake.complete(.claude, model: "sonnet")
        #expect(response.text == Self.answer)
        #expect(response.usage == TokenUsage(
            model: "claude-sonnet-4-5-20250929", tokensIn: 12 + 3104 + 13926, tokensOut: 412, cachedTokens: 13926, costUSD: 0.04182
        ))
        #expect(response.sessionID == "5b0cbe58-0f1a-4c6e-9d7e-2f8b3f0c1a2d")
        #expect(response.finishReason == "success")
        #expect(try fake.arguments() == ["-p", "--output-format", "json", "--model", "sonnet"])
        #expect(try fake.recorded("stdin") == "You edit code in this repository.\n\nFix add() in src/add.swift.\n")
        #expect(try fake.recorded("pwd") == fake.worktree.path + "\n", "the CLI runs in the worktree")
    }

    @Test("claude: the array --verbose prints, and stream-json lines, are read for their result message")
    func claudeVariants() async throws {
        let array = "[{\"type\":\"system\",\"subtype\":\"init\"},{\"type\":\"assistant\"},\(Self.claudeResult.trimmingCharacters(in: .newlines))]"
        #expect(try await FakeCLI("claude", stdout: array).complete(.claude).text == Self.answer)
        let lines = "{\"type\":\"system\",\"subtype\":\"init\"}\nwarning: something\n" + Self.claudeResult
        #expect(try await FakeCLI("claude", stdout: lines).complete(.claude).text == Self.answer)
    }

    @Test("claude: missing usage and cost are estimated and unknown, not zero")
    func claudeSparse() async throws {
        let fake = try FakeCLI("claude", stdout: #"{"type":"result","result":"ok","is_error":false}"#)
        let response = try await fake.complete(.claude, model: "opus")
        #expect(response.text == "ok")
        #expect(response.usage.estimated && response.usage.costUSD == nil && response.usage.model == "opus")
        #expect(response.usage.tokensIn == TokenUsage.estimateTokens(in: CommandPrompt.render(Self.request)))
        #expect(response.usage.tokensOut == TokenUsage.estimateTokens(in: "ok"))
    }

    @Test("claude: a result marked is_error is a failure with its message, whatever the exit status")
    func claudeError() async throws {
        let failed = #"{"type":"result","subtype":"error_max_turns","is_error":true,"errors":["Reached maximum number of turns (3)"],"total_cost_usd":0.2}"#
        await #expect(throws: ProviderError.commandFailed(provider: "command:claude", detail: "Reached maximum number of turns (3)")) {
            _ = try await FakeCLI("claude", stdout: failed).complete(.claude)
        }
        let apiError = #"{"type":"result","subtype":"success","is_error":true,"result":"Invalid API key · Please run /login"}"#
        await #expect(throws: ProviderError.commandFailed(provider: "command:claude", detail: "claude exited with status 1: Invalid API key · Please run /login")) {
            _ = try await FakeCLI("claude", stdout: apiError, exit: 1).complete(.claude)
        }
    }

    /// `codex exec --json` as current versions print it.
    static let codexEvents = """
        {"type":"thread.started","thread_id":"0199a213-81c0-7800-8aa1-bbab2a035a53"}
        {"type":"turn.started"}
        {"type":"item.completed","item":{"id":"item_0","type":"reasoning","text":"**Reading the failing test**"}}
        {"type":"item.started","item":{"id":"item_1","type":"command_execution","command":"bash -lc 'cat src/add.swift'","aggregated_output":"","exit_code":null,"status":"in_progress"}}
        {"type":"item.completed","item":{"id":"item_1","type":"command_execution","command":"bash -lc 'cat src/add.swift'","aggregated_output":"func add(_ a: Int, _ b: Int) -> Int { a - b }\\n","exit_code":0,"status":"completed"}}
        {"type":"item.completed","item":{"id":"item_2","type":"agent_message","text":"Looking at it."}}
        {"type":"turn.completed","usage":{"input_tokens":24763,"cached_input_tokens":24448,"output_tokens":122}}
        {"type":"turn.started"}
        {"type":"item.completed","item":{"id":"item_3","type":"agent_message","text":"src/add.swift\\n```swift\\nfunc add(_ a: Int, _ b: Int) -> Int { a + b }\\n```"}}
        {"type":"turn.completed","usage":{"input_tokens":1000,"cached_input_tokens":0,"output_tokens":78}}

        """

    @Test("codex: the last agent message, usage summed over turns, the thread id; the configured model is recorded")
    func codex() async throws {
        let fake = try FakeCLI("codex", stdout: Self.codexEvents, stderr: "Reading prompt from stdin...\n")
        let response = try await fake.complete(.codex, model: "gpt-5")
        #expect(response.text == Self.answer)
        #expect(response.usage == TokenUsage(model: "gpt-5", tokensIn: 25763, tokensOut: 200, cachedTokens: 24448, costUSD: nil))
        #expect(response.sessionID == "0199a213-81c0-7800-8aa1-bbab2a035a53")
        #expect(try fake.arguments() == ["exec", "--json", "--model", "gpt-5"])
        // Priced from the table when the CLI states no cost.
        let priced = try await PricedProvider(fake.provider(.codex, model: "gpt-5")).complete(Self.request)
        withExtendedLifetime(fake) {}
        let uncached: Double = 1315 * 1.25
        let cached: Double = 24448 * 0.125
        let output: Double = 200 * 10
        let cost = try #require(priced.usage.costUSD)
        #expect(abs(cost - (uncached + cached + output) / 1_000_000) < 1e-12)
    }

    @Test("codex: older versions' msg events (session_configured, agent_message, token_count totals)")
    func codexLegacy() async throws {
        let events = """
            {"id":"0","msg":{"type":"session_configured","session_id":"d3b1","model":"gpt-5-codex","history_log_id":0}}
            {"id":"1","msg":{"type":"task_started"}}
            {"id":"1","msg":{"type":"agent_message","message":"Done: fixed add()."}}
            {"id":"1","msg":{"type":"token_count","info":{"total_token_usage":{"input_tokens":900,"cached_input_tokens":100,"output_tokens":40,"reasoning_output_tokens":12,"total_tokens":940}}}}
            {"id":"1","msg":{"type":"task_complete","last_agent_message":"Done: fixed add()."}}

            """
        let response = try await FakeCLI("codex", stdout: events).complete(.codex)
        #expect(response.text == "Done: fixed add().")
        #expect(response.usage == TokenUsage(model: "gpt-5-codex", tokensIn: 900, tokensOut: 40, cachedTokens: 100, costUSD: nil))
        #expect(response.sessionID == "d3b1")
    }

    @Test("codex: a failed turn is a failure with its message; no message at all is malformed")
    func codexFailures() async throws {
        let failed = """
            {"type":"thread.started","thread_id":"t"}
            {"type":"turn.started"}
            {"type":"turn.failed","error":{"message":"stream disconnected before completion"}}

            """
        await #expect(throws: ProviderError.commandFailed(provider: "command:codex", detail: "stream disconnected before completion")) {
            _ = try await FakeCLI("codex", stdout: failed).complete(.codex)
        }
        await #expect(throws: ProviderError.malformedResponse(provider: "command:codex", detail: "no agent message among 2 events")) {
            _ = try await FakeCLI("codex", stdout: "{\"type\":\"thread.started\",\"thread_id\":\"t\"}\n{\"type\":\"turn.started\"}\n").complete(.codex)
        }
    }

    /// `gemini --output-format json`, with the per-model stats of current versions.
    static let geminiOutput = """
        {
          "session_id": "c2f8d7a0-5a8e-4f6b-b1c2-9d0e1f2a3b4c",
          "response": "src/add.swift\\n```swift\\nfunc add(_ a: Int, _ b: Int) -> Int { a + b }\\n```",
          "stats": {
            "models": {
              "gemini-2.5-pro": {
                "api": { "totalRequests": 2, "totalErrors": 0, "totalLatencyMs": 5053 },
                "tokens": { "input": 3676, "prompt": 24939, "candidates": 20, "total": 25113, "cached": 21263, "thoughts": 154, "tool": 0 }
              },
              "gemini-2.5-flash": {
                "api": { "totalRequests": 1, "totalErrors": 0, "totalLatencyMs": 400 },
                "tokens": { "input": 100, "prompt": 100, "candidates": 10, "total": 110, "cached": 0, "thoughts": 0, "tool": 0 }
              }
            },
            "tools": { "totalCalls": 1, "totalSuccess": 1, "totalFail": 0, "totalDurationMs": 1881 },
            "files": { "totalLinesAdded": 0, "totalLinesRemoved": 0 }
          }
        }

        """

    @Test("gemini: response text, tokens summed over models (thoughts are output), the heaviest model, session id")
    func gemini() async throws {
        let fake = try FakeCLI("gemini", stdout: Self.geminiOutput)
        let response = try await fake.complete(.gemini)
        #expect(response.text == Self.answer)
        #expect(response.usage == TokenUsage(model: "gemini-2.5-pro", tokensIn: 25039, tokensOut: 184, cachedTokens: 21263, costUSD: nil))
        #expect(response.sessionID == "c2f8d7a0-5a8e-4f6b-b1c2-9d0e1f2a3b4c")
        #expect(try fake.arguments() == ["--output-format", "json"])
    }

    @Test("gemini: no stats means estimated usage; an error object is a failure naming its type")
    func geminiSparseAndError() async throws {
        let sparse = try await FakeCLI("gemini", stdout: #"{"response": "fine"}"#).complete(.gemini, model: "gemini-2.5-flash")
        #expect(sparse.text == "fine" && sparse.usage.estimated && sparse.usage.model == "gemini-2.5-flash")
        let error = #"{"error": {"type": "FatalAuthenticationError", "message": "Please set an Auth method", "code": 41}}"#
        await #expect(throws: ProviderError.commandFailed(provider: "command:gemini", detail: "gemini exited with status 41: FatalAuthenticationError: Please set an Auth method")) {
            _ = try await FakeCLI("gemini", stdout: error, exit: 41).complete(.gemini)
        }
    }

    @Test("llm: plain text, usage estimated, the model option and the configured model recorded")
    func llm() async throws {
        let fake = try FakeCLI("llm", stdout: Self.answer + "\n")
        let response = try await fake.complete(.llm, model: "gpt-4o-mini")
        #expect(response.text == Self.answer)
        #expect(response.usage.estimated && response.usage.model == "gpt-4o-mini" && response.usage.costUSD == nil)
        #expect(try fake.arguments() == ["-m", "gpt-4o-mini"])
        let priced = try await PricedProvider(fake.provider(.llm, model: "gpt-4o-mini")).complete(Self.request)
        withExtendedLifetime(fake) {}
        #expect(priced.usage.costUSD != nil, "an estimate of a known model is priced, and stays marked estimated")
    }

    @Test("a custom command: any program with its arguments, plain text; a conversation goes to stdin as a transcript")
    func custom() async throws {
        let fake = try FakeCLI("my-agent", stdout: "answer\n")
        let preset = CommandPreset.custom([fake.bin.appending("my-agent"), "--quiet", "two words"])
        let request = ProviderRequest(purpose: .repair, system: "sys", messages: [
            ChatMessage(role: .user, content: "first"), ChatMessage(role: .assistant, content: "reply"), ChatMessage(role: .user, content: "again"),
        ], temperature: 0)
        #expect(fake.provider(preset).name == "command:my-agent")
        #expect(try await fake.complete(preset, request: request).text == "answer")
        #expect(try fake.arguments() == ["--quiet", "two words"])
        #expect(try fake.recorded("stdin") == "sys\n\n<conversation>\n<user>\nfirst\n</user>\n<assistant>\nreply\n</assistant>\n<user>\nagain\n</user>\n</conversation>\n")
    }

    @Test("agentic mode adds the preset's permission to edit; a preset without one refuses agentic mode")
    func agentic() async throws {
        let fake = try FakeCLI("claude", stdout: Self.claudeResult)
        _ = try await fake.complete(.claude, agentic: true)
        #expect(try fake.arguments() == ["-p", "--output-format", "json", "--permission-mode", "acceptEdits"])
        await #expect(throws: ProviderError.self) {
            _ = try await FakeCLI("llm", stdout: "x").complete(.llm, agentic: true)
        }
    }

    @Test("a missing executable says which, and how to install or configure it")
    func missing() async throws {
        let fake = try FakeCLI("unrelated")
        await #expect(throws: ProviderError.commandFailed(provider: "command:codex", detail: "'codex' was not found on PATH; \(CommandPreset.codex.installHint)")) {
            _ = try await fake.complete(.codex)
        }
        let absent = CommandPreset.custom(["/nonexistent/bin/agent"])
        await #expect(throws: ProviderError.commandFailed(provider: "command:agent", detail: "'/nonexistent/bin/agent' was not found at /nonexistent/bin/agent; check the configured command, or give its full path")) {
            _ = try await fake.complete(absent)
        }
    }

    @Test("a non-zero exit is a failure with the end of stderr, keys redacted")
    func nonZeroExit() async throws {
        let key = "sk-ant-api03-fake0123456789abcdefghijklmnop"
        let stderr = (1...30).map { "trace line \($0)" }.joined(separator: "\n") + "\nerror: authentication failed for key \(key)\n"
        let fake = try FakeCLI("llm", stderr: stderr, exit: 3)
        do {
            _ = try await fake.complete(.llm, environment: ["ANTHROPIC_API_KEY": key])
            Issue.record("a failing CLI must throw")
        } catch {
            guard case .commandFailed(let provider, let detail) = error else {
                Issue.record("expected commandFailed, got \(error)")
                return
            }
            #expect(provider == "command:llm")
            #expect(detail.hasPrefix("llm exited with status 3: trace line 12\n"))
            #expect(detail.hasSuffix("error: authentication failed for key [REDACTED]"))
            #expect(!detail.contains(key) && !error.description.contains(key))
        }
        await #expect(throws: ProviderError.commandFailed(provider: "command:llm", detail: "llm exited with status 2 and printed nothing")) {
            _ = try await FakeCLI("llm", exit: 2).complete(.llm)
        }
    }

    @Test("malformed output is malformedResponse, quoting the start of what came")
    func malformed() async throws {
        await #expect(throws: ProviderError.malformedResponse(provider: "command:claude", detail: "expected a JSON result object, but stdout begins: Error: something went wrong⏎")) {
            _ = try await FakeCLI("claude", stdout: "Error: something went wrong\n").complete(.claude)
        }
        await #expect(throws: ProviderError.malformedResponse(provider: "command:gemini", detail: "expected a JSON object, but the CLI printed nothing on stdout")) {
            _ = try await FakeCLI("gemini").complete(.gemini)
        }
        await #expect(throws: ProviderError.malformedResponse(provider: "command:claude", detail: "the result object has no \"result\" text")) {
            _ = try await FakeCLI("claude", stdout: #"{"type":"result","is_error":false}"#).complete(.claude)
        }
    }

    @Test("a CLI that prints more than the limit is stopped and refused")
    func overflow() async throws {
        let fake = try FakeCLI("llm", body: "yes xxxxxxxxxxxxxxx | head -c 3000000")
        await #expect(throws: ProviderError.malformedResponse(provider: "command:llm", detail: "the CLI printed more than 1 MiB on stdout; it was stopped")) {
            _ = try await fake.complete(.llm, maxOutputBytes: 1 << 20)
        }
    }
}

@Suite("Command provider: hung CLIs are killed, nothing is left")
struct CommandProviderTimeoutTests {
    /// A CLI that ignores SIGTERM (and so does its child) and never answers; it writes its own
    /// pid and its child's next to itself.
    static func hungCLI() throws -> FakeCLI {
        try FakeCLI("claude", body: #"trap '' TERM; echo $$ > "$dir/claude.pid"; sleep 1000 & echo $! > "$dir/claude.child"; wait"#)
    }

    static func pids(_ fake: FakeCLI) throws -> (Int32, Int32) {
        let pid = try #require(Int32(fake.recorded("pid").trimmingCharacters(in: .whitespacesAndNewlines)))
        let child = try #require(Int32(fake.recorded("child").trimmingCharacters(in: .whitespacesAndNewlines)))
        return (pid, child)
    }

    @Test("a hung CLI times out within timeout + grace, as ProviderError.timeout, with its whole tree gone")
    func timeout() async throws {
        let fake = try Self.hungCLI()
        let started = ContinuousClock.now
        await #expect(throws: ProviderError.timeout(provider: "command:claude", phase: "answer", seconds: 1)) {
            _ = try await fake.complete(.claude, timeout: .seconds(1))
        }
        let elapsed = ContinuousClock.now - started
        #expect(elapsed >= .seconds(1) && elapsed < .milliseconds(1300) + .seconds(2), "took \(elapsed)")
        let (pid, child) = try Self.pids(fake)
        #expect(VerificationProcesses.treeIsGone(pid))
        #expect(VerificationProcesses.isGone(child))
    }

    @Test("cancelling the calling task stops the CLI: ProviderError.cancelled, nothing left")
    func cancellation() async throws {
        let fake = try Self.hungCLI()
        let provider = fake.provider(.claude, timeout: .seconds(60))
        let task = Task { try await provider.complete(CommandProviderTests.request) }
        // Wait until the CLI is running.
        let deadline = ContinuousClock.now + .seconds(10)
        while (try? fake.recorded("child")) == nil, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        let started = ContinuousClock.now
        task.cancel()
        await #expect(throws: ProviderError.cancelled(provider: "command:claude")) {
            _ = try await task.value
        }
        #expect(ContinuousClock.now - started < .seconds(3))
        let (pid, child) = try Self.pids(fake)
        #expect(VerificationProcesses.treeIsGone(pid))
        #expect(VerificationProcesses.isGone(child))
    }
}
