import ConductorDomain
import Foundation

/// Reads what a command-line agent printed on stdout into an answer: its text, its usage (the
/// CLI's own counts, or an estimate marked as such), the cost it reports, and its session id.
///
/// Parsing is tolerant, because these CLIs change their output between versions: unknown
/// fields are ignored, numbers may be integers or floats, a missing count is estimated and the
/// usage marked `estimated`, and a JSON object preceded or followed by stray lines is still
/// found. Only output that holds no answer at all is ``ProviderError/malformedResponse(provider:detail:)``;
/// an answer the CLI itself marks as an error is ``ProviderError/commandFailed(provider:detail:)``.
public struct CommandOutput: Sendable {
    /// The provider's name, for errors.
    public let provider: String
    public let format: CommandOutputFormat
    /// The prompt that was sent, to estimate input tokens when the CLI does not count them.
    public let prompt: String
    /// The model the configuration asked for, when the output does not name one.
    public let configuredModel: String?

    public init(provider: String, format: CommandOutputFormat, prompt: String, configuredModel: String? = nil) {
        self.provider = provider
        self.format = format
        self.prompt = prompt
        self.configuredModel = configuredModel
    }

    /// The answer in `stdout`.
    public func parse(_ stdout: [UInt8]) throws(ProviderError) -> ProviderResponse {
        switch format {
        case .claudeJSON: try claude(stdout)
        case .codexJSONLines: try codex(stdout)
        case .geminiJSON: try gemini(stdout)
        case .text: text(stdout)
        }
    }

    /// The error message the CLI put on stdout, if any: for a failed run, it says more than
    /// the exit status.
    public func errorMessage(in stdout: [UInt8]) -> String? {
        switch format {
        case .claudeJSON:
            guard let result = Self.claudeResult(in: stdout) else { return nil }
            return Self.claudeError(result)
        case .codexJSONLines:
            return Self.jsonLines(stdout).compactMap(Self.codexError).last
        case .geminiJSON:
            return Self.object(in: stdout).flatMap(Self.geminiError)
        case .text:
            return nil
        }
    }

    // MARK: claude -p --output-format json

    func claude(_ stdout: [UInt8]) throws(ProviderError) -> ProviderResponse {
        guard let result = Self.claudeResult(in: stdout) else {
            throw .malformedResponse(provider: provider, detail: Self.notFound("a JSON result object", in: stdout))
        }
        if let error = Self.claudeError(result) { throw .commandFailed(provider: provider, detail: error) }
        guard let text = result["result"] as? String else {
            throw .malformedResponse(provider: provider, detail: "the result object has no \"result\" text")
        }
        let counts = result["usage"] as? [String: Any]
        let cacheRead = Self.int(counts?["cache_read_input_tokens"])
        let cacheWrite = Self.int(counts?["cache_creation_input_tokens"])
        // Anthropic counts cache reads and writes apart from input_tokens; ours include them.
        let input = Self.int(counts?["input_tokens"]).map { $0 + (cacheRead ?? 0) + (cacheWrite ?? 0) }
        let model = (result["modelUsage"] as? [String: Any]).flatMap { models in
            models.max { Self.claudeWeight($0.value) < Self.claudeWeight($1.value) }?.key
        }
        return ProviderResponse(
            text: text,
            usage: usage(model: model, tokensIn: input, tokensOut: Self.int(counts?["output_tokens"]), cached: cacheRead, text: text,
                         cost: Self.double(result["total_cost_usd"]) ?? Self.double(result["cost_usd"])),
            finishReason: result["subtype"] as? String ?? result["stop_reason"] as? String,
            sessionID: result["session_id"] as? String
        )
    }

    /// The result object: the whole output, the last `result` element of an array (`--verbose`
    /// prints every message), or the last `result` line of `stream-json`.
    static func claudeResult(in stdout: [UInt8]) -> [String: Any]? {
        if let value = json(stdout) {
            if let object = value as? [String: Any] { return object }
            if let array = value as? [Any] {
                return array.compactMap { $0 as? [String: Any] }.last { $0["type"] as? String == "result" }
            }
        }
        if let result = jsonLines(stdout).last(where: { $0["type"] as? String == "result" }) { return result }
        return object(in: stdout)
    }

    static func claudeError(_ result: [String: Any]) -> String? {
        let subtype = result["subtype"] as? String
        guard result["is_error"] as? Bool == true || subtype?.hasPrefix("error") == true else { return nil }
        if let errors = result["errors"] as? [String], !errors.isEmpty { return errors.joined(separator: "; ") }
        if let text = result["result"] as? String, !text.isEmpty { return text }
        return "the CLI reported an error (\(subtype ?? "is_error"))"
    }

    /// Which of several models did the call's work: the one that wrote the most.
    static func claudeWeight(_ value: Any) -> Int {
        let usage = value as? [String: Any]
        return int(usage?["outputTokens"]) ?? int(usage?["output_tokens"]) ?? 0
    }

    // MARK: codex exec --json

    func codex(_ stdout: [UInt8]) throws(ProviderError) -> ProviderResponse {
        let events = Self.jsonLines(stdout)
        guard !events.isEmpty else {
            throw .malformedResponse(provider: provider, detail: Self.notFound("JSON Lines events", in: stdout))
        }
        var text: String?
        var session: String?
        var model: String?
        var turns: (input: Int, cached: Int, output: Int)?
        var cumulative: [String: Any]?
        var failure: String?
        for event in events {
            // Current versions put the kind in "type"; older ones wrapped events in "msg".
            let body = event["msg"] as? [String: Any] ?? event
            switch body["type"] as? String {
            case "thread.started":
                session = body["thread_id"] as? String ?? session
            case "session_configured":
                session = body["session_id"] as? String ?? session
                model = body["model"] as? String ?? model
            case "item.completed":
                let item = body["item"] as? [String: Any]
                let kind = item?["type"] as? String ?? item?["item_type"] as? String
                if kind == "agent_message" || kind == "assistant_message", let message = item?["text"] as? String {
                    text = message
                }
            case "agent_message":
                text = body["message"] as? String ?? text
            case "task_complete":
                text = body["last_agent_message"] as? String ?? text
            case "turn.completed":
                if let usage = body["usage"] as? [String: Any] {
                    var sum = turns ?? (0, 0, 0)
                    sum.input += Self.int(usage["input_tokens"]) ?? 0
                    sum.cached += Self.int(usage["cached_input_tokens"]) ?? 0
                    sum.output += Self.int(usage["output_tokens"]) ?? 0
                    turns = sum
                }
            case "token_count":
                // Older versions: running totals, either flat or under info.total_token_usage.
                let info = body["info"] as? [String: Any]
                cumulative = info?["total_token_usage"] as? [String: Any] ?? (body["input_tokens"] != nil ? body : cumulative)
            case "turn.failed", "error":
                failure = Self.codexError(body) ?? failure
            default:
                continue
            }
        }
        // A failed turn did not finish, whatever it said before failing.
        if let failure { throw .commandFailed(provider: provider, detail: failure) }
        guard let text else {
            throw .malformedResponse(provider: provider, detail: "no agent message among \(events.count) events")
        }
        let counts = turns.map { (input: Optional($0.input), cached: Optional($0.cached), output: Optional($0.output)) }
            ?? (input: Self.int(cumulative?["input_tokens"]), cached: Self.int(cumulative?["cached_input_tokens"]), output: Self.int(cumulative?["output_tokens"]))
        return ProviderResponse(
            text: text,
            usage: usage(model: model, tokensIn: counts.input, tokensOut: counts.output, cached: counts.cached, text: text, cost: nil),
            finishReason: "stop",
            sessionID: session
        )
    }

    static func codexError(_ event: [String: Any]) -> String? {
        let body = event["msg"] as? [String: Any] ?? event
        switch body["type"] as? String {
        case "turn.failed":
            return (body["error"] as? [String: Any])?["message"] as? String ?? "the turn failed"
        case "error":
            return body["message"] as? String ?? (body["error"] as? [String: Any])?["message"] as? String
        default:
            return nil
        }
    }

    // MARK: gemini --output-format json

    func gemini(_ stdout: [UInt8]) throws(ProviderError) -> ProviderResponse {
        guard let object = Self.object(in: stdout) else {
            throw .malformedResponse(provider: provider, detail: Self.notFound("a JSON object", in: stdout))
        }
        if let error = Self.geminiError(object) { throw .commandFailed(provider: provider, detail: error) }
        guard let text = object["response"] as? String else {
            throw .malformedResponse(provider: provider, detail: "the JSON object has no \"response\" text")
        }
        let stats = object["stats"] as? [String: Any]
        var input: Int?
        var output: Int?
        var cached: Int?
        var model: String?
        if let models = stats?["models"] as? [String: Any], !models.isEmpty {
            var heaviest = -1
            for (name, value) in models.sorted(by: { $0.key < $1.key }) {
                let tokens = (value as? [String: Any])?["tokens"] as? [String: Any]
                let prompt = Self.int(tokens?["prompt"])
                // Thinking tokens are billed as output, and the CLI counts them apart.
                let written = Self.int(tokens?["candidates"]).map { $0 + (Self.int(tokens?["thoughts"]) ?? 0) }
                input = Self.sum(input, prompt)
                output = Self.sum(output, written)
                cached = Self.sum(cached, Self.int(tokens?["cached"]))
                let weight = (prompt ?? 0) + (written ?? 0)
                if weight > heaviest { (heaviest, model) = (weight, name) }
            }
        } else if let stats {
            input = Self.int(stats["inputTokens"]) ?? Self.int(stats["input_tokens"])
            output = Self.int(stats["outputTokens"]) ?? Self.int(stats["output_tokens"])
            cached = Self.int(stats["cached"])
        }
        return ProviderResponse(
            text: text, usage: usage(model: model, tokensIn: input, tokensOut: output, cached: cached, text: text, cost: nil),
            finishReason: "stop", sessionID: object["session_id"] as? String ?? object["sessionId"] as? String
        )
    }

    static func geminiError(_ object: [String: Any]) -> String? {
        guard let error = object["error"], !(error is NSNull) else { return nil }
        if let error = error as? [String: Any] {
            let message = error["message"] as? String ?? "the CLI reported an error"
            return (error["type"] as? String).map { "\($0): \(message)" } ?? message
        }
        return "\(error)"
    }

    // MARK: Plain text

    func text(_ stdout: [UInt8]) -> ProviderResponse {
        var text = String(decoding: stdout, as: UTF8.self)
        while text.hasSuffix("\n") || text.hasSuffix("\r") { text.removeLast() }
        return ProviderResponse(
            text: text, usage: usage(model: nil, tokensIn: nil, tokensOut: nil, cached: nil, text: text, cost: nil), finishReason: "stop"
        )
    }

    // MARK: Usage

    /// Usage from the counts the CLI gave; what it left out is estimated, and then the whole
    /// usage says so.
    func usage(model: String?, tokensIn: Int?, tokensOut: Int?, cached: Int?, text: String, cost: Double?) -> TokenUsage {
        TokenUsage(
            model: model ?? configuredModel,
            tokensIn: tokensIn ?? TokenUsage.estimateTokens(in: prompt),
            tokensOut: tokensOut ?? TokenUsage.estimateTokens(in: text),
            cachedTokens: cached,
            estimated: tokensIn == nil || tokensOut == nil,
            costUSD: cost
        )
    }

    // MARK: JSON helpers

    /// The whole output as JSON, or nil.
    static func json(_ bytes: [UInt8]) -> Any? {
        guard !bytes.isEmpty else { return nil }
        return try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
    }

    /// The output's JSON object: the whole output, or the span from its first `{` to its last
    /// `}` when a CLI printed a warning line around it.
    static func object(in bytes: [UInt8]) -> [String: Any]? {
        if let object = json(bytes) as? [String: Any] { return object }
        guard let open = bytes.firstIndex(of: UInt8(ascii: "{")), let close = bytes.lastIndex(of: UInt8(ascii: "}")), open < close else {
            return nil
        }
        return json(Array(bytes[open...close])) as? [String: Any]
    }

    /// Every line that is a JSON object; other lines (progress, warnings) are skipped.
    static func jsonLines(_ bytes: [UInt8]) -> [[String: Any]] {
        bytes.split(separator: UInt8(ascii: "\n")).compactMap { line in
            let trimmed = line.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") }
            guard trimmed.first == UInt8(ascii: "{") else { return nil }
            return json(Array(trimmed)) as? [String: Any]
        }
    }

    static func int(_ value: Any?) -> Int? {
        switch value {
        case let number as Int: number
        case let number as Double where number.isFinite: Int(number)
        case let number as NSNumber: number.intValue
        default: nil
        }
    }

    static func double(_ value: Any?) -> Double? {
        switch value {
        case let number as Double: number.isFinite ? number : nil
        case let number as Int: Double(number)
        case let number as NSNumber: number.doubleValue
        default: nil
        }
    }

    static func sum(_ total: Int?, _ value: Int?) -> Int? {
        guard let value else { return total }
        return (total ?? 0) + value
    }

    /// What was expected and what came instead, briefly: the start of the output.
    static func notFound(_ expected: String, in stdout: [UInt8]) -> String {
        guard !stdout.isEmpty else { return "expected \(expected), but the CLI printed nothing on stdout" }
        var start = String(decoding: stdout.prefix(200), as: UTF8.self)
        start = start.replacingOccurrences(of: "\n", with: "⏎")
        return "expected \(expected), but stdout begins: \(start)\(stdout.count > 200 ? "…" : "")"
    }
}
