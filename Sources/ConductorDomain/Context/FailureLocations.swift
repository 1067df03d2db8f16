/// Finds the places a failure output points at — compiler errors, stack traces, test
/// assertions — and resolves them to files of the repository. The file a failure names is
/// the file most likely to need the fix (or the test that shows it), so these come first in
/// the prompt, shown around the line named.
///
/// Recognised: `path:line` and `path:line:column` anywhere (compilers, pytest, Go, Swift,
/// Rust's `--> path:line:col`, Node's `(path:line:col)`), Python's `File "path", line N`,
/// pytest's `path::test_name` (a file without a line), and Java's `(Name.java:42)` frames,
/// which name only the file.
public enum FailureLocations {
    public struct Location: Sendable, Equatable {
        public let path: String
        public let line: Int
    }

    /// The repository files `output` names, in order of first mention, each with every line
    /// named in it. `paths` are the repository's files; a path in the output matches the
    /// repository file it ends with (absolute paths from a worktree, `./` prefixes and build
    /// directories do not matter).
    public static func find(in output: String, paths: [String]) -> [(path: String, lines: [Int])] {
        let resolver = PathResolver(paths: paths)
        var order: [String] = []
        var lines: [String: [Int]] = [:]
        for mention in mentions(in: output) {
            guard let path = resolver.resolve(mention.path) else { continue }
            if lines[path] == nil {
                order.append(path)
                lines[path] = []
            }
            if mention.line > 0, !(lines[path]?.contains(mention.line) ?? false) { lines[path]?.append(mention.line) }
        }
        return order.map { ($0, lines[$0] ?? []) }
    }

    /// Repository files a task names: a path, or a file name that only one file has.
    public static func paths(namedIn text: String, among paths: [String]) -> [String] {
        let resolver = PathResolver(paths: paths)
        var found: [String] = []
        let words = text.split { !($0.isLetter || $0.isNumber || "_./-".contains($0)) }
        for word in words {
            // Sentence punctuation around a path is not part of it.
            let trimmed = String(word.trimmingCharacters(in: "./-"))
            guard trimmed.contains("."), let path = resolver.resolve(trimmed), !found.contains(path) else { continue }
            found.append(path)
        }
        return found
    }

    /// Every `(path text, line)` the output mentions, unresolved.
    static func mentions(in output: String) -> [Location] {
        var found: [Location] = []
        for line in output.split(separator: "\n", omittingEmptySubsequences: true) {
            if let python = pythonFrame(line) { found.append(python); continue }
            found += colonReferences(line)
        }
        return found
    }

    /// `File "src/app.py", line 42, in handler`
    private static func pythonFrame(_ line: Substring) -> Location? {
        guard let fileRange = line.firstRange(of: "File \""), let close = line[fileRange.upperBound...].firstIndex(of: "\"") else { return nil }
        let path = String(line[fileRange.upperBound..<close])
        let rest = line[close...]
        guard let lineRange = rest.firstRange(of: "line ") else { return nil }
        let digits = rest[lineRange.upperBound...].prefix(while: \.isNumber)
        guard let number = Int(digits), number > 0 else { return nil }
        return Location(path: path, line: number)
    }

    /// Tokens of the form `<path>:<line>` where the path has an extension; surrounding
    /// brackets, quotes and `at`/`-->` markers are ignored.
    private static func colonReferences(_ line: Substring) -> [Location] {
        var found: [Location] = []
        let characters = Array(line)
        var index = 0
        while index < characters.count {
            // pytest's node ids, `tests/test_x.py::test_name`, name a file without a line.
            if characters[index] == ":", index + 1 < characters.count, characters[index + 1] == ":" {
                var start = index
                while start > 0, isPathCharacter(characters[start - 1]) { start -= 1 }
                let path = String(characters[start..<index])
                if looksLikeFile(path) { found.append(Location(path: path, line: 0)) }
                index += 2
                continue
            }
            guard characters[index] == ":", index > 0,
                  index + 1 < characters.count, characters[index + 1].isNumber else { index += 1; continue }
            var start = index
            while start > 0, isPathCharacter(characters[start - 1]) { start -= 1 }
            var end = index + 1
            while end < characters.count, characters[end].isNumber { end += 1 }
            let path = String(characters[start..<index])
            if let number = Int(String(characters[(index + 1)..<end])), number > 0, looksLikeFile(path) {
                found.append(Location(path: path, line: number))
            }
            index = end
        }
        return found
    }

    private static func isPathCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || "/._-+@~\\".contains(character)
    }

    /// A name with an extension of letters (`x.py`, `Foo.swift`), not a time or a version.
    private static func looksLikeFile(_ path: String) -> Bool {
        guard let dot = path.lastIndex(of: "."), dot != path.startIndex else { return false }
        let ext = path[path.index(after: dot)...]
        return !ext.isEmpty && ext.count <= 10 && ext.allSatisfy(\.isLetter) && path[..<dot].contains(where: \.isLetter)
    }
}

/// Maps a path as a tool printed it to a repository file: exact, else the repository path
/// it ends with (on a `/` boundary), preferring the longest such match; a bare file name
/// (Java frames) matches when exactly one repository file has that name.
struct PathResolver {
    private let paths: Set<String>
    private let byName: [Substring: [String]]

    init(paths: [String]) {
        self.paths = Set(paths)
        var byName: [Substring: [String]] = [:]
        for path in paths {
            let name = path.split(separator: "/").last ?? Substring(path)
            byName[name, default: []].append(path)
        }
        self.byName = byName
    }

    func resolve(_ text: String) -> String? {
        var path = text.replacingBackslashes
        while path.hasPrefix("./") { path.removeFirst(2) }
        if paths.contains(path) { return path }
        let components = path.split(separator: "/")
        guard let name = components.last, let candidates = byName[name] else { return nil }
        // The candidate sharing the longest run of trailing components with the text.
        var best: (path: String, shared: Int)?
        for candidate in candidates {
            let parts = candidate.split(separator: "/")
            var shared = 0
            while shared < parts.count, shared < components.count,
                  parts[parts.count - 1 - shared] == components[components.count - 1 - shared] { shared += 1 }
            guard shared == parts.count || components.count == 1 || shared >= 2 else { continue }
            if best == nil || shared > best!.shared { best = (candidate, shared) } else if shared == best!.shared { best = nil; break }
        }
        if components.count == 1, candidates.count > 1 { return nil }
        return best?.path
    }
}

extension String {
    fileprivate var replacingBackslashes: String {
        String(map { $0 == "\\" ? "/" : $0 })
    }
}
