import ConductorDomain
import Testing

@Suite("Verification: the first word of a command line")
struct VerificationShellWordsTests {
    @Test("finds the program a command line starts", arguments: [
        ("swift test", ShellProgram.word("swift")),
        ("  ./gradlew check", .word("./gradlew")),
        ("CI=1 FOO='a b' make test", .word("make")),
        ("\"my tool\" --flag", .word("my tool")),
        ("'bin/run tests.sh'", .word("bin/run tests.sh")),
        ("sw\\ ift build", .word("sw ift")),
        ("true", .word("true")),
        ("[ -f Package.swift ] && swift build", .word("[")),
        ("(cd sub && make)", .word("(")),
        ("# build first\nswift build", .word("swift")),
        ("2>/dev/null swift test", .word("swift")),
        (">log.txt swift test", .word("swift")),
        ("~/bin/tool run", .word("~/bin/tool")),
        ("$PYTHON -m pytest", .expansion("$PYTHON")),
        ("`which swift` test", .expansion("`which swift`")),
        ("$(command -v swift) test", .expansion("$(command -v swift)")),
        ("\"$HOME/bin/x\" run", .expansion("\"$HOME/bin/x\"")),
        ("./run*.sh", .expansion("./run*.sh")),
        ("", .none),
        ("   \n  ", .none),
        ("FOO=bar", .none),
        ("; ls", .none),
    ] as [(String, ShellProgram)])
    func firstProgram(commandLine: String, expected: ShellProgram) {
        #expect(ShellWords.firstProgram(of: commandLine) == expected)
    }

    @Test("knows the built-ins and reserved words every /bin/sh has")
    func builtins() {
        for word in ["true", "false", "test", "[", "cd", "exit", ":", ".", "if", "!", "{", "("] {
            #expect(ShellWords.isBuiltin(word), "\(word)")
        }
        for word in ["swift", "make", "[[", "sudo"] {
            #expect(!ShellWords.isBuiltin(word), "\(word)")
        }
    }
}
