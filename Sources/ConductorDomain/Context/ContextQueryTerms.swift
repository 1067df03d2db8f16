/// The weighted search terms of a prompt: the task's words count fully, what a failure
/// output says counts half (it repeats test names and boilerplate), and words every task
/// and every file uses (English glue, language keywords) not at all.
public enum ContextQueryTerms {
    public static func weights(task: String, failure: String?) -> [String: Double] {
        var weights: [String: Double] = [:]
        add(task, weight: 1, to: &weights)
        if let failure { add(failure, weight: 0.5, to: &weights) }
        return weights
    }

    private static func add(_ text: String, weight: Double, to weights: inout [String: Double]) {
        for term in Set(CodeTokenizer.terms(in: text)) where term.count >= 3 && !stopWords.contains(term) {
            // A compound identifier (`retry_delay`, `parsehttpresponse`) is rarer and surer.
            let boost = term.contains("_") || term.count >= 12 ? 1.5 : 1
            weights[term] = max(weights[term] ?? 0, weight * boost)
        }
        // Prose hyphenates what code joins: "Retry-After" is `RetryAfter`, `retry_after`.
        for compound in hyphenated(in: text) {
            weights[compound] = max(weights[compound] ?? 0, weight * 1.5)
        }
    }

    /// Words of letters joined by hyphens (`Retry-After`, `dry-run`), lowercased and joined
    /// as the tokenizer writes a compound identifier whole.
    public static func hyphenated(in text: String) -> Set<String> {
        var found: Set<String> = []
        for word in text.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "-") }) {
            let parts = word.split(separator: "-").filter { !$0.isEmpty }
            guard parts.count > 1, parts.allSatisfy({ $0.first?.isLetter ?? false }) else { continue }
            let joined = parts.joined().lowercased()
            if joined.count >= 6 { found.insert(joined) }
        }
        return found
    }

    /// Whether an identifier is written as code is (`retryDelay`, `URLSession`, `ok_fn`,
    /// `utf8`), not as a plain word that code also happens to use (`delay`).
    public static func isCodeShaped(_ identifier: String) -> Bool {
        identifier.contains("_") || identifier.dropFirst().contains(where: \.isUppercase)
            || (identifier.contains(where: \.isNumber) && identifier.contains(where: \.isLetter))
    }

    /// Identifiers of the task as written (case kept), for matching symbol names exactly:
    /// at least four characters, or with an inner capital or `_` (`URLSession`, `ok_fn`).
    public static func identifiers(in text: String) -> Set<String> {
        Set(IdentifierTerms.identifiers(in: text).filter { identifier in
            let lowered = identifier.lowercased()
            guard !stopWords.contains(lowered) else { return false }
            return identifier.count >= 4 || identifier.dropFirst().contains(where: \.isUppercase) || identifier.contains("_")
        }.map(String.init))
    }

    static let stopWords: Set<String> = [
        // English
        "the", "and", "for", "with", "when", "that", "this", "from", "into", "not", "are", "was", "were",
        "has", "have", "had", "but", "its", "should", "would", "could", "can", "will", "does", "did",
        "doesn", "don", "isn", "wasn", "won", "also", "only", "than", "then", "there", "their", "they",
        "them", "which", "what", "who", "how", "why", "all", "any", "some", "more", "most", "other",
        "such", "each", "every", "just", "like", "one", "two", "now", "out", "off", "over", "under",
        "after", "before", "again", "because", "while", "where", "here", "being", "been", "these",
        "those", "our", "you", "your", "via", "per", "instead", "still", "yet", "may", "might", "must",
        "make", "makes", "made", "use", "uses", "used", "using", "add", "adds", "added", "fix", "fixes",
        "fixed", "fixing", "bug", "bugs", "issue", "issues", "change", "changes", "changed", "update",
        "updates", "updated", "remove", "removed", "allow", "allows", "ensure", "correctly", "properly",
        "case", "cases", "work", "works", "way", "new", "old", "now", "see", "get", "gets", "got",
        "need", "needs", "want", "try", "tries", "let", "lets", "thing", "things", "about", "above",
        "below", "between", "both", "same", "own", "very", "too", "many", "much", "few", "well",
        // Keywords and literals of the common languages
        "self", "return", "true", "false", "none", "null", "nil", "var", "func", "def", "class",
        "struct", "enum", "import", "public", "private", "static", "const", "int", "string", "void",
        "else", "elif", "while", "break", "continue", "switch", "default", "throw", "throws", "try",
        "catch", "guard", "async", "await", "function", "package", "interface", "impl", "pub", "mut",
        "fn", "type", "new", "this", "super", "extends", "implements", "final", "override",
        "signed", "off", "commit", "merge", "pull", "request", "http", "https", "www", "com", "github",
    ]
}
