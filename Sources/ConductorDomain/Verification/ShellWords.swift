/// What a shell command line starts by running, for the precheck that every verify command is
/// runnable before a run spends anything on a model.
public enum ShellProgram: Sendable, Equatable {
    /// A literal program name or path, unquoted (`swift`, `./gradlew`, `my tool`).
    case word(String)
    /// The first word depends on expansion (`$TOOL test`, `` `which swift` ``, `*.sh`): only
    /// the shell can tell, when it runs.
    case expansion(String)
    /// Nothing to run: empty, only comments, only assignments or a syntax error at the start.
    case none
}

/// A small reader for the start of POSIX shell command lines (quotes, escapes, leading
/// `NAME=value` assignments, redirections and comments). It only finds the first program; it is
/// not a shell.
public enum ShellWords {
    /// The program a command line runs first.
    public static func firstProgram(of commandLine: String) -> ShellProgram {
        var reader = WordReader(Array(commandLine.unicodeScalars))
        while true {
            reader.skipBlanksAndComments()
            guard let next = reader.peek else { return .none }
            if next == "<" || next == ">" {
                reader.skipRedirection()
                continue
            }
            if next == "(" { return .word("(") }
            if ";&|)".unicodeScalars.contains(next) { return .none }
            guard let word = reader.readWord() else { return .none }
            if word.isRedirectionNumber, reader.peek == "<" || reader.peek == ">" {
                reader.skipRedirection()
                continue
            }
            if word.isAssignment { continue }
            return word.expands ? .expansion(word.raw) : .word(word.text)
        }
    }

    /// Whether `word` is run by the shell itself: a POSIX special or regular built-in, a
    /// built-in every common `/bin/sh` has (dash, bash, busybox ash), or a reserved word.
    public static func isBuiltin(_ word: String) -> Bool { builtins.contains(word) }

    public static let builtins: Set<String> = [
        // Special built-ins.
        ":", ".", "break", "continue", "eval", "exec", "exit", "export", "readonly", "return", "set",
        "shift", "times", "trap", "unset",
        // Regular built-ins common to dash, bash and ash.
        "alias", "bg", "cd", "command", "echo", "false", "fg", "getopts", "hash", "jobs", "kill", "printf",
        "pwd", "read", "test", "[", "true", "type", "ulimit", "umask", "unalias", "wait", "local",
        // Reserved words that can start a command.
        "!", "{", "(", "if", "while", "until", "for", "case",
    ]
}

/// One word as read from a command line.
private struct ShellWord {
    /// The word with quotes and escapes removed.
    var text = ""
    /// The word as written.
    var raw = ""
    /// Whether an unquoted `=` followed a valid name at the start (`CC=clang`).
    var isAssignment = false
    /// Whether the word contains `$`, a backquote or an unquoted glob character.
    var expands = false
    var isRedirectionNumber: Bool { !raw.isEmpty && raw.unicodeScalars.allSatisfy { $0.properties.numericType != nil && $0.isASCII } }
}

private struct WordReader {
    let scalars: [Unicode.Scalar]
    var index = 0

    init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

    var peek: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

    mutating func skipBlanksAndComments() {
        while let scalar = peek {
            if scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" {
                index += 1
            } else if scalar == "#" {
                while let inComment = peek, inComment != "\n" { index += 1 }
            } else if scalar == "\\", index + 1 < scalars.count, scalars[index + 1] == "\n" {
                index += 2
            } else {
                return
            }
        }
    }

    /// Skips `>file`, `2>&1`, `< input`, `>>log` and the word they name.
    mutating func skipRedirection() {
        while let scalar = peek, "<>&|-".unicodeScalars.contains(scalar) || scalar.properties.numericType != nil { index += 1 }
        while let scalar = peek, scalar == " " || scalar == "\t" { index += 1 }
        _ = readWord()
    }

    /// Reads one word; nil at an operator or the end.
    mutating func readWord() -> ShellWord? {
        var word = ShellWord()
        // Whether the word so far could be a variable name, so a following `=` is an assignment.
        var nameSoFar = true
        while let scalar = peek {
            if " \t\n\r;&|<>()".unicodeScalars.contains(scalar) { break }
            index += 1
            word.raw.unicodeScalars.append(scalar)
            switch scalar {
            case "'":
                nameSoFar = false
                while let quoted = peek, quoted != "'" {
                    word.text.unicodeScalars.append(quoted)
                    word.raw.unicodeScalars.append(quoted)
                    index += 1
                }
                if peek == "'" { index += 1; word.raw.unicodeScalars.append("'") }
            case "\"":
                nameSoFar = false
                while let quoted = peek, quoted != "\"" {
                    index += 1
                    word.raw.unicodeScalars.append(quoted)
                    if quoted == "\\", let escaped = peek, "$`\"\\\n".unicodeScalars.contains(escaped) {
                        index += 1
                        word.raw.unicodeScalars.append(escaped)
                        word.text.unicodeScalars.append(escaped)
                    } else {
                        if quoted == "$" || quoted == "`" { word.expands = true }
                        word.text.unicodeScalars.append(quoted)
                    }
                }
                if peek == "\"" { index += 1; word.raw.unicodeScalars.append("\"") }
            case "\\":
                nameSoFar = false
                if let escaped = peek {
                    index += 1
                    word.raw.unicodeScalars.append(escaped)
                    if escaped != "\n" { word.text.unicodeScalars.append(escaped) }
                }
            case "$", "`":
                nameSoFar = false
                word.expands = true
                word.text.unicodeScalars.append(scalar)
                // Command substitutions and `${…}` may contain blanks: keep them in the word.
                if scalar == "`" {
                    readEnclosed(until: "`", into: &word)
                } else if peek == "(" {
                    readEnclosed(until: ")", opening: "(", into: &word)
                } else if peek == "{" {
                    readEnclosed(until: "}", opening: "{", into: &word)
                }
            case "*", "?":
                nameSoFar = false
                word.expands = true
                word.text.unicodeScalars.append(scalar)
            case "=":
                if nameSoFar, !word.text.isEmpty { word.isAssignment = true }
                nameSoFar = false
                word.text.unicodeScalars.append(scalar)
            default:
                let isLetter = scalar == "_" || (scalar.isASCII && scalar.properties.isAlphabetic)
                let isDigit = scalar.isASCII && scalar.properties.numericType != nil
                if !(isLetter || (isDigit && !word.text.isEmpty)) { nameSoFar = false }
                word.text.unicodeScalars.append(scalar)
            }
        }
        return word.raw.isEmpty ? nil : word
    }

    /// Appends everything up to and including the `closing` that balances what was opened
    /// (`opening` nests; the opening character itself, if any, is next in the input).
    mutating func readEnclosed(until closing: Unicode.Scalar, opening: Unicode.Scalar? = nil, into word: inout ShellWord) {
        var depth = 0
        if let opening, peek == opening {
            index += 1
            word.raw.unicodeScalars.append(opening)
            word.text.unicodeScalars.append(opening)
            depth = 1
        }
        while let scalar = peek {
            index += 1
            word.raw.unicodeScalars.append(scalar)
            word.text.unicodeScalars.append(scalar)
            if scalar == "\\", let escaped = peek {
                index += 1
                word.raw.unicodeScalars.append(escaped)
                word.text.unicodeScalars.append(escaped)
            } else if let opening, scalar == opening {
                depth += 1
            } else if scalar == closing {
                depth -= 1
                if depth <= 0 { return }
            }
        }
    }
}
