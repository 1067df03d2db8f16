import ConductorDomain
@testable import ConductorKit
import ConductorTesting
import Foundation
import Testing

/// Plan requests carry the plan's schema in each API's own form; a server that refuses a
/// form gets the next one, and the form that worked is remembered on disk.
@Suite("Structured output over HTTP")
struct StructuredOutputTests {
    typealias Fixture = ProviderFixtures

    static let schema = PlanSchema.schema(for: PlanRules())
    static let planRequest = ProviderRequest(
        purpose: .plan, system: "You plan software changes.", messages: [ChatMessage(role: .user, content: "# Task\n\nFix add()")],
        temperature: 0.2, responseSchema: schema
    )
    static let plan = #"{"spec": "add adds", "steps": [{"description": "fix add", "files": ["add.sh"]}]}"#

    /// A memory file in a fresh temporary directory.
    static func memory() -> StructuredOutputMemory {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("structured-\(UUID().uuidString)").path
        return StructuredOutputMemory(path: directory + "/conductor/structured-output.json")
    }

    static func openAI(_ server: TestHTTPServer, memory: StructuredOutputMemory? = nil, model: String = "gpt-4o", name: String = "openai") throws -> OpenAIProvider {
        try OpenAIProvider(
            settings: OpenAISettings(name: name, baseURL: server.baseURL + "/v1", model: model, apiKey: Fixture.key, stream: false, timeouts: Fixture.quick),
            memory: memory
        )
    }

    /// The schema as the server received it, decoded back.
    static func sentSchema(_ value: Any?) throws -> JSONValue {
        let data = try JSONSerialization.data(withJSONObject: try #require(value))
        return try JSONDecoder().decode(JSONValue.self, from: data)
    }

    @Test("openai: response_format json_schema, strict, named, with the plan schema; the answer records the form")
    func openAIJSONSchema() async throws {
        try await TestHTTPServer.with { server in
            await server.enqueue(.json(ProviderWireFixtures.OpenAI.completion(Self.plan)))
            let response = try await Self.openAI(server).complete(Self.planRequest)
            #expect(response.text == Self.plan && response.structuredOutput == .jsonSchema)
            let body = try #require(await server.requests.first).json()
            let format = try #require(body["response_format"] as? [String: Any])
            #expect(format["type"] as? String == "json_schema")
            let spec = try #require(format["json_schema"] as? [String: Any])
            #expect(spec["name"] as? String == "plan" && spec["strict"] as? Bool == true)
            #expect(try Self.sentSchema(spec["schema"]) == Self.schema.schema)
        }
    }

    @Test("a build request carries no response_format, and records no form")
    func freeText() async throws {
        try await TestHTTPServer.with { server in
            await server.enqueue(.json(ProviderWireFixtures.OpenAI.completion("ok")))
            let response = try await Self.openAI(server).complete(Fixture.request)
            #expect(response.structuredOutput == nil)
            #expect(try #require(await server.requests.first).json()["response_format"] == nil)
        }
    }

    @Test("a compatible server refusing json_schema gets json_object with the schema, then prompt-only; the form that worked is remembered and sent first next time")
    func refusalLadderRemembered() async throws {
        try await TestHTTPServer.with { server in
            let memory = Self.memory()
            await server.enqueue(
                .json(ProviderWireFixtures.OpenAI.error("response_format type json_schema is not supported"), status: 400),
                .json(ProviderWireFixtures.OpenAI.completion(Self.plan))
            )
            let first = try await Self.openAI(server, memory: memory).complete(Self.planRequest)
            #expect(first.text == Self.plan && first.structuredOutput == .jsonObject)
            let requests = await server.requests
            #expect(requests.count == 2)
            let second = try #require(try requests.last?.json()["response_format"] as? [String: Any])
            #expect(second["type"] as? String == "json_object" && second["json_schema"] == nil)
            #expect(try Self.sentSchema(second["schema"]) == Self.schema.schema)

            let file = try String(contentsOfFile: memory.path, encoding: .utf8)
            #expect(file.contains(#""openai \#(server.baseURL)/v1" : "json_object""#), "\(file)")

            // A later run (a fresh memory reading the same file) starts at json_object: one call.
            await server.enqueue(.json(ProviderWireFixtures.OpenAI.completion(Self.plan)))
            let again = try await Self.openAI(server, memory: StructuredOutputMemory(path: memory.path)).complete(Self.planRequest)
            #expect(again.structuredOutput == .jsonObject)
            let all = await server.requests
            #expect(all.count == 3)
            #expect((try all[2].json()["response_format"] as? [String: Any])?["type"] as? String == "json_object")

            // A server that refuses json_object as well ends at prompt-only: no response_format.
            let other = Self.memory()
            await server.enqueue(
                .json(ProviderWireFixtures.OpenAI.error("json_schema not supported"), status: 400),
                .json(#"{"error": "Unsupported response_format type: json_object"}"#, status: 422),
                .json(ProviderWireFixtures.OpenAI.completion(Self.plan))
            )
            let plain = try await Self.openAI(server, memory: other).complete(Self.planRequest)
            #expect(plain.structuredOutput == .prompt)
            #expect(try await server.requests.last?.json()["response_format"] == nil)
            #expect(other.form(profile: "openai", endpoint: server.baseURL + "/v1") == .prompt)
        }
    }

    @Test("a 400 about something else is not a refusal of the form: it fails at once, after one call")
    func otherBadRequest() async throws {
        try await TestHTTPServer.with { server in
            let memory = Self.memory()
            await server.enqueue(.json(ProviderWireFixtures.OpenAI.error("This model's maximum context length is 8192 tokens"), status: 400))
            let error = await Fixture.failure(of: try Self.openAI(server, memory: memory), Self.planRequest)
            #expect(error?.description.contains("maximum context length") == true, "\(String(describing: error))")
            #expect(await server.requests.count == 1)
            #expect(!FileManager.default.fileExists(atPath: memory.path), "nothing worked, so nothing is remembered")
        }
    }

    @Test("every form refused: the last refusal is the error, with the API's words")
    func everyFormRefused() async throws {
        try await TestHTTPServer.with { server in
            await server.whenIdle(.json(ProviderWireFixtures.OpenAI.error("Invalid schema for response_format 'plan': pattern is not supported"), status: 400))
            // The prompt-only call has no response_format, yet this server still refuses: its own reason.
            let error = await Fixture.failure(of: try Self.openAI(server, memory: Self.memory()), Self.planRequest)
            #expect(await server.requests.count == 3)
            guard case let .http(_, status, detail, _, _)? = error else { Issue.record("expected an HTTP error, got \(String(describing: error))"); return }
            #expect(status == 400 && detail.contains("pattern is not supported"))
        }
    }

    @Test("a memory file that does not decode is ignored, and rewritten after the next success")
    func corruptMemory() async throws {
        try await TestHTTPServer.with { server in
            let memory = Self.memory()
            try FileManager.default.createDirectory(atPath: (memory.path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data("{not json".utf8).write(to: URL(fileURLWithPath: memory.path))
            await server.enqueue(
                .json(ProviderWireFixtures.OpenAI.error("'response_format.type' json_schema is unsupported"), status: 400),
                .json(ProviderWireFixtures.OpenAI.completion(Self.plan))
            )
            let response = try await Self.openAI(server, memory: memory).complete(Self.planRequest)
            #expect(response.structuredOutput == .jsonObject)
            #expect(StructuredOutputMemory(path: memory.path).form(profile: "openai", endpoint: server.baseURL + "/v1") == .jsonObject)
        }
    }

    @Test("azure: the same response_format json_schema")
    func azure() async throws {
        try await TestHTTPServer.with { server in
            await server.enqueue(.json(ProviderWireFixtures.OpenAI.completion(Self.plan)))
            let provider = try AzureOpenAIProvider(settings: AzureOpenAISettings(
                endpoint: server.baseURL, deployment: "gpt-4o-prod", apiKey: Fixture.key, stream: false, timeouts: Fixture.quick
            ))
            let response = try await provider.complete(Self.planRequest)
            #expect(response.structuredOutput == .jsonSchema)
            let format = try #require(try await server.requests.first?.json()["response_format"] as? [String: Any])
            #expect(format["type"] as? String == "json_schema")
            #expect(try Self.sentSchema((format["json_schema"] as? [String: Any])?["schema"]) == Self.schema.schema)
        }
    }

    @Test("anthropic: one tool with the schema as input_schema, forced by tool_choice; the tool call's input is the answer")
    func anthropicTool() async throws {
        try await TestHTTPServer.with { server in
            await server.enqueue(.json(ProviderWireFixtures.Anthropic.toolUse(input: Self.plan)))
            let response = try await Fixture.anthropic(server).complete(Self.planRequest)
            #expect(response.structuredOutput == .tool && response.finishReason == "tool" && !response.isTruncated)
            let decoded = try JSONDecoder().decode(Plan.self, from: Data(response.text.utf8))
            #expect(decoded == Plan(spec: "add adds", steps: [Plan.Step(description: "fix add", files: ["add.sh"])]))
            let body = try #require(await server.requests.first).json()
            let tools = try #require(body["tools"] as? [[String: Any]])
            #expect(tools.count == 1 && tools[0]["name"] as? String == "plan" && tools[0]["description"] as? String == Self.schema.description)
            #expect(try Self.sentSchema(tools[0]["input_schema"]) == Self.schema.schema)
            #expect((body["tool_choice"] as? [String: String]) == ["type": "tool", "name": "plan"])
        }
    }

    @Test("anthropic streaming: the tool call's input arrives in input_json_delta pieces and is the answer")
    func anthropicToolStream() async throws {
        try await TestHTTPServer.with { server in
            await server.enqueue(.events(ProviderWireFixtures.Anthropic.toolStreamEvents(partials: [#"{"spec": "add adds", "st"#, #"eps": []}"#])))
            let response = try await Fixture.anthropic(server, stream: true).complete(Self.planRequest)
            #expect(response.text == #"{"spec": "add adds", "steps": []}"#)
            #expect(response.structuredOutput == .tool && response.finishReason == "tool")
        }
    }

    @Test("ollama: the schema as format")
    func ollamaFormat() async throws {
        try await TestHTTPServer.with { server in
            await server.enqueue(.json(ProviderWireFixtures.Ollama.chat(Self.plan)))
            let response = try await Fixture.ollama(server).complete(Self.planRequest)
            #expect(response.structuredOutput == .format && response.text == Self.plan)
            #expect(try Self.sentSchema(try await server.requests.first?.json()["format"]) == Self.schema.schema)
        }
    }

    @Test("ollama too old for a schema format falls back to prompt-only")
    func ollamaRefusal() async throws {
        try await TestHTTPServer.with { server in
            await server.enqueue(
                .json(ProviderWireFixtures.Ollama.error("invalid format: expected \"json\" or a JSON schema"), status: 400),
                .json(ProviderWireFixtures.Ollama.chat(Self.plan))
            )
            let response = try await Fixture.ollama(server).complete(Self.planRequest)
            #expect(response.structuredOutput == .prompt)
            #expect(try await server.requests.last?.json()["format"] == nil)
        }
    }

    @Test("the attempt event records the form, the finish and the limit")
    func attemptRecordsForm() async throws {
        try await TestHTTPServer.with { server in
            await server.enqueue(.json(ProviderWireFixtures.OpenAI.completion(Self.plan)))
            let attempts = Recorder<ProviderAttempt>()
            let provider = ResilientProvider(try Self.openAI(server), observer: { attempts.append($0) })
            _ = try await provider.complete(Self.planRequest)
            let attempt = try #require(attempts.all.first)
            #expect(attempt.structured == .jsonSchema && attempt.finishReason == "stop" && attempt.maxOutputTokens == OutputTokenLimits.defaultPlan)
            let encoded = String(decoding: try JSONEncoder().encode(attempt), as: UTF8.self)
            #expect(encoded.contains(#""structured":"json_schema""#) && encoded.contains(#""finish":"stop""#), "\(encoded)")
            #expect(try JSONDecoder().decode(ProviderAttempt.self, from: Data(encoded.utf8)) == attempt)
        }
    }
}
