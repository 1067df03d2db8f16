/// Makes text that came from a model, a test run or a user safe to put in a pull request:
/// it can neither break the Markdown around it nor act on GitHub (mentioning people,
/// closing issues). Secrets are the redactor's job; this is only about structure.
public enum MarkdownText {
    /// One line of ordinary text, for a paragraph or a table cell: line breaks become
    /// spaces, Markdown and HTML syntax is escaped, and mentions and issue references are
    /// neutralised.
    public static func inline(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "\n", "\r", "\t": result.append(" ")
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\\", "`", "*", "_", "[", "]", "|", "~", "#", "!":
                result += "\\" + String(character)
            case "@":
                result += "@\u{200B}"
            default:
                result.append(character)
            }
        }
        return neutraliseReferences(result)
    }

    /// `text` in a fenced code block that nothing inside can close: the fence is one
    /// backtick longer than the longest run of backticks in the text. GitHub renders
    /// neither HTML nor mentions inside it.
    public static func codeBlock(_ text: String, language: String = "") -> String {
        let fence = String(repeating: "`", count: max(3, longestBacktickRun(in: text) + 1))
        let body = text.hasSuffix("\n") ? text : text + "\n"
        return "\(fence)\(language)\n\(body)\(fence)"
    }

    /// `text` as an inline code span, whatever backticks it holds; one line.
    public static func code(_ text: String) -> String {
        let line = text.map { $0.isNewline ? " " : $0 }.map(String.init).joined()
        let fence = String(repeating: "`", count: longestBacktickRun(in: line) + 1)
        let padding = line.hasPrefix("`") || line.hasSuffix("`") ? " " : ""
        return fence + padding + line + padding + fence
    }

    static func longestBacktickRun(in text: String) -> Int {
        var longest = 0, current = 0
        for character in text {
            current = character == "`" ? current + 1 : 0
            longest = max(longest, current)
        }
        return longest
    }

    /// `#123` would link an issue, and "fixes #123" would close it when the pull request
    /// merges; a zero-width space after `#` keeps the text readable and inert. (`#` itself
    /// is already escaped by then, so look for the escaped form.)
    static func neutraliseReferences(_ text: String) -> String {
        var result = ""
        var characters = Array(text)[...]
        while let character = characters.popFirst() {
            result.append(character)
            if character == "#", let next = characters.first, next.isNumber {
                result.append("\u{200B}")
            }
        }
        return result
    }
}
