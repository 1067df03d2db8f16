/// Small text transformations for what goes into a prompt.
public enum PromptText {
    /// Keeps the first `head` and last `tail` lines, with a marker saying how many were left
    /// out: the start of a test log says what ran, the end says what failed.
    public static func headAndTail(_ text: String, head: Int, tail: Int) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count > head + tail else { return text }
        let omitted = lines.count - head - tail
        return (lines.prefix(head) + ["[… \(omitted) lines omitted …]"] + lines.suffix(tail)).joined(separator: "\n")
    }

    /// A user's steering message made safe to show the model: control characters removed
    /// (newlines and tabs kept), length capped.
    public static func steering(_ text: String, maxCharacters: Int = 2000) -> String {
        let cleaned = String(String.UnicodeScalarView(text.unicodeScalars.filter { scalar in
            scalar == "\n" || scalar == "\t" || !(scalar.value < 0x20 || (0x7f...0x9f).contains(scalar.value))
        }))
        guard cleaned.count > maxCharacters else { return cleaned }
        return String(cleaned.prefix(maxCharacters)) + " […]"
    }

    /// Words in `text` that look like code identifiers or file names (at least 3 characters,
    /// letters, digits, `_`, `.`, `/`, `-`), lowercased, for matching against file paths.
    public static func identifiers(in text: String) -> Set<String> {
        var words: Set<String> = []
        var current = ""
        func flush() {
            let word = current.trimmingSeparators
            if word.count >= 3, word.contains(where: \.isLetter) { words.insert(word.lowercased()) }
            current = ""
        }
        for character in text {
            if character.isLetter || character.isNumber || "_./-".contains(character) {
                current.append(character)
            } else {
                flush()
            }
        }
        flush()
        return words
    }
}

extension String {
    /// Without leading or trailing `.`, `/`, `-` (sentence punctuation around a path).
    fileprivate var trimmingSeparators: String {
        let separators: Set<Character> = [".", "/", "-"]
        return String(drop(while: separators.contains).reversed().drop(while: separators.contains).reversed())
    }
}

/// Chooses which repository files to show the model, within a token budget.
///
/// The rule prompts used before the context engine (docs/context.md): a path named in the
/// task comes first, then files whose name matches an identifier from it, then files whose
/// directories do; ties go to smaller files. Kept as the recall benchmark's baseline.
public enum ContextSelection {
    public struct Candidate: Sendable, Equatable {
        public let path: String
        public let bytes: Int

        public init(path: String, bytes: Int) {
            self.path = path
            self.bytes = bytes
        }
    }

    /// How strongly `path` relates to the words of the task; 0 means not at all.
    public static func score(_ path: String, words: Set<String>) -> Int {
        let lowered = path.lowercased()
        if words.contains(lowered) { return 100 }
        let name = lowered.split(separator: "/").last.map(String.init) ?? lowered
        let stem = name.split(separator: ".").first.map(String.init) ?? name
        if words.contains(name) { return 80 }
        if words.contains(stem) { return 60 }
        if words.contains(where: { $0.count >= 4 && stem.contains($0) }) { return 30 }
        let directories = lowered.split(separator: "/").dropLast().map(String.init)
        if directories.contains(where: words.contains) { return 10 }
        return 0
    }

    /// The relevant candidates in order of relevance, as many as fit in `budgetTokens`
    /// (about four bytes a token).
    public static func select(_ candidates: [Candidate], for text: String, budgetTokens: Int) -> [Candidate] {
        let words = PromptText.identifiers(in: text)
        let ranked = candidates
            .map { (candidate: $0, score: score($0.path, words: words)) }
            .filter { $0.score > 0 }
            .sorted { ($0.score, -$0.candidate.bytes, $1.candidate.path) > ($1.score, -$1.candidate.bytes, $0.candidate.path) }
        var remaining = budgetTokens * 4
        var chosen: [Candidate] = []
        for (candidate, _) in ranked where candidate.bytes <= remaining {
            chosen.append(candidate)
            remaining -= candidate.bytes
        }
        return chosen
    }
}
