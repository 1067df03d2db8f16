/// Turns text into the words code search matches on. A task says "the retry delay"; the code
/// says `retryDelay` or `retry_delay`: both are split into `retry` and `delay`, and the whole
/// identifier is kept as a term of its own so an exact name still counts most.
public enum IdentifierTerms {
    /// Identifiers in `text`: runs of letters, digits and `_` that start with a letter or `_`
    /// and are at least two characters long, in order of appearance (repeats kept).
    public static func identifiers(in text: Substring) -> [Substring] {
        var result: [Substring] = []
        var start: String.Index?
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            let isWord = character == "_" || (character.isASCII ? (character.isLetter || character.isNumber) : character.isLetter)
            if isWord {
                if start == nil {
                    // An identifier starts with a letter or `_`; a digit run is skipped whole.
                    if character.isNumber {
                        while index < text.endIndex, text[index].isNumber { index = text.index(after: index) }
                        continue
                    }
                    start = index
                }
            } else if let begin = start {
                if text.distance(from: begin, to: index) >= 2 { result.append(text[begin..<index]) }
                start = nil
            }
            index = text.index(after: index)
        }
        if let begin = start, text.distance(from: begin, to: text.endIndex) >= 2 { result.append(text[begin...]) }
        return result
    }

    public static func identifiers(in text: String) -> [Substring] {
        identifiers(in: text[...])
    }

    /// The lowercased parts of one identifier: `parseHTTPResponse` → `parse`, `http`,
    /// `response`; `retry_delay_ms` → `retry`, `delay`, `ms`. Parts shorter than two
    /// characters are dropped.
    public static func parts(of identifier: Substring) -> [String] {
        var parts: [String] = []
        var current = ""
        let characters = Array(identifier)
        func flush() {
            if current.count >= 2 { parts.append(current.lowercased()) }
            current = ""
        }
        for (offset, character) in characters.enumerated() {
            if character == "_" || character == "-" {
                flush()
                continue
            }
            if let previous = current.last {
                let next = offset + 1 < characters.count ? characters[offset + 1] : nil
                let lowerToUpper = character.isUppercase && (previous.isLowercase || previous.isNumber)
                // The last capital of an acronym starts the next word: HTTP|Response.
                let acronymEnd = character.isUppercase && previous.isUppercase && (next?.isLowercase ?? false)
                let letterDigit = character.isNumber != previous.isNumber && character.isLetter != previous.isLetter && !character.isNumber
                if lowerToUpper || acronymEnd || letterDigit { flush() }
            }
            current.append(character)
        }
        flush()
        return parts
    }

    /// The search terms of `text`: each identifier's parts, plus the whole identifier
    /// lowercased when it has more than one part (``CodeTokenizer``, so that a query and the
    /// files it is matched against are split the same way).
    public static func terms(in text: String) -> [String] {
        CodeTokenizer.terms(in: text)
    }
}
