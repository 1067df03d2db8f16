import ConductorDomain

/// Answers with the responses an earlier run recorded on the state branch, in the order that
/// run received them: its planning attempts (`planning/<n>/response.md`), then its
/// iterations (`iterations/<n>/response.md`, each followed by the answers it got after
/// showing requested files, `iterations/<n>/read-<k>/response.md`). `git conductor replay` drives a new run with it,
/// so that the same answers, applied and verified again, show whether the outcome and the
/// task branch's tree are reproducible.
///
/// Nothing is spent: usage is estimated from the text and costs nothing.
public actor ReplayProvider: Provider {
    public nonisolated let name = "replay"
    let recording: RunID
    let answers: [String]
    private var next: Int

    init(recording run: RunID, answers: [String], answered: Int) {
        recording = run
        self.answers = answers
        next = answered
    }

    /// Reads the run's recorded answers; `answered` skips those a resumed replay was already given.
    public static func load(recording run: RunID, in repository: ConductorRepository, answered: Int = 0) throws(ConductorError) -> ReplayProvider {
        let snapshot = try repository.requireStateSnapshot()
        _ = try snapshot.history(of: run)
        var answers: [String] = []
        for phase in ["planning", "iterations"] {
            var number = 1
            while let bytes = try snapshot.artifact("\(phase)/\(number)/response.md", of: run) {
                answers.append(String(decoding: bytes, as: UTF8.self))
                // The answers given after the files the model asked for, in order.
                var round = 1
                while let reply = try snapshot.artifact("\(phase)/\(number)/read-\(round)/response.md", of: run) {
                    answers.append(String(decoding: reply, as: UTF8.self))
                    round += 1
                }
                number += 1
            }
        }
        guard !answers.isEmpty else {
            throw .providerUnavailable("replay", detail: "run \(run) recorded no responses to replay")
        }
        return ReplayProvider(recording: run, answers: answers, answered: answered)
    }

    public func complete(_ request: ProviderRequest) async throws(ProviderError) -> ProviderResponse {
        guard next < answers.count else { throw .recordingExhausted(run: recording, answered: next) }
        let text = answers[next]
        next += 1
        let prompt = ([request.system] + request.messages.map(\.content)).joined(separator: "\n")
        let usage = TokenUsage(
            model: "replay", tokensIn: TokenUsage.estimateTokens(in: prompt),
            tokensOut: TokenUsage.estimateTokens(in: text), estimated: true, costUSD: 0
        )
        return ProviderResponse(text: text, usage: usage, finishReason: "stop")
    }
}
