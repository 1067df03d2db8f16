import ConductorDomain
import ConductorKit
import ConductorTesting
import Foundation
import Testing

@Suite("Scripted provider")
struct ScriptedProviderTests {
    static func request(_ purpose: RequestPurpose, _ text: String = "Fix the failing test") -> ProviderRequest {
        ProviderRequest(purpose: purpose, system: "You edit code.", messages: [ChatMessage(role: .user, content: text)], temperature: 0.2)
    }

    static func write(_ contents: String, named name: String, in directory: TemporaryDirectory) throws -> String {
        let path = directory.appending(name)
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let yaml = """
        # answers in order
        model: demo-model
        responses:
          - purpose: plan
            text: '{"steps": []}'
            tokens_in: 120
            tokens_out: 30
            cost_usd: 0.001
          - text: |
              src/add.swift
              ```swift
              func add(_ a: Int, _ b: Int) -> Int { a + b }
              ```
        """

    @Test("YAML responses come back in order, with the script's counts or marked estimates")
    func yamlInOrder() async throws {
        let directory = try TemporaryDirectory(prefix: "conductor-script")
        let provider = try ScriptedProvider(path: Self.write(Self.yaml, named: "script.yml", in: directory))
        let plan = try await provider.complete(Self.request(.plan))
        #expect(plan.text == #"{"steps": []}"#)
        #expect(plan.usage == TokenUsage(model: "demo-model", tokensIn: 120, tokensOut: 30, costUSD: 0.001))
        let build = try await provider.complete(Self.request(.build))
        #expect(build.text.hasPrefix("src/add.swift\n```swift\n"))
        #expect(build.usage.estimated)
        #expect(build.usage.costUSD == nil, "an unknown price stays unknown, never 0")
        #expect(build.usage.tokensOut == TokenUsage.estimateTokens(in: build.text))
        #expect(build.usage.tokensIn > 0)
        await #expect(throws: ProviderError.scriptExhausted(path: directory.appending("script.yml"), answered: 2)) {
            _ = try await provider.complete(Self.request(.repair))
        }
    }

    @Test("JSON scripts work the same")
    func json() async throws {
        let directory = try TemporaryDirectory(prefix: "conductor-script")
        let path = try Self.write(#"{"responses": [{"text": "<promise>DONE</promise>", "tokens_in": 1, "tokens_out": 2}]}"#, named: "s.json", in: directory)
        let response = try await ScriptedProvider(path: path).complete(Self.request(.build))
        #expect(response.text == "<promise>DONE</promise>")
        #expect(response.usage.model == "scripted" && !response.usage.estimated && response.usage.total == 3)
    }

    @Test("a response meant for another purpose is an error naming the file and the response")
    func purposeMismatch() async throws {
        let directory = try TemporaryDirectory(prefix: "conductor-script")
        let path = try Self.write(Self.yaml, named: "script.yaml", in: directory)
        let provider = try ScriptedProvider(path: path)
        await #expect(throws: ProviderError.unexpectedPurpose(path: path, response: 1, expected: .plan, got: .build)) {
            _ = try await provider.complete(Self.request(.build))
        }
    }

    static let badScripts: [(name: String, contents: String, mentions: [String])] = [
        ("missing.yml", "", ["missing.yml"]),
        ("no-responses.yml", "model: x\n", ["no-responses.yml", "responses"]),
        ("no-text.yml", "responses:\n  - purpose: build\n", ["no-text.yml", "text", "responses[0]"]),
        ("bad-purpose.yml", "responses:\n  - purpose: deploy\n    text: x\n", ["bad-purpose.yml", "responses[0].purpose"]),
        ("bad-count.json", #"{"responses": [{"text": "x", "tokens_in": "many"}]}"#, ["bad-count.json", "tokens_in"]),
        ("not-json.json", "{", ["not-json.json"]),
    ]

    @Test("a bad script is refused with a message naming the file and the key", arguments: badScripts.indices)
    func badScript(index: Int) throws {
        let row = Self.badScripts[index]
        let directory = try TemporaryDirectory(prefix: "conductor-script")
        let path = row.name == "missing.yml" ? directory.appending(row.name) : try Self.write(row.contents, named: row.name, in: directory)
        do {
            _ = try ProviderScript.load(from: path)
            Issue.record("\(row.name) was accepted")
        } catch {
            for word in row.mentions { #expect(error.description.contains(word), "\(error.description) should mention \(word)") }
        }
    }
}
