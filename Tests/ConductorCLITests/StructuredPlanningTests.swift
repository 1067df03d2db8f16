import ConductorDomain
import ConductorTesting
import Foundation
import Testing

/// Planning through real APIs: the plan's schema on the wire in each API's form, a refusal
/// of the form remembered across runs, and answers that break the schema ending the run
/// with a clear reason after the planner's retries.
@Suite("git conductor run: structured planning over HTTP")
struct StructuredPlanningTests {
    typealias OpenAI = ProviderWireFixtures.OpenAI
    typealias Anthropic = ProviderWireFixtures.Anthropic

    static let plan = #"{"spec": "add.sh adds its arguments", "steps": [{"description": "Use + in add.sh", "files": ["add.sh"]}]}"#

    static func run(_ sandbox: Sandbox) throws -> ProcessResult {
        try sandbox.run(
            Tool.conductor, ["run", "Fix add.sh so that it adds", "--verify", "sh test.sh", "--mode", "streamlined", "--no-progress"],
            environment: ["OPENAI_API_KEY": NetworkRunTests.key, "ANTHROPIC_API_KEY": NetworkRunTests.key]
        )
    }

    static func attempts(_ sandbox: Sandbox) throws -> [[String: Any]] {
        try NetworkRunTests.events(sandbox).filter { $0["kind"] as? String == "attempt" }
    }

    static func openAIProject(_ server: TestHTTPServer) throws -> Sandbox {
        try NetworkRunTests.project([
            ("provider", "openai"), ("model", "gpt-4o"), ("providers.openai.base-url", server.baseURL + "/v1"), ("providers.openai.stream", "false"),
        ])
    }

    @Test("a compatible server refusing json_schema: the plan comes with json_object, the run completes, and the next run starts at json_object")
    func refusalRememberedAcrossRuns() async throws {
        try await TestHTTPServer.with { server in
            let sandbox = try Self.openAIProject(server)
            await server.enqueue(
                .json(OpenAI.error("response_format json_schema is not supported by this server"), status: 400),
                .json(OpenAI.completion(Self.plan)),
                .json(OpenAI.completion(RunCommandTests.edit("-", "+", promise: true)))
            )
            let first = try Self.run(sandbox)
            #expect(first.status == 0, "\(first)")
            let requests = await server.requests
            #expect(requests.count == 3)
            #expect((try requests[0].json()["response_format"] as? [String: Any])?["type"] as? String == "json_schema")
            #expect((try requests[1].json()["response_format"] as? [String: Any])?["type"] as? String == "json_object")
            #expect(try requests[1].json()["max_tokens"] as? Int == 2000, "the plan's output limit")
            #expect(try requests[2].json()["response_format"] == nil, "the build request is free text")
            #expect(try requests[2].json()["max_tokens"] as? Int == 8000, "the build's output limit")
            let planAttempt = try #require(try Self.attempts(sandbox).first)
            #expect(planAttempt["structured"] as? String == "json_object" && planAttempt["finish"] as? String == "stop")
            let memory = try String(contentsOfFile: sandbox.gitDirectory + "/conductor/structured-output.json", encoding: .utf8)
            #expect(memory.contains("json_object"), "\(memory)")

            // The second run asks in the remembered form at once.
            await server.enqueue(.json(OpenAI.completion(Self.plan)), .json(OpenAI.completion(RunCommandTests.edit("-", "+", promise: true))))
            _ = try Self.run(sandbox)
            let later = await server.requests
            #expect(later.count >= 4)
            #expect((try later[3].json()["response_format"] as? [String: Any])?["type"] as? String == "json_object")
        }
    }

    @Test("anthropic: a forced tool call whose input breaks the plan's rules, three times: the run fails naming what was missing")
    func invalidToolArguments() async throws {
        try await TestHTTPServer.with { server in
            let sandbox = try NetworkRunTests.project([
                ("provider", "anthropic"), ("providers.anthropic.base-url", server.baseURL), ("providers.anthropic.stream", "false"),
            ])
            await server.whenIdle(.json(Anthropic.toolUse(input: #"{"spec": "adds"}"#)))
            let result = try Self.run(sandbox)
            #expect(result.status != 0)
            let output = result.stdout + result.stderr
            #expect(output.contains("no valid plan after 3 attempts") && output.contains("steps is missing"), "\(result)")
            let requests = await server.requests
            #expect(requests.count == 3)
            let body = try requests[0].json()
            #expect((body["tool_choice"] as? [String: String]) == ["type": "tool", "name": "plan"])
            #expect(try Self.attempts(sandbox).allSatisfy { $0["structured"] as? String == "tool" })
        }
    }

    @Test("a plan cut off by the output limit, three times: the run fails with a reason, and each attempt says length")
    func truncatedPlan() async throws {
        try await TestHTTPServer.with { server in
            let sandbox = try Self.openAIProject(server)
            await server.whenIdle(.json(OpenAI.completion(#"{"spec": "add.sh adds", "steps": [{"description": "Use + in"#, finishReason: "length")))
            let result = try Self.run(sandbox)
            #expect(result.status != 0)
            #expect((result.stdout + result.stderr).contains("no valid plan after 3 attempts"), "\(result)")
            let attempts = try Self.attempts(sandbox)
            #expect(attempts.count == 3 && attempts.allSatisfy { $0["finish"] as? String == "length" && $0["max_output_tokens"] as? Int == 2000 })
        }
    }

    @Test("a model that ignores the schema and answers in prose: the run fails saying the answer holds no JSON")
    func schemaIgnored() async throws {
        try await TestHTTPServer.with { server in
            let sandbox = try Self.openAIProject(server)
            await server.whenIdle(.json(OpenAI.completion("Sure! First I would look at add.sh, then change the operator.")))
            let result = try Self.run(sandbox)
            #expect(result.status != 0)
            let output = result.stdout + result.stderr
            #expect(output.contains("no valid plan after 3 attempts") && output.contains("holds no JSON"), "\(result)")
            #expect(await server.requests.count == 3)
        }
    }
}
