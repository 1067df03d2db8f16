/// Reads a file path out of the ways real models decorate it (docs/edit-format.md, "Where
/// the path goes"): `**src/a.py**`, `` `src/a.py`: ``, `### src/a.py`, `./src/a.py`,
/// `Filename: src/a.py`, `1. src/a.py`, a path in a fence's info string, or a comment holding the path on
/// the fence's first line.
///
/// Every decoration removed makes the reading less certain, so a decorated word is taken for a
/// path only when it looks like one (``looksLikePath(_:)``): `Example:` and `### Summary` stay
/// prose. A plain word alone on the line directly above a fence keeps the older, wider rule
/// (`Makefile`, `../etc/passwd` are paths, the second then refused by ``PathPolicy`` with a
/// reason the model can act on).
enum PathDecoration {
    /// The path on the line directly above a fence or a `<<<<<<< SEARCH` marker.
    static func path(onLine line: String) -> String? {
        guard let (word, decorated) = undecorate(line) else { return nil }
        if decorated { return looksLikePath(word) ? word : nil }
        return word
    }

    /// The path on a line further from the fence (a blank line between): it must look like one.
    static func strictPath(onLine line: String) -> String? {
        guard let (word, _) = undecorate(line), looksLikePath(word) else { return nil }
        return word
    }

    /// A path in a fence's info string: ```` ```python src/a.py ````, ```` ```src/a.py ````,
    /// ```` ```python:src/a.py ````, ```` ```python title="src/a.py" ````.
    static func path(inInfo info: String) -> String? {
        for word in info.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
            var candidate = Substring(word)
            for key in ["title=", "filename=", "file=", "path="] where candidate.lowercased().hasPrefix(key) {
                candidate = candidate.dropFirst(key.count)
            }
            if candidate.count >= 2, let quote = candidate.first, quote == "\"" || quote == "'", candidate.last == quote {
                candidate = candidate.dropFirst().dropLast()
            }
            // `python:src/a.py`: a language, a colon, the path.
            if let colon = candidate.firstIndex(of: ":"), !candidate[..<colon].contains("/") {
                let rest = candidate[candidate.index(after: colon)...]
                if looksLikePath(stripDotSlash(rest)) { return stripDotSlash(rest) }
            }
            if looksLikePath(stripDotSlash(candidate)) { return stripDotSlash(candidate) }
        }
        return nil
    }

    /// The path on the first line inside a fence: a comment holding only the path
    /// (`# src/a.py`, `// src/a.py`, `-- src/a.py`, `<!-- src/a.py -->`, `/* src/a.py */`,
    /// optionally with a `File:` label), or a line that is only a path. A bare line must name
    /// a directory or a common source extension, since code such as `self.x` also has a dot.
    static func path(onFirstLine line: String, info: String) -> String? {
        var text = line.trimmingBlanks
        var comment = false
        for (open, close) in [("<!--", "-->"), ("/*", "*/")] where text.hasPrefix(open) && text.hasSuffix(close) && text.count > open.count + close.count {
            text = text.dropFirst(open.count).dropLast(close.count)
            comment = true
        }
        if !comment {
            for opener in ["//", "#", "--", ";", "%"] where text.hasPrefix(opener + " ") {
                text = text.dropFirst(opener.count)
                comment = true
                break
            }
        }
        guard let (word, _) = undecorate(String(text)), looksLikePath(word) else { return nil }
        if comment { return word }
        // In a shell block a lone `./run.sh` or `bin/setup` is a command, not a file name.
        let language = info.split(separator: " ").first.map { $0.lowercased() } ?? ""
        guard !shellLanguages.contains(language), !text.hasPrefix("./") else { return nil }
        if word.contains("/") { return word }
        guard let dot = word.lastIndex(of: "."), commonExtensions.contains(word[word.index(after: dot)...].lowercased()) else { return nil }
        return word
    }

    /// The word `line` holds once decoration is removed, and whether there was any (other than
    /// backticks, which the older rule already allowed); nil when it is not one word.
    static func undecorate(_ line: String) -> (word: String, decorated: Bool)? {
        var text = line.trimmingBlanks
        var decorated = false
        if text.hasPrefix("#") {
            let hashes = text.prefix { $0 == "#" }.count
            let rest = text.dropFirst(hashes)
            if hashes <= 6, rest.first == " " || rest.first == "\t" {
                text = rest.trimmingBlanks
                decorated = true
            }
        }
        // A list item: "- src/a.py", "1. **src/a.py**" (multi-file answers number their files).
        if let marker = listMarker(of: text) {
            text = text.dropFirst(marker).trimmingBlanks
            decorated = true
        }
        var changed = true
        while changed, !text.isEmpty {
            changed = false
            if text.hasSuffix(":") {
                text = text.dropLast().trimmingBlanks
                decorated = true
                changed = true
            }
            for pair in ["**", "__", "`", "*", "_"] where text.count > 2 * pair.count && text.hasPrefix(pair) && text.hasSuffix(pair) {
                text = text.dropFirst(pair.count).dropLast(pair.count).trimmingBlanks
                decorated = decorated || pair != "`"
                changed = true
                break
            }
            if let label = labelPrefix(of: text) {
                text = text.dropFirst(label).trimmingBlanks
                decorated = true
                changed = true
            }
        }
        let stripped = stripDotSlash(text)
        if stripped.count != text.count { decorated = true }
        guard !stripped.isEmpty, !stripped.contains(where: { $0.isWhitespace || $0 == "`" }),
              Fence(opening: stripped) == nil, !stripped.allSatisfy({ $0 == "~" }), Marker(indented: stripped) == nil
        else { return nil }
        // The older rule: a plain word ending with a colon introduces something, it names nothing.
        if decorated, stripped.hasSuffix(":") { return nil }
        return (stripped, decorated)
    }

    /// How many characters of `text` are a list marker and the space after it.
    private static func listMarker(of text: Substring) -> Int? {
        for bullet in ["- ", "* ", "+ "] where text.hasPrefix(bullet) { return bullet.count }
        let digits = text.prefix { $0.isASCII && $0.isNumber }.count
        guard digits > 0, digits <= 3 else { return nil }
        let rest = text.dropFirst(digits)
        guard let mark = rest.first, mark == "." || mark == ")", rest.dropFirst().first == " " else { return nil }
        return digits + 2
    }

    /// How many characters of `text` are a `File:`-like label, with any emphasis around it.
    private static func labelPrefix(of text: Substring) -> Int? {
        let lower = text.lowercased()
        for label in ["filename", "file name", "file path", "filepath", "file", "path"] {
            for emphasis in ["", "**", "__", "*", "_"] {
                for form in [emphasis + label + ":" + emphasis, emphasis + label + emphasis + ":"] where lower.hasPrefix(form) {
                    let rest = lower.dropFirst(form.count)
                    if rest.isEmpty || rest.first == " " || rest.first == "\t" || rest.first == "`" || rest.first == "*" || rest.first == "_" {
                        return form.count
                    }
                }
            }
        }
        return nil
    }

    private static func stripDotSlash(_ text: Substring) -> String {
        var text = text
        while text.hasPrefix("./") { text = text.dropFirst(2) }
        return String(text)
    }

    static let shellLanguages: Set<String> = ["sh", "bash", "zsh", "fish", "shell", "console", "terminal", "shell-session", "ps", "powershell", "ps1", "cmd", "bat"]

    /// Names that are files though they have neither an extension nor a directory.
    static let knownNames: Set<String> = [
        "Makefile", "makefile", "GNUmakefile", "Dockerfile", "Containerfile", "Gemfile", "Rakefile", "Procfile",
        "Justfile", "justfile", "Vagrantfile", "Jenkinsfile", "Podfile", "Brewfile", "LICENSE", "README", "CODEOWNERS",
    ]

    static let commonExtensions: Set<String> = [
        "c", "h", "cc", "cpp", "cxx", "hpp", "hh", "m", "mm", "swift", "rs", "go", "py", "pyi", "rb", "php", "java", "kt",
        "kts", "scala", "cs", "fs", "js", "jsx", "mjs", "cjs", "ts", "tsx", "vue", "svelte", "lua", "pl", "pm", "r", "jl",
        "ex", "exs", "erl", "hs", "ml", "mli", "clj", "dart", "zig", "nim", "sh", "bash", "zsh", "fish", "ps1", "sql",
        "html", "htm", "css", "scss", "sass", "less", "xml", "json", "yaml", "yml", "toml", "ini", "cfg", "conf", "md",
        "rst", "txt", "csv", "gradle", "cmake", "mk", "proto", "graphql", "tf", "nix", "lock", "env",
    ]

    /// True when `word` reads as a relative file path: letters, digits and `._-/+@` only, not
    /// absolute, no `..` or empty segment, and a `/`, an extension with a letter in it, a
    /// dotfile name or a well-known name such as `Makefile`.
    static func looksLikePath(_ word: String) -> Bool {
        guard !word.isEmpty, !word.hasPrefix("/"), !word.hasPrefix("~"),
              word.allSatisfy({ $0.isLetter || $0.isNumber || "._-/+@".contains($0) })
        else { return false }
        let segments = word.split(separator: "/", omittingEmptySubsequences: false)
        guard !segments.contains(where: { $0.isEmpty || $0 == ".." || $0 == "." }) else { return false }
        let name = segments.last ?? ""
        if knownNames.contains(String(name)) { return true }
        if let dot = name.lastIndex(of: ".") {
            let stem = name[..<dot]
            let ext = name[name.index(after: dot)...]
            let extensionOK = !ext.isEmpty && ext.count <= 12 && ext.contains(where: \.isLetter)
                && ext.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
            if extensionOK, !stem.isEmpty, stem.contains(where: { $0.isLetter || $0.isNumber }) { return true }
            if extensionOK, stem.isEmpty { return true }   // a dotfile: .gitignore, .env
        }
        return segments.count > 1 && name.contains(where: \.isLetter)
    }
}
