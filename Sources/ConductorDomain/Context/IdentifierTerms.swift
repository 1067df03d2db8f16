/// Finds identifiers in text as written (case kept), for matching a task's names against
/// symbol names and counting what a file mentions. Search terms (the identifiers split into
/// their words) come from ``CodeTokenizer``, which follows the same boundaries on bytes.
public enum IdentifierTerms {
    /// Identifiers in `text`: runs of letters, digits and `_` that start with a letter or `_`
    /// and are at least two characters long, in order of appearance (repeats kept); a run
    /// that starts with a digit is a number, not an identifier.
    public static func identifiers(in text: Substring) -> [Substring] {
        var result: [Substring] = []
        var start: String.Index?
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            let isWord = character == "_" || (character.isASCII ? (character.isLetter || character.isNumber) : character.isLetter)
            if isWord {
                if start == nil {
                    // An identifier starts with a letter or `_`; a word that starts with a
                    // digit (`0x1F`) is a number and is skipped whole.
                    if character.isNumber {
                        while index < text.endIndex, text[index] == "_" || text[index].isLetter || text[index].isNumber { index = text.index(after: index) }
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
}
