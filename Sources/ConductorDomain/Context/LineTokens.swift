/// The first tokens of one line of blanked code (``CodeText``): words (identifiers, keywords,
/// numbers) and single punctuation bytes. Declaration patterns match on these; a declaration
/// is always told by its first few tokens, so the rest of a long line is never tokenised.
struct LineTokens {
    enum Token: Equatable {
        case word(String)
        case mark(UInt8)

        var word: String? {
            if case .word(let text) = self { return text }
            return nil
        }

        func isMark(_ character: Character) -> Bool {
            if case .mark(let byte) = self { return byte == character.asciiValue }
            return false
        }

        func isWord(_ text: String) -> Bool {
            if case .word(let word) = self { return word == text }
            return false
        }
    }

    var tokens: [Token] = []

    init(_ code: [UInt8], range: Range<Int>, limit: Int = 48) {
        var index = range.lowerBound
        let end = range.upperBound
        tokens.reserveCapacity(16)
        while index < end, tokens.count < limit {
            let byte = code[index]
            if CodeText.isSpace(byte) || byte == 10 {
                index += 1
            } else if CodeText.isWordByte(byte) {
                let start = index
                while index < end, CodeText.isWordByte(code[index]) { index += 1 }
                tokens.append(.word(String(decoding: code[start..<index], as: UTF8.self)))
            } else {
                tokens.append(.mark(byte))
                index += 1
            }
        }
    }

    var isEmpty: Bool { tokens.isEmpty }
    var count: Int { tokens.count }
    subscript(_ index: Int) -> Token? { index >= 0 && index < tokens.count ? tokens[index] : nil }

    func word(at index: Int) -> String? { self[index]?.word }

    func isMark(_ character: Character, at index: Int) -> Bool { self[index]?.isMark(character) ?? false }

    func isWord(_ text: String, at index: Int) -> Bool { self[index]?.isWord(text) ?? false }

    /// The index of the first `character` mark at or after `start`, if any.
    func firstMark(_ character: Character, from start: Int = 0) -> Int? {
        var index = start
        while index < tokens.count {
            if tokens[index].isMark(character) { return index }
            index += 1
        }
        return nil
    }

    /// The index just past the bracket group opening at `index` (`(`, `<` or `[`), or the end.
    func skipGroup(at index: Int) -> Int {
        guard case .mark(let open) = self[index] else { return index }
        let close: UInt8 = switch open {
        case UInt8(ascii: "("): UInt8(ascii: ")")
        case UInt8(ascii: "<"): UInt8(ascii: ">")
        case UInt8(ascii: "["): UInt8(ascii: "]")
        default: open
        }
        var depth = 0
        var position = index
        while position < tokens.count {
            if case .mark(let byte) = tokens[position] {
                if byte == open { depth += 1 }
                if byte == close {
                    depth -= 1
                    if depth == 0 { return position + 1 }
                }
            }
            position += 1
        }
        return tokens.count
    }

    /// Skips words of `modifiers` (and a parenthesised group after one, as in
    /// `private(set)` or `pub(crate)`) and `@Attribute(…)`s from `start`; returns the next index.
    func skipModifiers(_ modifiers: Set<String>, from start: Int, attributes: Bool = true) -> Int {
        var index = start
        while index < tokens.count {
            if attributes, isMark("@", at: index), word(at: index + 1) != nil {
                index += 2
                while isMark(".", at: index), word(at: index + 1) != nil { index += 2 }
                if isMark("(", at: index) { index = skipGroup(at: index) }
                continue
            }
            if let word = word(at: index), modifiers.contains(word) {
                index += 1
                if isMark("(", at: index), Self.parenthesised.contains(word) { index = skipGroup(at: index) }
                continue
            }
            return index
        }
        return index
    }

    /// Modifiers that may carry a group: `private(set)`, `pub(crate)`, `nonisolated(unsafe)`.
    static let parenthesised: Set<String> = ["private", "fileprivate", "internal", "public", "package", "open", "pub", "nonisolated", "unowned"]

    /// The last word before index `end` (exclusive), with its index.
    func lastWord(before end: Int) -> (String, Int)? {
        var index = min(end, tokens.count) - 1
        while index >= 0 {
            if let word = tokens[index].word { return (word, index) }
            index -= 1
        }
        return nil
    }
}

extension String {
    /// Whether this is a plain identifier (starts with a letter or `_`), not a number.
    var isIdentifier: Bool {
        guard let first = utf8.first else { return false }
        return !(first >= 48 && first <= 57)
    }
}
