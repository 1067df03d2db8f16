/// The model's own claim about the task, made explicit: the first `<promise>…</promise>` in an
/// answer, with whitespace collapsed, must read exactly `DONE` or `BLOCKED`. Anything else is
/// no promise at all, so a model cannot end a run by accident with a near miss.
public enum CompletionPromise: String, Sendable, Equatable, Codable {
    case done = "DONE"
    case blocked = "BLOCKED"

    /// The promise in `answer`, if its first promise tag holds exactly one of the two words.
    public static func find(in answer: String) -> CompletionPromise? {
        guard let open = answer.firstRange(of: "<promise>"),
              let close = answer[open.upperBound...].firstRange(of: "</promise>")
        else { return nil }
        let words = answer[open.upperBound..<close.lowerBound].split(whereSeparator: \.isWhitespace)
        return CompletionPromise(rawValue: words.joined(separator: " "))
    }
}
