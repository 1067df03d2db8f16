import ConductorDomain
import ConductorTesting
import Foundation
import Testing

/// `git conductor run` against network providers configured through git config, answered by
/// an in-process HTTP server speaking the APIs' public wire formats: the request on the
/// wire, usage and price, retries and fallback recorded as events, budgets, and the API key
/// kept out of every record.
@Suite("git conductor run with network providers")
struct NetworkRunTests {
    static let key = "sk-proj-" + String(repeating: "T3stK3y", count: 6)

    /// The broken project, configured with `settings` (git config keys without `conductor.`).
    static func project(_ settings: [(String, String)]) throws -> Sandbox {
        let (sandbox, _) = try RunCommandTests.project(answers: [])
        for (key, value) in settings { try sandbox.git("config", "--add", "conductor." + key, value) }
        return sandbox
    }

    static func run(_ sandbox: Sandbox, _ extra: [String] = [], environment: [String: String] = [:]) throws -> ProcessResult {
        try sandbox.run(
            Tool.conductor, ["run", "Fix add.sh so that it adds", "--verify", "sh test.sh", "--mode", "fast", "--no-progress", "--log-level", "trace"] + extra,
            environment: ["OPENAI_API_KEY": key, "ANTHROPIC_API_KEY": key].merging(environment) { $1 }
        )
    }

    /// Every event of the only run, decoded.
    static func events(_ sandbox: Sandbox) throws -> [[String: Any]] {
        let id = try #require(try jsonArray(sandbox.conductorOK("log", "--json").stdout).first?["id"] as? String)
        let files = try sandbox.filesOnBranch(under: runDirectory(id) + "/events/")
        return try files.keys.sorted().map { try jsonObject(files[$0]!) }
    }

    /// Everything kept about runs: the state branch's history, the notes, and the logs.
    static func everything(_ sandbox: Sandbox) throws -> String {
        let logs = sandbox.gitDirectory + "/conductor/logs"
        let files = (try? FileManager.default.contentsOfDirectory(atPath: logs)) ?? []
        let logText = try files.map { try String(contentsOfFile: logs + "/" + $0, encoding: .utf8) }.joined()
        #expect(!logText.isEmpty, "the run wrote its log")
        return try sandbox.git("log", "-p", "--all", "--notes=conductor").stdout + logText
    }

    @Test("openai: the request on the wire, usage from the API priced by the table, the attempt recorded, no key anywhere")
    func openAI() async throws {
        try await TestHTTPServer.with { server in
            let sandbox = try Self.project([
                ("provider", "openai"), ("model", "gpt-4o"),
                ("providers.openai.base-url", server.baseURL + "/v1"), ("providers.openai.stream", "false"),
            ])
            await server.enqueue(.json(ProviderWireFixtures.OpenAI.completion(RunCommandTests.edit("-", "+", promise: true), usage: ProviderWireFixtures.OpenAI.usage(1000, 200))))
            let result = try Self.run(sandbox)
            #expect(result.status == 0, "\(result)")
            let request = try #require(await server.requests.first)
            #expect(request.path == "/v1/chat/completions" && request.header("authorization") == "Bearer \(Self.key)")
            let body = try request.json()
            #expect(body["model"] as? String == "gpt-4o")
            let messages = try #require(body["messages"] as? [[String: Any]])
            #expect(messages.first?["role"] as? String == "system" && (messages.last?["content"] as? String)?.contains("Fix add.sh") == true)

            let events = try Self.events(sandbox)
            let usage = try #require(events.first { $0["kind"] as? String == "usage" })
            #expect(usage["tokens_in"] as? Int == 1000 && usage["tokens_out"] as? Int == 200 && usage["estimated"] == nil)
            let expected = try #require(PriceTable().cost(for: TokenUsage(model: usage["model"] as? String, tokensIn: 1000, tokensOut: 200, costUSD: nil)))
            #expect(abs((usage["cost_usd"] as? Double ?? 0) - expected) < 1e-12, "\(usage)")
            let attempt = try #require(events.first { $0["kind"] as? String == "attempt" })
            #expect(attempt["provider"] as? String == "openai" && attempt["outcome"] as? String == "ok")
            let note = try sandbox.git("notes", "--ref=conductor", "show", try RunCommandTests.taskBranch(sandbox)).output
            #expect(note.contains("Cost: $"), "\(note)")
            #expect(!(try Self.everything(sandbox)).contains(Self.key), "the key reached git or the log")
            #expect(!result.stdout.contains(Self.key) && !result.stderr.contains(Self.key))
        }
    }

    @Test("anthropic answering 429 then 500 is retried, then ollama answers as the fallback; every try is an event")
    func retriesThenFallback() async throws {
        try await TestHTTPServer.with { primary in
            try await TestHTTPServer.with { fallback in
                let sandbox = try Self.project([
                    ("provider", "anthropic"), ("providers.anthropic.base-url", primary.baseURL), ("providers.anthropic.model", "claude-sonnet-4-5"),
                    ("providers.anthropic.stream", "false"), ("fallback", "ollama"),
                    ("providers.ollama.base-url", fallback.baseURL), ("providers.ollama.model", "llama3.2"), ("providers.ollama.stream", "false"),
                    ("retry.max-attempts", "2"), ("retry.base-delay-ms", "1"),
                ])
                await primary.enqueue(
                    .json(ProviderWireFixtures.Anthropic.error("rate_limit_error", "slow down"), status: 429, headers: [("retry-after-ms", "5")]),
                    .json(ProviderWireFixtures.Anthropic.error("api_error", "boom"), status: 500)
                )
                await fallback.enqueue(.json(ProviderWireFixtures.Ollama.chat(RunCommandTests.edit("-", "+", promise: true))))
                let result = try Self.run(sandbox)
                #expect(result.status == 0, "\(result)")
                let primaryRequests = await primary.requests
                let fallbackRequests = await fallback.requests
                #expect(primaryRequests.count == 2 && fallbackRequests.count == 1)
                #expect(primaryRequests.first?.header("x-api-key") == Self.key)
                let attempts = try Self.events(sandbox).filter { $0["kind"] as? String == "attempt" }
                let summary = attempts.map { "\($0["provider"] as? String ?? "?") \($0["attempt"] as? Int ?? 0) \($0["outcome"] as? String ?? "?") \($0["status"] as? Int ?? 0)" }
                #expect(summary.starts(with: ["anthropic 1 http 429", "anthropic 2 http 500"]), "\(summary)")
                #expect(summary.contains("ollama 1 ok 0") || summary.contains("ollama 2 ok 0"), "\(summary)")
                #expect(attempts.allSatisfy { $0["latency_ms"] is Int })
                let note = try sandbox.git("notes", "--ref=conductor", "show", try RunCommandTests.taskBranch(sandbox)).output
                #expect(note.contains("Model: llama3.2"), "\(note)")
                #expect(!(try Self.everything(sandbox)).contains(Self.key))
            }
        }
    }

    @Test("a 401 is not retried: FAILED (provider) with the likely cause, and the key appears nowhere")
    func unauthorized() async throws {
        try await TestHTTPServer.with { server in
            let sandbox = try Self.project([
                ("provider", "anthropic"), ("providers.anthropic.base-url", server.baseURL), ("providers.anthropic.model", "claude-sonnet-4-5"),
            ])
            await server.enqueue(.json(ProviderWireFixtures.Anthropic.error("authentication_error", "invalid x-api-key \(Self.key)"), status: 401))
            let result = try Self.run(sandbox)
            #expect(result.status == 10, "\(result)")
            #expect(await server.requests.count == 1, "no retry on 401")
            #expect(result.stdout.contains("invalid API key for anthropic (HTTP 401): set ANTHROPIC_API_KEY"), "\(result)")
            let log = try jsonArray(sandbox.conductorOK("log", "--json").stdout)
            #expect(log.first?["failure_reason"] as? String == "provider")
            #expect(!(try Self.everything(sandbox)).contains(Self.key) && !result.stdout.contains(Self.key))
        }
    }

    @Test("max_tokens stops the run between calls with reason budget")
    func tokenBudget() async throws {
        try await TestHTTPServer.with { server in
            let sandbox = try Self.project([
                ("provider", "openai"), ("model", "gpt-4o"), ("providers.openai.base-url", server.baseURL + "/v1"),
                ("providers.openai.stream", "false"), ("budgets.max-tokens", "500"),
            ])
            await server.enqueue(.json(ProviderWireFixtures.OpenAI.completion(RunCommandTests.edit("-", "*"), usage: ProviderWireFixtures.OpenAI.usage(1000, 200))))
            let result = try Self.run(sandbox)
            #expect(result.status == 10 && result.stdout.contains("budget: used 1200 tokens, over the 500 token budget"), "\(result)")
            #expect(await server.requests.count == 1, "no call after the budget is spent")
        }
    }

    @Test("a provider that cannot be set up fails PRECHECK with the reason, together with the other problems")
    func missingKey() throws {
        let sandbox = try Self.project([("provider", "anthropic"), ("providers.anthropic.model", "claude-sonnet-4-5")])
        let result = try sandbox.run(
            Tool.conductor, ["run", "Fix add.sh", "--verify", "no-such-tool --check", "--mode", "fast"],
            removing: ["ANTHROPIC_API_KEY"]
        )
        #expect(result.status == 11, "\(result)")
        #expect(result.stdout.contains("ANTHROPIC_API_KEY") && result.stdout.contains("no-such-tool"), "\(result)")
    }
}

extension NetworkRunTests {
    @Test("notify.webhook gets a JSON summary of the finished run")
    func webhook() async throws {
        try await TestHTTPServer.with { server in
            let (sandbox, script) = try RunCommandTests.project(answers: [RunCommandTests.edit("-", "+", promise: true)])
            try sandbox.git("config", "conductor.notify.webhook", server.baseURL + "/hooks/runs")
            await server.enqueue(.json("{}"))
            let result = try RunCommandTests.run(sandbox, script: script)
            #expect(result.status == 0 && !result.stdout.contains("warning"), "\(result)")
            let request = try #require(await server.requests.first)
            #expect(request.method == "POST" && request.path == "/hooks/runs")
            let body = try request.json()
            #expect(body["event"] as? String == "run_finished" && body["state"] as? String == "COMPLETE" && body["iterations"] as? Int == 1, "\(body)")
            #expect((body["task_branch"] as? String)?.hasPrefix("conductor/fix-add-sh") == true)
        }
    }

    @Test("a webhook that is down or failing changes nothing but a warning; a webhook that is not http(s) is a configuration error")
    func webhookDown() async throws {
        let (sandbox, script) = try RunCommandTests.project(answers: [RunCommandTests.edit("-", "+", promise: true)])
        try sandbox.git("config", "conductor.notify.webhook", "http://127.0.0.1:\(try await TestHTTPServer.unusedPort())/hook")
        try sandbox.git("config", "conductor.notify.timeout-seconds", "2")
        let result = try RunCommandTests.run(sandbox, script: script)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("warning: could not notify the webhook"), "\(result)")
        #expect(try jsonArray(sandbox.conductorOK("log", "--json").stdout).first?["status"] as? String == "complete")

        try await TestHTTPServer.with { server in
            await server.enqueue(.json("{}", status: 500))
            try sandbox.git("config", "conductor.notify.webhook", server.baseURL)
            let failing = try sandbox.run(Tool.conductor, ["run", "Again", "--script", script, "--verify", "sh test.sh", "--mode", "fast"])
            #expect(failing.stdout.contains("warning: the notification webhook answered HTTP 500"), "\(failing)")
        }

        try sandbox.git("config", "conductor.notify.webhook", "ftp://example.com/hook")
        let invalid = try sandbox.conductor("config", "validate")
        #expect(invalid.status == 15 && invalid.stderr.contains("notify.webhook") && invalid.stderr.contains("http or https"), "\(invalid)")
    }
}

extension NetworkRunTests {
    @Test("--log-format json writes one object a line to .git/conductor/logs/conductor.log, every line naming the run")
    func jsonLog() throws {
        let (sandbox, script) = try RunCommandTests.project(answers: [RunCommandTests.edit("-", "*"), RunCommandTests.edit("*", "+", promise: true)])
        let result = try RunCommandTests.run(sandbox, script: script, ["--log-format", "json", "--log-level", "debug"])
        #expect(result.status == 0, "\(result)")
        let id = try #require(try jsonArray(sandbox.conductorOK("log", "--json").stdout).first?["id"] as? String)
        let text = try String(contentsOfFile: sandbox.gitDirectory + "/conductor/logs/conductor.log", encoding: .utf8)
        let lines = try text.split(separator: "\n").map { try jsonObject(String($0)) }
        #expect(lines.allSatisfy { $0["run"] as? String == id && $0["time"] is String && $0["level"] is String })
        let messages = lines.compactMap { $0["message"] as? String }
        #expect(messages.contains("VERIFYING -> REPAIRING") && messages.contains("iteration 2") && messages.last == "run ended COMPLETE", "\(messages)")
        let quiet = try RunCommandTests.run(sandbox, script: script, ["--log-level", "warning"])
        #expect(quiet.status == 0)
        let after = try String(contentsOfFile: sandbox.gitDirectory + "/conductor/logs/conductor.log", encoding: .utf8)
        #expect(after == text, "nothing at or above warning happened, so nothing more was written")
    }
}

extension NetworkRunTests {
    @Test("with no provider configured, ANTHROPIC_API_KEY picks anthropic, and the run says it was detected")
    func detectedProvider() async throws {
        try await TestHTTPServer.with { server in
            let sandbox = try Self.project([("providers.anthropic.base-url", server.baseURL), ("providers.anthropic.stream", "false")])
            await server.enqueue(.json(ProviderWireFixtures.Anthropic.message(RunCommandTests.edit("-", "+", promise: true))))
            let result = try Self.run(sandbox)
            #expect(result.status == 0, "\(result)")
            #expect(result.stderr.contains("provider: anthropic, detected"), "\(result)")
            #expect(await server.requests.count == 1)
        }
    }
}
