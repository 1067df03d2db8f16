import ConductorDomain
import Foundation

/// The secrets of this process's environment, removed from anything that leaves it: the
/// values of the API-key variables providers read, wherever they appear.
public struct RunRedaction: Sendable {
    /// The variables that hold provider credentials.
    public static let keyVariables = ["OPENAI_API_KEY", "ANTHROPIC_API_KEY", "AZURE_OPENAI_API_KEY", "GEMINI_API_KEY", "GOOGLE_API_KEY", "OPENROUTER_API_KEY"]
    let secrets: [String]

    public init(environment: [String: String]) {
        // Short values would redact ordinary words; no real key is that short.
        secrets = Self.keyVariables.compactMap { environment[$0] }.filter { $0.count >= 8 }
    }

    public func redact(_ text: String) -> String {
        secrets.reduce(text) { $0.replacingOccurrences(of: $1, with: "[REDACTED]") }
    }
}
