/// Where a prompt's stable part ends, for providers that cache a prompt's prefix.
///
/// The engine orders a prompt so that what does not change between iterations (project
/// context, task, plan, repository map) comes first, and may mark the end of that part with
/// ``boundary`` inside the first user message (``join(stable:rest:)``). Anthropic's adapter
/// splits the message there into two content blocks and puts a `cache_control` breakpoint on
/// the first; every other API gets the message with the marker removed (OpenAI and the
/// compatible servers cache a common prefix by themselves). The marker is a private-use
/// character sequence that never occurs in source text.
public enum PromptCache {
    public static let boundary = "\u{E000}conductor:cache-boundary\u{E000}"

    /// `stable` followed by `rest`, with the boundary between them.
    public static func join(stable: String, rest: String) -> String {
        stable + boundary + rest
    }

    /// The text before and after the first boundary; nil when there is none.
    public static func split(_ text: String) -> (stable: String, rest: String)? {
        guard let range = text.firstRange(of: boundary) else { return nil }
        return (String(text[..<range.lowerBound]), String(text[range.upperBound...]).replacingBoundaries())
    }

    /// `text` without any boundary: what a model reads.
    public static func stripped(_ text: String) -> String {
        text.replacingBoundaries()
    }
}

extension String {
    fileprivate func replacingBoundaries() -> String {
        guard contains(PromptCache.boundary) else { return self }
        return split(separator: PromptCache.boundary, omittingEmptySubsequences: false).joined()
    }
}
