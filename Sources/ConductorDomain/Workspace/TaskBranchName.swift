/// The name of a run's task branch, such as `conductor/fix-login-timeout-9k2xqp`, checked
/// against the rules of git that matter to us (``problem(with:)``).
///
/// The name is the short form (without `refs/heads/`), as `run.json` stores it in `task_branch`.
/// Names are deliberately narrower than what git accepts: only `[A-Za-z0-9._/-]`, so a branch
/// name can never smuggle in an option (`--force`), a path escape (`..`), a reflog expression
/// (`@{`), whitespace, or characters that terminals, file systems and remotes disagree about.
public struct TaskBranchName: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Every task branch lives under this prefix, so the conductor's branches never mix with
    /// the user's.
    public static let prefix = "conductor/"
    /// The longest name accepted, in bytes: long enough for any name the conductor makes
    /// (at most 57), short enough for every file system and hosting service.
    public static let maximumLength = 100
    /// The longest slug taken from a prompt.
    public static let maximumSlugLength = 40
    /// The slug used when the prompt's first line holds nothing usable.
    public static let fallbackSlug = "task"

    /// The short branch name, without `refs/heads/`.
    public let rawValue: String

    /// Validates `name` as a branch name; returns nil when ``problem(with:)`` finds one.
    public init?(_ name: String) {
        guard Self.problem(with: name) == nil else { return nil }
        rawValue = name
    }

    /// Validates `name` as a branch name, saying what is wrong with it when it is not one.
    public init(validating name: String) throws(BranchNameProblem) {
        if let problem = Self.problem(with: name) { throw problem }
        rawValue = name
    }

    /// The task branch for a run: `conductor/<slug>-<tag>`, the slug from the prompt's first
    /// line (``slug(from:)``) and the tag the run id's random tail (``RunID/shortTag``), so two
    /// runs with the same prompt still get different branches.
    public init(prompt: String, run: RunID) {
        let name = "\(Self.prefix)\(Self.slug(from: prompt))-\(run.shortTag)"
        // A slug is [a-z0-9-] without leading, trailing or doubled dashes, and a tag is base32:
        // the result always passes validation, so a failure here is a bug in this file.
        precondition(Self.problem(with: name) == nil, "generated an invalid branch name \(name)")
        rawValue = name
    }

    /// The full reference name, `refs/heads/<name>`.
    public var reference: String { "refs/heads/" + rawValue }

    /// Whether the name is under ``prefix``, as every branch the conductor makes is.
    public var isConductorBranch: Bool { rawValue.hasPrefix(Self.prefix) }

    public var description: String { rawValue }

    public static func < (lhs: TaskBranchName, rhs: TaskBranchName) -> Bool { lhs.rawValue < rhs.rawValue }

    // MARK: Slugs

    /// A short, readable, safe rendering of a prompt's first non-blank line: lowercased, every
    /// run of characters other than ASCII letters and digits turned into one `-`, trimmed of
    /// dashes, and cut to at most ``maximumSlugLength`` characters at a word boundary when
    /// that keeps at least half of them. Common accented Latin letters are folded to their
    /// ASCII base first (`café` → `cafe`); anything else outside ASCII acts as a separator.
    /// Falls back to ``fallbackSlug`` when nothing usable is left.
    ///
    /// The work is bounded by the slug's length, not the prompt's: a 10 000-character line is
    /// read only as far as the slug needs.
    public static func slug(from prompt: String) -> String {
        var words: [String] = []
        var word = ""
        var length = 0  // characters in `words`, with one separator between them
        func flush() {
            guard !word.isEmpty else { return }
            length += (words.isEmpty ? 0 : 1) + word.count
            words.append(word)
            word = ""
        }
        var started = false
        for character in prompt {
            if character.isNewline {
                if started { break }
                continue
            }
            if !started, character.isWhitespace { continue }
            started = true
            if let folded = fold(character) {
                word += folded
            } else {
                flush()
            }
            // One character past the budget is enough to decide where to cut.
            if length + (words.isEmpty ? 0 : 1) + word.count > maximumSlugLength + 1 { break }
        }
        flush()
        return fit(words)
    }

    /// Joins words with `-` within ``maximumSlugLength``: whole words while they fit; a word
    /// that does not fit is cut only if the whole words so far would use less than half of
    /// the budget (a single 60-letter word still gives a useful slug).
    static func fit(_ words: [String]) -> String {
        var slug = ""
        for word in words {
            let candidate = slug.isEmpty ? word : slug + "-" + word
            if candidate.count <= maximumSlugLength {
                slug = candidate
                continue
            }
            if slug.count < maximumSlugLength / 2 {
                slug = String(candidate.prefix(maximumSlugLength))
                while slug.hasSuffix("-") { slug.removeLast() }
            }
            break
        }
        return slug.isEmpty ? fallbackSlug : slug
    }

    /// The lowercase ASCII spelling of a letter or digit, or nil for a separator.
    static func fold(_ character: Character) -> String? {
        if let ascii = character.asciiValue {
            switch ascii {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return String(character)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                return String(UnicodeScalar(ascii + 32))
            default:
                return nil
            }
        }
        // Character comparison is canonical, so a decomposed `e` + U+0301 finds `é` here too.
        return latinFolding[character] ?? character.lowercased().first.flatMap { latinFolding[$0] }
    }

    /// Accented Latin letters (Latin-1 Supplement and Latin Extended-A, lowercase) and the
    /// ASCII letters they fold to.
    static let latinFolding: [Character: String] = {
        let groups: [(String, String)] = [
            ("àáâãäåāăą", "a"), ("çćĉċč", "c"), ("ďđð", "d"), ("èéêëēĕėęě", "e"), ("ĝğġģ", "g"),
            ("ĥħ", "h"), ("ìíîïĩīĭįı", "i"), ("ĵ", "j"), ("ķ", "k"), ("ĺļľŀł", "l"), ("ñńņňŉ", "n"),
            ("òóôõöøōŏő", "o"), ("ŕŗř", "r"), ("śŝşš", "s"), ("ţťŧ", "t"), ("ùúûüũūŭůűų", "u"),
            ("ŵ", "w"), ("ýÿŷ", "y"), ("źżž", "z"), ("ß", "ss"), ("æ", "ae"), ("œ", "oe"),
            ("þ", "th"), ("ĳ", "ij"),
        ]
        var table: [Character: String] = [:]
        for (letters, ascii) in groups {
            for letter in letters { table[letter] = ascii }
        }
        return table
    }()

    // MARK: Validation

    /// What is wrong with `name` as a task branch name, or nil when nothing is.
    ///
    /// The rules: at most ``maximumLength`` bytes; only `[A-Za-z0-9._/-]`; no `..`; no empty
    /// component (a leading or trailing `/`, or `//`); no component starting with `.` or `-`;
    /// no component ending in `.lock`; no trailing `.`; and not `HEAD`. These are git's rules
    /// (`git check-ref-format --branch`) restricted to a safe alphabet.
    public static func problem(with name: String) -> BranchNameProblem? {
        if name.isEmpty { return .empty }
        let length = name.utf8.count
        if length > maximumLength { return .tooLong(length: length) }
        if let bad = name.first(where: { !isAllowed($0) }) { return .forbiddenCharacter(bad) }
        if name.contains("..") { return .consecutiveDots }
        if name == "HEAD" { return .reserved }
        if name.hasSuffix(".") { return .trailingDot }
        for component in name.split(separator: "/", omittingEmptySubsequences: false) {
            if component.isEmpty { return .emptyComponent }
            if component.hasPrefix(".") { return .componentStartsWithDot(String(component)) }
            if component.hasPrefix("-") { return .componentStartsWithDash(String(component)) }
            if component.hasSuffix(".lock") { return .lockSuffix(String(component)) }
        }
        return nil
    }

    private static func isAllowed(_ character: Character) -> Bool {
        guard let ascii = character.asciiValue else { return false }
        switch ascii {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "/"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }
}

/// Why a string is not an acceptable branch name.
public enum BranchNameProblem: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case tooLong(length: Int)
    case forbiddenCharacter(Character)
    case consecutiveDots
    case emptyComponent
    case componentStartsWithDot(String)
    case componentStartsWithDash(String)
    case lockSuffix(String)
    case trailingDot
    case reserved

    public var description: String {
        switch self {
        case .empty: "it is empty"
        case .tooLong(let length): "it is \(length) bytes long; at most \(TaskBranchName.maximumLength) are allowed"
        case .forbiddenCharacter(let character):
            "it contains \(Self.quote(character)); only letters, digits, '.', '_', '/' and '-' are allowed"
        case .consecutiveDots: "it contains '..'"
        case .emptyComponent: "it has an empty path component (a leading or trailing '/', or '//')"
        case .componentStartsWithDot(let component): "its component '\(component)' starts with '.'"
        case .componentStartsWithDash(let component): "its component '\(component)' starts with '-'"
        case .lockSuffix(let component): "its component '\(component)' ends with '.lock'"
        case .trailingDot: "it ends with '.'"
        case .reserved: "'HEAD' is reserved"
        }
    }

    /// Printable characters as themselves, others as their code points, so an error message
    /// never carries a control character to the terminal.
    private static func quote(_ character: Character) -> String {
        let scalars = character.unicodeScalars
        if scalars.count == 1, let scalar = scalars.first, scalar.value >= 0x21, scalar.value < 0x7f {
            return "'\(character)'"
        }
        return scalars.map { "U+" + String($0.value, radix: 16, uppercase: true) }.joined(separator: " ")
    }
}
