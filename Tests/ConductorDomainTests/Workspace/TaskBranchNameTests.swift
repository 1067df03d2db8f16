import ConductorDomain
import Testing

/// A run id whose short tag is `9k2xqp`.
private let run = runID("01hf7yat00aaaaaaaaaa9k2xqp")

@Suite("TaskBranchName")
struct TaskBranchNameTests {
    @Test("slugs come from the prompt's first non-blank line", arguments: [
        ("Fix the login timeout", "fix-the-login-timeout"),
        ("Fix the login timeout\n\nMore detail on the second line", "fix-the-login-timeout"),
        ("\n\n   \n  Add a --verbose flag  \nbody", "add-a-verbose-flag"),
        ("Fix bug #123: NULL deref in parse()", "fix-bug-123-null-deref-in-parse"),
        ("snake_case and dots.in.names", "snake-case-and-dots-in-names"),
        ("UPPER Case", "upper-case"),
        ("line one\r\nline two", "line-one"),
        ("tabs\tand  spaces", "tabs-and-spaces"),
    ])
    func slugs(prompt: String, slug: String) {
        #expect(TaskBranchName.slug(from: prompt) == slug)
    }

    @Test("hostile prompts give safe slugs", arguments: [
        ("../../etc/passwd", "etc-passwd"),
        ("--force", "force"),
        ("-rf /", "rf"),
        ("refs/heads/main", "refs-heads-main"),
        ("a.lock", "a-lock"),
        ("HEAD", "head"),
        ("@{-1}", "1"),
        ("$(rm -rf ~); `id`", "rm-rf-id"),
        ("name\u{0}with\u{7}controls\u{1b}[31m", "name-with-controls-31m"),
        ("branch..name//x", "branch-name-x"),
        ("...", "task"),
        ("!!! ??? ///", "task"),
        ("", "task"),
        ("   \n\t\n", "task"),
        ("🚀🔥", "task"),
        ("修复登录错误", "task"),
        ("ünïcödé stüff", "unicode-stuff"),
        ("Añadir validación", "anadir-validacion"),
        ("Straße Œuvre Ærø", "strasse-oeuvre-aero"),
        ("cafe\u{301} decomposed", "cafe-decomposed"),
        ("ÉCOLE", "ecole"),
        ("emoji 🚀 in the middle", "emoji-in-the-middle"),
    ])
    func hostile(prompt: String, slug: String) throws {
        #expect(TaskBranchName.slug(from: prompt) == slug)
        let name = TaskBranchName(prompt: prompt, run: run)
        #expect(name.rawValue == "conductor/\(slug)-9k2xqp")
        #expect(TaskBranchName.problem(with: name.rawValue) == nil)
    }

    @Test("long first lines are cut to 40 characters at a word boundary")
    func wordBoundary() {
        let prompt = "Refactor the authentication middleware so that sessions expire"
        let slug = TaskBranchName.slug(from: prompt)
        #expect(slug == "refactor-the-authentication-middleware")
        #expect(slug.count <= TaskBranchName.maximumSlugLength)
        // Exactly 40 characters of whole words fit; the next word does not.
        let exact = "abcd abcd abcd abcd abcd abcd abcd abcde"
        #expect(TaskBranchName.slug(from: exact + " more words") == exact.split(separator: " ").joined(separator: "-"))
        #expect(TaskBranchName.slug(from: exact + " more words").count == 40)
    }

    @Test("a word too long for a boundary cut is cut hard at 40 characters")
    func hardCut() {
        let word = String(repeating: "x", count: 60)
        #expect(TaskBranchName.slug(from: word) == String(repeating: "x", count: 40))
        // A short first word does not stop the cut from using the budget.
        #expect(TaskBranchName.slug(from: "a " + word) == "a-" + String(repeating: "x", count: 38))
        // Whole words that fill at least half the budget are kept rather than cutting a word.
        #expect(TaskBranchName.slug(from: String(repeating: "y", count: 25) + " " + String(repeating: "w", count: 30)) == String(repeating: "y", count: 25))
        // Below half, the next word is cut instead.
        #expect(TaskBranchName.slug(from: String(repeating: "y", count: 19) + " " + String(repeating: "w", count: 30)) == String(repeating: "y", count: 19) + "-" + String(repeating: "w", count: 20))
    }

    @Test("a 10 000-character prompt gives a bounded, valid name")
    func enormousPrompt() {
        let prompts = [
            String(repeating: "a", count: 10_000),
            String(repeating: "word ", count: 2_000),
            String(repeating: "-", count: 9_999) + "x",
            String(repeating: "🚀", count: 10_000),
            String(repeating: "é", count: 10_000),
        ]
        for prompt in prompts {
            let name = TaskBranchName(prompt: prompt, run: run)
            #expect(name.rawValue.utf8.count <= 10 + TaskBranchName.maximumSlugLength + 1 + 6, "\(name)")
            #expect(TaskBranchName.problem(with: name.rawValue) == nil)
        }
    }

    @Test("generated names are valid whatever the prompt")
    func generatedAlwaysValid() {
        var generator = SeededGenerator(seed: 11)
        let alphabet = Array("aZ9 ._/-@{}~^:?*[\\\n\té🚀.lock..//")
        for _ in 0..<2_000 {
            let length = Int(generator.next() % 80)
            let prompt = String((0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
            let milliseconds = generator.next() & 0xFFFF_FFFF_FFFF
            let id = RunID.generate(atMilliseconds: milliseconds, using: &generator)
            let name = TaskBranchName(prompt: prompt, run: id)
            #expect(TaskBranchName.problem(with: name.rawValue) == nil, "\(prompt.debugDescription) → \(name)")
            #expect(name.isConductorBranch)
            #expect(name.rawValue.hasSuffix("-" + id.shortTag))
            #expect(TaskBranchName(name.rawValue) == name)
        }
    }

    @Test("the tag keeps two runs with one prompt apart")
    func tagDistinguishesRuns() {
        let other = runID("01hf7yat00aaaaaaaaaaaaaaab")
        let a = TaskBranchName(prompt: "Same prompt", run: run)
        let b = TaskBranchName(prompt: "Same prompt", run: other)
        #expect(a != b)
        #expect(a.rawValue == "conductor/same-prompt-9k2xqp")
        #expect(b.rawValue == "conductor/same-prompt-aaaaab")
        #expect(a.reference == "refs/heads/conductor/same-prompt-9k2xqp")
    }

    @Test("validation accepts ordinary branch names", arguments: [
        "main", "conductor/fix-login-9k2xqp", "feature/JIRA-123_fix.v2", "a", "a/b/c", "v1.2.3",
        "x-", "release/2024.01", String(repeating: "a", count: 100),
    ])
    func valid(name: String) {
        #expect(TaskBranchName.problem(with: name) == nil)
        #expect(TaskBranchName(name)?.rawValue == name)
    }

    @Test("validation rejects what git (or our alphabet) would not accept", arguments: [
        ("", BranchNameProblem.empty),
        (String(repeating: "a", count: 101), .tooLong(length: 101)),
        ("has space", .forbiddenCharacter(" ")),
        ("tilde~1", .forbiddenCharacter("~")),
        ("caret^", .forbiddenCharacter("^")),
        ("colon:x", .forbiddenCharacter(":")),
        ("q?", .forbiddenCharacter("?")),
        ("star*", .forbiddenCharacter("*")),
        ("open[", .forbiddenCharacter("[")),
        ("back\\slash", .forbiddenCharacter("\\")),
        ("at@{1}", .forbiddenCharacter("@")),
        ("tab\there", .forbiddenCharacter("\t")),
        ("nul\u{0}", .forbiddenCharacter("\u{0}")),
        ("ünicode", .forbiddenCharacter("ü")),
        ("../../etc", .consecutiveDots),
        ("a..b", .consecutiveDots),
        ("/leading", .emptyComponent),
        ("trailing/", .emptyComponent),
        ("double//slash", .emptyComponent),
        (".hidden", .componentStartsWithDot(".hidden")),
        ("conductor/.x", .componentStartsWithDot(".x")),
        ("-leading", .componentStartsWithDash("-leading")),
        ("--force", .componentStartsWithDash("--force")),
        ("conductor/-x", .componentStartsWithDash("-x")),
        ("a.lock", .lockSuffix("a.lock")),
        ("conductor/x.lock/y", .lockSuffix("x.lock")),
        ("trailing.", .trailingDot),
        ("HEAD", .reserved),
    ])
    func invalid(name: String, problem: BranchNameProblem) throws {
        #expect(TaskBranchName.problem(with: name) == problem)
        #expect(TaskBranchName(name) == nil)
        let error = #expect(throws: BranchNameProblem.self) { try TaskBranchName(validating: name) }
        #expect(error == problem)
        #expect(!problem.description.isEmpty)
    }

    @Test("problem descriptions never echo control characters")
    func descriptionsArePrintable() {
        let problem = TaskBranchName.problem(with: "x\u{1b}[31m")
        #expect(problem == .forbiddenCharacter("\u{1b}"))
        #expect(problem?.description.contains("U+1B") == true)
        #expect(problem?.description.contains("\u{1b}") == false)
    }
}

@Suite("Worktree retention")
struct WorktreeRetentionTests {
    @Test("by default a worktree is kept unless the run completed")
    func defaultPolicy() {
        #expect(WorktreeRetention.default == .keepOnFailure)
        for state in RunState.allCases {
            #expect(WorktreeRetention.keepOnFailure.keepsWorktree(after: state) == (state != .complete), "\(state)")
        }
    }

    @Test("always keeps every worktree; never removes every finished run's", arguments: RunState.allCases)
    func otherPolicies(state: RunState) {
        #expect(WorktreeRetention.always.keepsWorktree(after: state))
        #expect(WorktreeRetention.never.keepsWorktree(after: state) == !state.isFinal)
    }

    @Test("the layout puts each run's worktree under conductor/worktrees, named by its id")
    func layout() {
        #expect(WorkspaceLayout.worktreeDirectory(run) == "conductor/worktrees/01hf7yat00aaaaaaaaaa9k2xqp")
        #expect(WorkspaceLayout.worktreeName(run) == run.rawValue)
    }
}
