/// Which repository-relative paths the model may write (DESIGN.md §5: the path sandbox).
///
/// The checks here need only the text of the path. Whether a symbolic link on the way leads
/// out of the worktree needs the file system, so ConductorKit checks that before it reads or
/// writes anything, and feeds the result in as ``PathViolation/symlinkEscape(_:)``.
public struct PathPolicy: Sendable, Equatable, Codable {
    /// Paths the model may never write, from configuration.
    public var protectedPatterns: [GlobPattern]

    public init(protectedPatterns: [GlobPattern] = []) {
        self.protectedPatterns = protectedPatterns
    }

    /// A policy protecting the paths matched by `patterns` (see ``GlobPattern``).
    public init(protected patterns: [String]) {
        self.init(protectedPatterns: patterns.map(GlobPattern.init))
    }

    enum CodingKeys: String, CodingKey {
        case protected
    }

    /// Stored as the patterns' text, as configured.
    public init(from decoder: any Decoder) throws {
        let patterns = try decoder.container(keyedBy: CodingKeys.self).decode([String].self, forKey: .protected)
        self.init(protected: patterns)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(protectedPatterns.map(\.text), forKey: .protected)
    }

    /// The longest path segment most file systems accept, in bytes.
    static let maxSegmentBytes = 255

    /// Characters Windows does not allow in file names. Refusing them keeps the repository
    /// portable, and it also catches the usual accidents: `C:` drive letters, and Markdown
    /// decoration such as `**src/a.swift**` taken for part of a path.
    static let unportable: Set<Character> = ["<", ">", ":", "\"", "|", "?", "*"]

    /// Why `path` may not be written, or nil when it may.
    public func violation(for path: String) -> PathViolation? {
        if let violation = Self.shapeViolation(path) { return violation }
        if let pattern = protectedPatterns.first(where: { $0.matches(path) }) {
            return .protected(pattern: pattern.text)
        }
        return nil
    }

    /// Everything but the protected patterns: checks that hold for every repository.
    static func shapeViolation(_ path: String) -> PathViolation? {
        guard !path.isEmpty else { return .malformed("The path is empty.") }
        if path.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return .malformed("The path contains a control character.")
        }
        if path.hasPrefix("/") || path.hasPrefix("\\") { return .absolute }
        if let first = path.unicodeScalars.first, first.isASCIILetter, path.unicodeScalars.dropFirst().first == ":" {
            return .absolute
        }
        if path == "~" || path.hasPrefix("~/") { return .absolute }
        if path.contains("\\") { return .malformed("The path contains a backslash; separate directories with /.") }
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        if segments.contains("..") { return .parentSegment }
        if segments.contains(where: \.isEmpty) {
            return .malformed("The path has an empty segment (a leading, doubled or trailing /).")
        }
        if segments.contains(".") { return .malformed("The path has a '.' segment; write it without ./.") }
        if segments.contains(where: isGitName) { return .gitDirectory }
        if let bad = path.first(where: unportable.contains) {
            return .malformed("The path contains '\(bad)', which is not allowed in file names on every system.")
        }
        if segments.contains(where: { $0.utf8.count > maxSegmentBytes }) {
            return .malformed("A segment of the path is longer than \(maxSegmentBytes) bytes.")
        }
        return nil
    }

    /// True for a segment that names git's directory on some file system: `.git` in any case,
    /// with the trailing dots and spaces Windows ignores, with the invisible code points macOS
    /// ignores, or as the Windows short name `git~1`. Git refuses the same names in trees.
    public static func isGitName(_ segment: Substring) -> Bool {
        var scalars = String.UnicodeScalarView(segment.unicodeScalars.filter { !ignorableOnHFS.contains($0.value) })
        while let last = scalars.last, last == " " || last == "." { scalars.removeLast() }
        let name = String(scalars).lowercased()
        return name == ".git" || name == "git~1"
    }

    /// Code points HFS+ drops when comparing names (the list git's `is_hfs_dotgit` uses).
    private static let ignorableOnHFS: Set<UInt32> = [
        0x200C, 0x200D, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E,
        0x206A, 0x206B, 0x206C, 0x206D, 0x206E, 0x206F, 0xFEFF,
    ]
}

/// Why a path was refused.
public enum PathViolation: Sendable, Equatable {
    /// An absolute path: `/etc/passwd`, `C:\x`, `~/x`.
    case absolute
    /// A `..` segment.
    case parentSegment
    /// Not a plain relative path; the text says what is wrong, in sentences.
    case malformed(String)
    /// `.git` or anything in it.
    case gitDirectory
    /// Matches a protected pattern from configuration.
    case protected(pattern: String)
    /// A symbolic link on the way leads outside the worktree or into `.git`; the text says which.
    case symlinkEscape(String)
    /// The path names something that cannot be edited as text; the text says what.
    case unsupportedFile(String)
    /// Two paths in the answer name the same file, or one is a directory of the other.
    case conflict(String)

    /// The feedback reason for this violation.
    public var reason: EditProblem.Reason {
        switch self {
        case .absolute, .parentSegment: .outsideRepository
        case .malformed: .invalidPath
        case .gitDirectory: .gitDirectory
        case .protected: .protectedPath
        case .symlinkEscape: .symlinkEscape
        case .unsupportedFile: .unsupportedFile
        case .conflict: .pathConflict
        }
    }

    /// What is wrong and what to do, in sentences for the model.
    public var explanation: String {
        switch self {
        case .absolute: "The path is absolute; write paths relative to the repository root."
        case .parentSegment: "The path contains '..'; write paths from the repository root without '..'."
        case .malformed(let why): why
        case .gitDirectory: "Files in .git belong to git and may not be edited."
        case .protected(let pattern): "The path is protected by the pattern '\(pattern)' in the configuration; leave it unchanged."
        case .symlinkEscape(let why): why
        case .unsupportedFile(let why): why
        case .conflict(let why): why
        }
    }
}

extension Unicode.Scalar {
    fileprivate var isASCIILetter: Bool {
        ("a"..."z").contains(self) || ("A"..."Z").contains(self)
    }
}
