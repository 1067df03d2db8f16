/// One thing that happened to a run. Events are files on the state branch that are written
/// once and never changed; a run's status is a fold over them (``RunSummary``).
public struct Event: Sendable, Equatable {
    public let stamp: EventStamp
    public let time: Timestamp
    public let payload: EventPayload

    public init(stamp: EventStamp, time: Timestamp, payload: EventPayload) {
        self.stamp = stamp
        self.time = time
        self.payload = payload
    }
}

/// Why a run ended in FAILED; every failure carries exactly one.
public enum FailureReason: String, Codable, Sendable, CaseIterable {
    case precheck, provider, edit, verify
    case loopDetected = "loop detected"
    case budget, cancelled, `internal`
}

/// What an event says. Kinds this version does not know (written by a newer version) are kept
/// as ``unknown`` so that reading never fails on them.
public enum EventPayload: Sendable, Equatable {
    /// The state machine moved.
    case transition(from: RunState?, to: RunState, reason: FailureReason?, detail: String?)
    /// Iteration `number` (counting from 1) began.
    case iterationStarted(number: Int)
    /// A provider call's accounting. A nil cost means the price is unknown, never zero.
    case usage(TokenUsage)
    /// A user's word to a run in flight (`git conductor steer/pause/cancel/approve`).
    case steering(SteeringAction, text: String?)
    /// `git conductor pr create` opened (or updated) this pull request for the run.
    case pullRequest(url: String)
    /// One try of one provider (a retry, a fallback), with its outcome and latency.
    case providerAttempt(ProviderAttempt)
    /// `git conductor pull` found `path` written differently by two clones and kept both:
    /// the remote's copy stays at `path`, this clone's moved to `keptAs`.
    case syncConflict(path: String, keptAs: String)
    /// In iteration `iteration`, the model asked to see more of the repository (round
    /// `round`, counting its first answer as 1) and was shown `shown`; `missing` names what
    /// it asked for that does not exist (docs/context.md).
    case fileRequest(iteration: Int, round: Int, request: String, shown: [String], missing: [String])
    /// What the prompt of iteration `iteration` carried of the repository, one line a file
    /// (`src/x.py (whole): named in the failure (line 42)`), and its tokens; the whole
    /// pick is the iteration's `context.json` (docs/context.md).
    case contextPicked(iteration: Int, files: [String], tokens: Int)
    case unknown(kind: String)

    /// The `kind` field of the stored JSON.
    public var kind: String {
        switch self {
        case .transition: "transition"
        case .iterationStarted: "iteration"
        case .usage: "usage"
        case .steering: "steer"
        case .pullRequest: "pull_request"
        case .providerAttempt: "attempt"
        case .syncConflict: "sync_conflict"
        case .fileRequest: "file_request"
        case .contextPicked: "context"
        case .unknown(let kind): kind
        }
    }

    /// The pull request's address, for a ``pullRequest(url:)`` event.
    public var pullRequestURL: String? {
        if case .pullRequest(let url) = self { url } else { nil }
    }
}

/// What a user can tell a running run. The engine reads these at every step.
public enum SteeringAction: String, Sendable, Codable, CaseIterable {
    /// Guidance shown to the model in the next prompt, as the user's words.
    case message
    case pause, cancel, approve
}

/// Tokens and cost of one provider call.
public struct TokenUsage: Sendable, Equatable, Codable {
    public let model: String?
    public let tokensIn: Int
    public let tokensOut: Int
    /// Input tokens the provider served from its prompt cache, when it says.
    public let cachedTokens: Int?
    /// True when the provider reported no usage and the counts are our estimate.
    public let estimated: Bool
    public let costUSD: Double?

    public init(model: String?, tokensIn: Int, tokensOut: Int, cachedTokens: Int? = nil, estimated: Bool = false, costUSD: Double?) {
        self.model = model
        self.tokensIn = tokensIn
        self.tokensOut = tokensOut
        self.cachedTokens = cachedTokens
        self.estimated = estimated
        self.costUSD = costUSD
    }

    public var total: Int { tokensIn + tokensOut }

    /// A rough count for text a provider did not count: about four characters a token.
    public static func estimateTokens(in text: String) -> Int {
        (text.utf8.count + 3) / 4
    }

    enum CodingKeys: String, CodingKey {
        case model, estimated, tokensIn = "tokens_in", tokensOut = "tokens_out", cachedTokens = "cached_tokens", costUSD = "cost_usd"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        model = try container.decodeIfPresent(String.self, forKey: .model)
        tokensIn = try container.decode(Int.self, forKey: .tokensIn)
        tokensOut = try container.decode(Int.self, forKey: .tokensOut)
        cachedTokens = try container.decodeIfPresent(Int.self, forKey: .cachedTokens)
        estimated = try container.decodeIfPresent(Bool.self, forKey: .estimated) ?? false
        costUSD = try container.decodeIfPresent(Double.self, forKey: .costUSD)
    }

    /// `estimated` is written only when true, so measured usage reads as before.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(model, forKey: .model)
        try container.encode(tokensIn, forKey: .tokensIn)
        try container.encode(tokensOut, forKey: .tokensOut)
        try container.encodeIfPresent(cachedTokens, forKey: .cachedTokens)
        if estimated { try container.encode(true, forKey: .estimated) }
        try container.encodeIfPresent(costUSD, forKey: .costUSD)
    }
}

extension Event: Codable {
    enum CodingKeys: String, CodingKey {
        case kind, clock, machine, seq, time, from, to, reason, detail, number, action, text, url, path
        case round, shown, missing, files, tokens
        case keptAs = "kept_as"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        stamp = EventStamp(
            clock: try container.decode(UInt64.self, forKey: .clock),
            machine: try container.decode(MachineID.self, forKey: .machine),
            sequence: try container.decode(Int.self, forKey: .seq)
        )
        time = try container.decode(Timestamp.self, forKey: .time)
        let kind = try container.decode(String.self, forKey: .kind)
        switch kind {
        case "transition":
            payload = .transition(
                from: try container.decodeIfPresent(RunState.self, forKey: .from),
                to: try container.decode(RunState.self, forKey: .to),
                reason: try container.decodeIfPresent(FailureReason.self, forKey: .reason),
                detail: try container.decodeIfPresent(String.self, forKey: .detail)
            )
        case "iteration":
            payload = .iterationStarted(number: try container.decode(Int.self, forKey: .number))
        case "usage":
            payload = .usage(try TokenUsage(from: decoder))
        case "steer":
            payload = .steering(
                try container.decode(SteeringAction.self, forKey: .action),
                text: try container.decodeIfPresent(String.self, forKey: .text)
            )
        case "attempt":
            payload = .providerAttempt(try ProviderAttempt(from: decoder))
        case "pull_request":
            payload = .pullRequest(url: try container.decode(String.self, forKey: .url))
        case "sync_conflict":
            payload = .syncConflict(path: try container.decode(String.self, forKey: .path), keptAs: try container.decode(String.self, forKey: .keptAs))
        case "file_request":
            payload = .fileRequest(
                iteration: try container.decode(Int.self, forKey: .number), round: try container.decode(Int.self, forKey: .round),
                request: try container.decode(String.self, forKey: .text),
                shown: try container.decodeIfPresent([String].self, forKey: .shown) ?? [],
                missing: try container.decodeIfPresent([String].self, forKey: .missing) ?? []
            )
        case "context":
            payload = .contextPicked(
                iteration: try container.decode(Int.self, forKey: .number),
                files: try container.decode([String].self, forKey: .files), tokens: try container.decode(Int.self, forKey: .tokens)
            )
        default:
            payload = .unknown(kind: kind)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(payload.kind, forKey: .kind)
        try container.encode(stamp.clock, forKey: .clock)
        try container.encode(stamp.machine, forKey: .machine)
        try container.encode(stamp.sequence, forKey: .seq)
        try container.encode(time, forKey: .time)
        switch payload {
        case let .transition(from, to, reason, detail):
            try container.encodeIfPresent(from, forKey: .from)
            try container.encode(to, forKey: .to)
            try container.encodeIfPresent(reason, forKey: .reason)
            try container.encodeIfPresent(detail, forKey: .detail)
        case .iterationStarted(let number):
            try container.encode(number, forKey: .number)
        case .usage(let usage):
            try usage.encode(to: encoder)
        case let .steering(action, text):
            try container.encode(action, forKey: .action)
            try container.encodeIfPresent(text, forKey: .text)
        case .pullRequest(let url):
            try container.encode(url, forKey: .url)
        case .providerAttempt(let attempt):
            try attempt.encode(to: encoder)
        case let .syncConflict(path, keptAs):
            try container.encode(path, forKey: .path)
            try container.encode(keptAs, forKey: .keptAs)
        case let .fileRequest(iteration, round, request, shown, missing):
            try container.encode(iteration, forKey: .number)
            try container.encode(round, forKey: .round)
            try container.encode(request, forKey: .text)
            try container.encode(shown, forKey: .shown)
            try container.encode(missing, forKey: .missing)
        case let .contextPicked(iteration, files, tokens):
            try container.encode(iteration, forKey: .number)
            try container.encode(files, forKey: .files)
            try container.encode(tokens, forKey: .tokens)
        case .unknown:
            break
        }
    }
}
