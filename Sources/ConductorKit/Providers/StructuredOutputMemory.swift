import ConductorDomain
import Foundation

/// Which structured-output form worked, per profile and base URL, in
/// `<git common dir>/conductor/structured-output.json`: a server that refuses `json_schema`
/// costs one refused call once, not one per run.
///
/// `{"version": 1, "forms": {"<profile> <base URL>": "json_object", …}}`. A file that does not
/// decode is ignored (every form is tried again from the best) and rewritten on the next
/// success; writes are atomic, and a failed write never fails a call: the memory is only an
/// optimisation.
public final class StructuredOutputMemory: @unchecked Sendable {
    public let path: String
    private let lock = NSLock()
    private var forms: [String: StructuredOutputForm]?

    public init(path: String) {
        self.path = path
    }

    /// The file in the repository's private directory.
    public convenience init(repository: ConductorRepository) {
        self.init(path: repository.privateDirectory + "/structured-output.json")
    }

    static func key(profile: String, endpoint: String) -> String {
        "\(profile) \(endpoint)"
    }

    /// The form that last worked for this profile and endpoint.
    public func form(profile: String, endpoint: String) -> StructuredOutputForm? {
        lock.withLock { loaded()[Self.key(profile: profile, endpoint: endpoint)] }
    }

    /// Records `form` as the one that works; writes the file only when that changes it.
    public func remember(_ form: StructuredOutputForm, profile: String, endpoint: String) {
        lock.withLock {
            var forms = loaded()
            let key = Self.key(profile: profile, endpoint: endpoint)
            guard forms[key] != form else { return }
            forms[key] = form
            self.forms = forms
            let file = File(version: File.currentVersion, forms: forms.mapValues(\.rawValue))
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            guard let data = try? encoder.encode(file) else { return }
            try? PrivateFiles.replace(path, contents: Array(data) + [0x0A])
        }
    }

    private struct File: Codable {
        static let currentVersion = 1
        let version: Int
        let forms: [String: String]
    }

    /// The file's forms, read once; empty when it is missing or does not decode.
    private func loaded() -> [String: StructuredOutputForm] {
        if let forms { return forms }
        var read: [String: StructuredOutputForm] = [:]
        if let data = FileManager.default.contents(atPath: path),
           let file = try? JSONDecoder().decode(File.self, from: data), file.version == File.currentVersion {
            for (key, word) in file.forms {
                if let form = StructuredOutputForm(rawValue: word) { read[key] = form }
            }
        }
        forms = read
        return read
    }
}

/// Tries a structured request's forms in order, from the one remembered for this endpoint,
/// moving on when the server refuses one (``StructuredOutputForm/isRefusal(status:message:)``)
/// and remembering the one that answered. A request without a schema is sent once, as is.
struct StructuredOutputLadder: Sendable {
    let api: StructuredOutputAPI
    let profile: String
    let endpoint: String
    let memory: StructuredOutputMemory?

    func send(
        _ request: ProviderRequest, _ call: (StructuredOutputForm?) async throws(ProviderError) -> ProviderResponse
    ) async throws(ProviderError) -> ProviderResponse {
        guard request.responseSchema != nil else { return try await call(nil) }
        let forms = StructuredOutputForm.ladder(for: api)
        let remembered = memory?.form(profile: profile, endpoint: endpoint)
        let start = remembered.flatMap { forms.firstIndex(of: $0) } ?? 0
        for index in start..<forms.count {
            let form = forms[index]
            do {
                var response = try await call(form)
                response.structuredOutput = form
                if form != remembered { memory?.remember(form, profile: profile, endpoint: endpoint) }
                return response
            } catch let error {
                guard index + 1 < forms.count, case let .http(_, status, detail, _, _) = error,
                      StructuredOutputForm.isRefusal(status: status, message: detail)
                else { throw error }
            }
        }
        throw .malformedResponse(provider: profile, detail: "no structured-output form is left to try")
    }
}
