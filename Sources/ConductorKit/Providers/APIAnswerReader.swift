import ConductorDomain
import Foundation

/// Turns what a provider's API sent into values or ``ProviderError``s: request bodies into
/// JSON, JSON answers into wire models, error statuses into diagnosed
/// ``ProviderError/http(provider:status:detail:cause:retryAfter:)`` errors.
///
/// Anything the API said passes through ``APIKey/redact(_:)`` before it becomes part of an
/// error, because some APIs quote the key they refused.
struct APIAnswerReader: Sendable {
    let provider: String
    let context: HTTPFailureDiagnosis.Context
    let key: APIKey?
    /// "Now", for `Retry-After` given as a date.
    let clock: any Clock

    /// At most this much of an error answer is read.
    static let errorBodyLimit = 64 << 10
    /// At most this much of a whole (non-streamed) answer is read.
    static let answerLimit = 64 << 20

    func encode(_ body: some Encodable) throws(ProviderError) -> [UInt8] {
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return Array(try encoder.encode(body))
        } catch {
            throw .malformedResponse(provider: provider, detail: "cannot encode the request: \(error)")
        }
    }

    func decode<T: Decodable>(_ type: T.Type, from bytes: some Collection<UInt8>) throws(ProviderError) -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(bytes))
        } catch {
            throw .malformedResponse(provider: provider, detail: "not the JSON the API documents: \(snippet(bytes))")
        }
    }

    /// Reads a whole answer (bounded) and decodes it.
    func decodeAnswer<T: Decodable>(_ type: T.Type, from body: inout HTTPAnswerBody) async throws(ProviderError) -> T {
        let (bytes, truncated) = try await body.collect(limit: Self.answerLimit)
        guard !truncated else { throw .malformedResponse(provider: provider, detail: "the answer is larger than \(Self.answerLimit >> 20) MiB") }
        return try decode(type, from: bytes)
    }

    /// The error for an answer with an error status: the API's own message (read by
    /// `message` from the body, else the start of the body), the status's likely cause and
    /// fix, and the wait the server asked for.
    func failure(_ head: HTTPAnswerHead, body: inout HTTPAnswerBody, message: ([UInt8]) -> String?) async -> ProviderError {
        let bytes = (try? await body.collect(limit: Self.errorBodyLimit).bytes) ?? []
        let said = message(bytes) ?? (bytes.isEmpty ? nil : snippet(bytes))
        let diagnosis = HTTPFailureDiagnosis.diagnose(status: head.status, context: context)
        let retryAfter = RetryAfter.seconds(
            retryAfterMilliseconds: head.header("retry-after-ms"), retryAfter: head.header("retry-after"), now: clock.now()
        )
        return .http(
            provider: provider, status: head.status,
            detail: HTTPFailureDiagnosis.detail(remedy: diagnosis?.remedy, apiMessage: said.map(redact)),
            cause: diagnosis?.cause, retryAfter: retryAfter
        )
    }

    /// The error for an error reported inside a stream that had begun with 200 OK. An error
    /// type that stands for a status is treated as that status (retried, explained).
    func streamFailure(status: Int?, message: String) -> ProviderError {
        guard let status else {
            return .http(provider: provider, status: 200, detail: "the API said: \(redact(message))", cause: "the answer broke off with an error")
        }
        let diagnosis = HTTPFailureDiagnosis.diagnose(status: status, context: context)
        return .http(
            provider: provider, status: status,
            detail: HTTPFailureDiagnosis.detail(remedy: diagnosis?.remedy, apiMessage: redact(message)),
            cause: diagnosis?.cause
        )
    }

    func malformed(_ error: WireFormatError) -> ProviderError {
        .malformedResponse(provider: provider, detail: error.detail)
    }

    func redact(_ text: String) -> String {
        key?.redact(text) ?? text
    }

    /// The start of a body, on one line, redacted: enough to recognise an HTML error page or
    /// a proxy's message.
    func snippet(_ bytes: some Collection<UInt8>) -> String {
        // Redacted before it is cut, so that no part of a key is left at the cut.
        let text = redact(String(decoding: bytes.prefix(400 + (key?.value.utf8.count ?? 0)), as: UTF8.self))
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" }).joined(separator: " ")
        let short = words.count > 200 ? String(words.prefix(200)) + "…" : words
        return short.isEmpty ? "an empty body" : "'\(short)'"
    }
}
