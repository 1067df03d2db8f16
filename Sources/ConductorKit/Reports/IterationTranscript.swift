import ConductorDomain

/// One iteration of a run as recorded: what the prompt carried of the repository, what the
/// model was asked and what it answered in every round (the first answer, then one per file
/// request), why its edits were refused if they were, and how verification ended. What
/// `git conductor show <run> --iteration N` prints; everything from the state branch, redacted.
public struct IterationTranscript: Sendable, Encodable {
    public struct Exchange: Sendable, Encodable {
        /// 1 for the iteration's first request; 2, 3… after each file request.
        public let round: Int
        public let request: ProviderRequest?
        public let response: String?
    }

    public let run: String
    public let iteration: Int
    public let context: ContextPick?
    public let exchanges: [Exchange]
    /// The feedback the refused edits got, as the model read it.
    public let feedback: String?
    public let bist: BISTReport?

    /// Reads iteration `number` of `run`; nil when it has no recorded request.
    public static func read(_ number: Int, of run: RunID, in snapshot: StateSnapshot, redactor: SecretRedactor) throws(ConductorError) -> IterationTranscript? {
        let directory = "iterations/\(number)"
        var exchanges: [Exchange] = []
        var round = 1
        var folder = directory
        while let request = try snapshot.artifact("\(folder)/request.json", of: run) {
            let decoded = try StateCoding.decode(ProviderRequest.self, from: request, path: folder + "/request.json")
            let response = try snapshot.artifact("\(folder)/response.md", of: run).map { redactor.redact(String(decoding: $0, as: UTF8.self)) }
            exchanges.append(Exchange(round: round, request: redacted(decoded, redactor), response: response))
            folder = "\(directory)/read-\(round)"
            round += 1
        }
        guard !exchanges.isEmpty else { return nil }
        let context = try snapshot.artifact("\(directory)/context.json", of: run).map { bytes throws(ConductorError) in
            try StateCoding.decode(ContextPick.self, from: bytes, path: directory + "/context.json")
        }
        let bist = try snapshot.artifact("\(directory)/bist.json", of: run).map { bytes throws(ConductorError) in
            try StateCoding.decode(BISTReport.self, from: bytes, path: directory + "/bist.json")
        }
        let feedback = try snapshot.artifact("\(directory)/feedback.md", of: run).map { redactor.redact(String(decoding: $0, as: UTF8.self)) }
        return IterationTranscript(run: run.rawValue, iteration: number, context: context, exchanges: exchanges, feedback: feedback, bist: bist)
    }

    private static func redacted(_ request: ProviderRequest, _ redactor: SecretRedactor) -> ProviderRequest {
        ProviderRequest(
            purpose: request.purpose, system: redactor.redact(request.system),
            messages: request.messages.map { ChatMessage(role: $0.role, content: redactor.redact(PromptCache.stripped($0.content))) },
            temperature: request.temperature, maxOutputTokens: request.maxOutputTokens
        )
    }
}
