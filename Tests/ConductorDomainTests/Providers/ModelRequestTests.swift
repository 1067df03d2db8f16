import ConductorDomain
import Foundation
import Testing

/// The pure parts of talking to models well: the plan's schema, model capabilities, finish
/// reasons, JSON values, the cache boundary, and their configuration keys.
@Suite("Plan schema, model capabilities, finish reasons")
struct ModelRequestTests {
    static func matches(_ path: String) throws -> Bool {
        let regex = try NSRegularExpression(pattern: PlanSchema.pathPattern)
        return regex.firstMatch(in: path, range: NSRange(path.startIndex..., in: path)) != nil
    }

    @Test("the path pattern takes repository-relative paths and refuses what PathPolicy refuses for its shape")
    func pathPattern() throws {
        for path in ["add.sh", "Sources/App/main.swift", ".github/workflows/ci.yml", "a/..b/c", "..hidden", "x.y.z"] {
            #expect(try Self.matches(path), "\(path)")
        }
        for path in ["/etc/passwd", "../x", "a/../b", "a/..", "./a", "a/./b", "a//b", "a/", "", ".", "..", "C:x", #"a\b"#, "a*b"] {
            #expect(try !Self.matches(path), "\(path)")
            #expect(PathPolicy().violation(for: path) != nil, "PathPolicy also refuses \(path)")
        }
    }

    @Test("the plan schema states the rules: 1 to maxSteps steps, files bounded, every field required, nothing else")
    func planSchema() {
        let schema = PlanSchema.schema(for: PlanRules(maxSteps: 5, maxFilesPerStep: 7)).schema
        #expect(schema["required"] == ["spec", "steps"] && schema["additionalProperties"] == false)
        let steps = schema["properties"]?["steps"]
        #expect(steps?["minItems"] == 1 && steps?["maxItems"] == 5)
        let step = steps?["items"]
        #expect(step?["required"] == ["description", "files"] && step?["additionalProperties"] == false)
        #expect(step?["properties"]?["files"]?["maxItems"] == 7)
        #expect(step?["properties"]?["files"]?["items"]?["pattern"] == .string(PlanSchema.pathPattern))
        // Integers stay integers on the wire: strict servers refuse "maxItems": 5.0.
        #expect(schema.serialized.contains(#""maxItems":5"#) && !schema.serialized.contains("5.0"))
    }

    @Test("JSON values: serialised with sorted keys and escapes, and decoded back")
    func jsonValues() throws {
        let value: JSONValue = ["b": [1, true, .null], "a": "line\n\"q\"\u{1}", "n": .number(1.5)]
        #expect(value.serialized == #"{"a":"line\n\"q\"\u0001","b":[1,true,null],"n":1.5}"#)
        #expect(try JSONDecoder().decode(JSONValue.self, from: Data(value.serialized.utf8)) == value)
    }

    @Test("capabilities by model family; dated snapshots and provider prefixes too; other names are chat models", arguments: [
        ("o1", ModelCapabilities.reasoning), ("o1-2024-12-17", .reasoning), ("o1-mini", .earlyReasoning), ("o1-preview", .earlyReasoning),
        ("o3", .reasoning), ("o3-mini", .reasoning), ("o3-pro", .reasoning), ("o4-mini", .reasoning), ("openai/o4-mini-2025-04-16", .reasoning),
        ("gpt-5", .reasoning), ("gpt-5-mini", .reasoning), ("GPT-5.1", .reasoning), ("gpt-5-chat-latest", .standard),
        ("gpt-4o", .standard), ("gpt-4.1-mini", .standard), ("o10", .standard), ("claude-sonnet-4-5", .standard), ("qwen2.5-coder", .standard),
    ])
    func capabilities(model: String, expected: ModelCapabilities) {
        #expect(ModelCapabilities.of(model: model) == expected)
    }

    @Test("a profile's override wins over the table")
    func capabilityOverride() {
        #expect(ModelCapabilities.of(model: "my-thinker", override: .reasoning) == .reasoning)
        #expect(ModelCapabilities.of(model: "o3", override: .standard) == .standard)
        #expect(ModelCapabilities.of(model: "o3", override: nil) == .reasoning)
    }

    @Test("finish reasons normalised across APIs; only a cut-off is truncated", arguments: [
        ("stop", "stop"), ("end_turn", "stop"), ("stop_sequence", "stop"), ("length", "length"), ("max_tokens", "length"),
        ("tool_use", "tool"), ("tool_calls", "tool"), ("content_filter", "content_filter"), ("pause_turn", "pause_turn"),
    ])
    func finishReasons(raw: String, normalised: String) {
        let response = ProviderResponse(text: "", usage: TokenUsage(model: nil, tokensIn: 0, tokensOut: 0, costUSD: nil), finishReason: raw)
        #expect(response.finishReason == normalised)
        #expect(response.isTruncated == (normalised == "length"))
    }

    @Test("the cache boundary splits once and is stripped from what a model reads")
    func cacheBoundary() {
        let text = PromptCache.join(stable: "A\n\n", rest: "B")
        #expect(PromptCache.split(text)?.stable == "A\n\n" && PromptCache.split(text)?.rest == "B")
        #expect(PromptCache.split("no boundary") == nil)
        #expect(PromptCache.stripped(text) == "A\n\nB")
        let request = ProviderRequest(purpose: .build, system: "S", messages: [ChatMessage(role: .user, content: text)], temperature: 0)
        #expect(request.promptText == "S\nA\n\nB")
    }

    @Test("output limits per kind; a request's own limit wins; a profile's replaces every kind")
    func outputLimits() {
        let limits = OutputTokenLimits()
        #expect(RequestPurpose.allCases.map(limits.tokens(for:)) == [2000, 2000, 8000, 8000])
        let own = ProviderRequest(purpose: .build, system: "", messages: [], temperature: 0, maxOutputTokens: 99)
        #expect(limits.limit(for: own) == 99)
        let profile = ProviderProfile(name: "local", kind: .openai, maxOutputTokens: 1024)
        #expect(profile.outputLimits(limits) == OutputTokenLimits(all: 1024))
        #expect(ProviderProfile(name: "openai", kind: .openai).outputLimits(limits) == limits)
    }

    @Test("reasoning tokens and the attempt's new fields are written only when present")
    func additiveEncoding() throws {
        let plain = String(decoding: try JSONEncoder().encode(TokenUsage(model: "m", tokensIn: 1, tokensOut: 2, costUSD: nil)), as: UTF8.self)
        #expect(!plain.contains("reasoning_tokens"))
        let usage = TokenUsage(model: "m", tokensIn: 1, tokensOut: 2, reasoningTokens: 1, costUSD: nil)
        #expect(try JSONDecoder().decode(TokenUsage.self, from: JSONEncoder().encode(usage)) == usage)
        let attempt = ProviderAttempt(provider: "p", model: nil, attempt: 1, outcome: .ok, latencyMilliseconds: 3)
        let text = String(decoding: try JSONEncoder().encode(attempt), as: UTF8.self)
        #expect(!text.contains("structured") && !text.contains("finish") && !text.contains("max_output_tokens"))
        let later = #"{"provider":"p","attempt":1,"outcome":"ok","latency_ms":3,"structured":"grammar"}"#
        #expect(try JSONDecoder().decode(ProviderAttempt.self, from: Data(later.utf8)).structured == nil, "a form from a newer version reads as unknown")
    }
}

@Suite("Configuration of output limits and model capabilities")
struct ModelConfigurationTests {
    @Test("max_output_tokens.* default to 2000/2000/8000/8000; profiles take max_output_tokens, capabilities and reasoning_effort")
    func keys() throws {
        #expect(try #require(resolve().configuration).outputLimits == OutputTokenLimits())
        let file = fileLayer(.m([
            "provider": .s("openai"),
            "max_output_tokens": .m(["plan": .s("1500"), "repair": .s("6000")]),
            "providers": .m(["openai": .m([
                "model": .s("my-thinker"), "max_output_tokens": .s("4096"), "capabilities": .s("reasoning"), "reasoning_effort": .s("high"),
            ])]),
        ]))
        let configuration = try #require(resolve(file).configuration)
        #expect(configuration.outputLimits == OutputTokenLimits(spec: 2000, plan: 1500, build: 8000, repair: 6000))
        let profile = try #require(configuration.primaryProvider)
        #expect(profile.maxOutputTokens == 4096 && profile.capabilities == .reasoning && profile.reasoningEffort == .high)
        #expect(profile.modelCapabilities == .reasoning)
    }

    static let invalid: [(Tree, String)] = [
        (Tree.m(["max_output_tokens": .m(["build": .s("0")])]), "max_output_tokens.build"),
        (.m(["providers": .m(["openai": .m(["capabilities": .s("thinking")])])]), "providers.openai.capabilities"),
        (.m(["providers": .m(["openai": .m(["reasoning_effort": .s("max")])])]), "providers.openai.reasoning_effort"),
        (.m(["providers": .m(["anthropic": .m(["reasoning_effort": .s("low")])])]), "providers.anthropic.reasoning_effort"),
        (.m(["providers": .m(["command": .m(["max_output_tokens": .s("100")])])]), "providers.command.max_output_tokens"),
    ]

    @Test("bad values name the key", arguments: invalid.indices)
    func problems(index: Int) {
        let (tree, key) = Self.invalid[index]
        let report = resolve(fileLayer(tree))
        #expect(report.configuration == nil)
        #expect(report.messages.contains { $0.contains(key + ":") }, "\(report.messages)")
    }
}
