import ConductorDomain
import Foundation
import Yams

/// Canned answers for tests and the demo, read from a YAML or JSON file (docs/providers.md).
///
/// Answers are given strictly in file order, so a script reads like the conversation it
/// drives; a response may name the purpose it is for, and a request of another purpose is
/// an error rather than a silent mismatch.
public struct ProviderScript: Sendable, Equatable, Decodable {
    public struct Response: Sendable, Equatable, Decodable {
        public let purpose: RequestPurpose?
        public let text: String
        public let tokensIn: Int?
        public let tokensOut: Int?
        public let costUSD: Double?

        enum CodingKeys: String, CodingKey {
            case purpose, text, tokensIn = "tokens_in", tokensOut = "tokens_out", costUSD = "cost_usd"
        }
    }

    public let model: String?
    public let responses: [Response]

    /// Reads a script; `.json` files as JSON, anything else as YAML (a superset of JSON).
    public static func load(from path: String) throws(ProviderError) -> ProviderScript {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .invalidScript(path: path, detail: "cannot read the file")
        }
        do {
            return path.hasSuffix(".json")
                ? try JSONDecoder().decode(ProviderScript.self, from: data)
                : try YAMLDecoder().decode(ProviderScript.self, from: data)
        } catch let error as DecodingError {
            throw .invalidScript(path: path, detail: Self.describe(error))
        } catch {
            throw .invalidScript(path: path, detail: "\(error)")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing key '\(key.stringValue)' at \(path(context).isEmpty ? "top level" : path(context))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(path(context).isEmpty ? "" : path(context) + ": ")\(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}

/// The offline provider: answers from a ``ProviderScript``, deterministically, in order.
public actor ScriptedProvider: Provider {
    public nonisolated let name = "script"
    let script: ProviderScript
    let path: String
    private var next = 0

    /// `answered` skips the responses a resumed run was already given.
    public init(script: ProviderScript, path: String, answered: Int = 0) {
        self.script = script
        self.path = path
        next = answered
    }

    public init(path: String, answered: Int = 0) throws(ProviderError) {
        self.init(script: try ProviderScript.load(from: path), path: path, answered: answered)
    }

    public func complete(_ request: ProviderRequest) async throws(ProviderError) -> ProviderResponse {
        guard next < script.responses.count else { throw .scriptExhausted(path: path, answered: next) }
        let response = script.responses[next]
        next += 1
        if let purpose = response.purpose, purpose != request.purpose {
            throw .unexpectedPurpose(path: path, response: next, expected: purpose, got: request.purpose)
        }
        let prompt = ([request.system] + request.messages.map(\.content)).joined(separator: "\n")
        let usage = TokenUsage(
            model: script.model ?? "scripted",
            tokensIn: response.tokensIn ?? TokenUsage.estimateTokens(in: prompt),
            tokensOut: response.tokensOut ?? TokenUsage.estimateTokens(in: response.text),
            estimated: response.tokensIn == nil || response.tokensOut == nil,
            costUSD: response.costUSD
        )
        return ProviderResponse(text: response.text, usage: usage, finishReason: "stop")
    }

    /// How many responses have been used.
    public var answered: Int { next }
}
