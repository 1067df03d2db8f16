import ConductorDomain
import ConductorKit

extension IterationTranscript {
    /// The text form; `requests` and `responses` choose what is printed of each exchange.
    func render(requests: Bool, responses: Bool) -> String {
        var sections = ["run \(run) iteration \(iteration)"]
        if let context, !context.files.isEmpty {
            sections.append("Context (\(context.totalTokens) of \(context.budgetTokens) tokens, symbols by \(context.scanner)):\n"
                + context.files.map { "  \(TerminalText.line($0.listing))" }.joined(separator: "\n"))
        }
        for exchange in exchanges {
            if requests, let request = exchange.request {
                let messages = request.messages.map { "[\($0.role.rawValue)]\n\($0.content)" }.joined(separator: "\n\n")
                sections.append("Round \(exchange.round) request (\(request.purpose.rawValue)):\n[system]\n\(request.system)\n\n\(messages)")
            }
            if responses {
                sections.append("Round \(exchange.round) response:\n" + (exchange.response ?? "(no answer recorded)"))
            }
        }
        if let feedback { sections.append("Edits refused:\n\(feedback)") }
        if let bist { sections.append("Verification: \(bist.summary)") }
        return TerminalText.visible(sections.joined(separator: "\n\n"))
    }
}
