import ConductorDomain
import Testing

@Suite("Edit path policy")
struct EditPathPolicyTests {
    static let policy = PathPolicy(protected: ["*.lock", "secrets/**", ".github/workflows/*", "config/prod.yml", "vendor/"])

    @Test("plain relative paths are allowed", arguments: [
        "a.txt",
        "src/app/main.swift",
        ".gitignore",
        ".gitattributes",
        ".github/dependabot.yml",
        "docs/.git-notes",
        "dir.git/x",
        "a..b",
        "...",
        ".hidden/file",
        "git",
        "Cargo.lock.md",
        "secrets",
        "a/secrets/key.pem",
        "vendor",
        "config/prod.yml.example",
        "ünïcödé/файл.txt",
    ])
    func allowed(path: String) {
        #expect(Self.policy.violation(for: path) == nil)
    }

    @Test("paths outside the repository, into .git, malformed or protected are refused", arguments: [
        ("/etc/passwd", .outsideRepository),
        ("/", .outsideRepository),
        ("C:\\x", .outsideRepository),
        ("C:/x", .outsideRepository),
        ("c:x", .outsideRepository),
        ("\\\\server\\share\\x", .outsideRepository),
        ("~/.ssh/authorized_keys", .outsideRepository),
        ("~", .outsideRepository),
        ("..", .outsideRepository),
        ("../x", .outsideRepository),
        ("a/../b", .outsideRepository),
        ("a/b/..", .outsideRepository),
        ("", .invalidPath),
        ("a//b", .invalidPath),
        ("a/", .invalidPath),
        ("./a", .invalidPath),
        ("a/./b", .invalidPath),
        (".", .invalidPath),
        ("a\\b", .invalidPath),
        ("a\u{0}b", .invalidPath),
        ("a\tb", .invalidPath),
        ("a\u{7F}", .invalidPath),
        ("**src/a.swift**", .invalidPath),
        ("what?.txt", .invalidPath),
        ("ab:c", .invalidPath),
        ("a|b", .invalidPath),
        (String(repeating: "x", count: 256), .invalidPath),
        (".git", .gitDirectory),
        (".git/config", .gitDirectory),
        (".git/hooks/pre-commit", .gitDirectory),
        (".GIT/config", .gitDirectory),
        (".Git/HEAD", .gitDirectory),
        ("sub/.git/config", .gitDirectory),
        ("sub/.git", .gitDirectory),
        (".git./config", .gitDirectory),
        (".git /config", .gitDirectory),
        (".git. . /config", .gitDirectory),
        ("GIT~1/config", .gitDirectory),
        (".g\u{200C}it/config", .gitDirectory),
        ("\u{FEFF}.git/config", .gitDirectory),
        ("Cargo.lock", .protectedPath),
        ("web/yarn.lock", .protectedPath),
        ("secrets/key.pem", .protectedPath),
        ("secrets/deep/er/key", .protectedPath),
        ("SECRETS/key.pem", .protectedPath),
        (".github/workflows/ci.yml", .protectedPath),
        (".github/workflows/sub/x.yml", .protectedPath),
        ("config/prod.yml", .protectedPath),
        ("config/prod.yml/inside", .protectedPath),
        ("vendor/lib.c", .protectedPath),
        ("third_party/vendor/lib.c", .protectedPath),
    ] as [(String, EditProblem.Reason)])
    func refused(path: String, reason: EditProblem.Reason) {
        #expect(Self.policy.violation(for: path)?.reason == reason)
    }

    @Test("the protected pattern is named, so the model knows which rule it hit")
    func namesPattern() {
        #expect(Self.policy.violation(for: "secrets/a") == .protected(pattern: "secrets/**"))
        #expect(Self.policy.violation(for: "secrets/a")?.explanation.contains("'secrets/**'") == true)
    }

    @Test("every violation explains itself in one sentence for the model")
    func explanations() {
        let violations: [PathViolation] = [
            .absolute, .parentSegment, .malformed("x"), .gitDirectory, .protected(pattern: "p"),
            .symlinkEscape("s"), .unsupportedFile("u"), .conflict("c"),
        ]
        for violation in violations {
            #expect(!violation.explanation.isEmpty)
            #expect(!violation.explanation.contains("\n"))
        }
        #expect(Set(violations.map(\.reason)).count == violations.count - 1)
    }
}

@Suite("Edit glob patterns")
struct EditGlobTests {
    @Test("within a segment: * matches any run, ? one character", arguments: [
        ("*", "abc", true),
        ("a*c", "abbbc", true),
        ("a*c", "ac", true),
        ("a*c", "ab", false),
        ("a?c", "abc", true),
        ("a?c", "ac", false),
        ("*.swift", "main.swift", true),
        ("*.swift", ".swift", true),
        ("*.swift", "main.swift.orig", false),
        ("a*b*c", "axxbyyc", true),
        ("a*b*c", "axxbyyd", false),
        ("*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false),
        ("", "a", false),
        ("*", "", false),
    ])
    func segment(pattern: String, name: String, matches: Bool) {
        #expect(GlobPattern(pattern).matches(name) == matches)
    }

    @Test("across segments: ** spans any number of them, anchoring follows .gitignore", arguments: [
        ("**/*.pem", "a.pem", true),
        ("**/*.pem", "x/y/a.pem", true),
        ("a/**/b", "a/b", true),
        ("a/**/b", "a/x/b", true),
        ("a/**/b", "a/x/y/b", true),
        ("a/**/b", "a/x/c", false),
        ("a/**", "a/x", true),
        ("a/**", "a", false),
        ("**/a/**", "x/a/y", true),
        ("**/a/**", "x/a", false),
        ("**", "anything/at/all", true),
        ("/top.txt", "top.txt", true),
        ("/top.txt", "sub/top.txt", false),
        ("top.txt", "sub/top.txt", true),
        ("docs/*.md", "docs/a.md", true),
        ("docs/*.md", "docs/sub/a.md", false),
        ("docs/*.md", "other/docs/a.md", false),
        ("build/", "build/out.o", true),
        ("build/", "build", false),
        ("build", "build", true),
        ("build", "src/build/x", true),
        ("a**b", "axyb", true),
        ("a**b", "ax/yb", false),
        ("Makefile", "makefile", true),
        ("/", "x", false),
    ])
    func path(pattern: String, path: String, matches: Bool) {
        #expect(GlobPattern(pattern).matches(path) == matches)
    }
}
