import ConductorDomain
import Testing

@Suite("Agentic mode: reviewing what an agent changed")
struct AgenticReviewTests {
    let policy = PathPolicy(protected: ["secrets/**", "*.lock"])

    func change(_ path: String, _ kind: AgenticChange.Kind = .modified, lines: Int = 2, violation: PathViolation? = nil) -> AgenticChange {
        AgenticChange(path: path, kind: kind, lines: LineChangeCount(added: lines / 2, removed: lines - lines / 2), violation: violation)
    }

    @Test("allowed changes are kept, and a clean turn has no feedback")
    func clean() {
        let report = AgenticReview.review([change("src/b.swift"), change("src/a.swift", .added), change("old.txt", .deleted)], policy: policy, limits: DiffLimits())
        #expect(report.isClean && report.feedback == nil && report.reverted.isEmpty)
        #expect(report.kept.map(\.path) == ["old.txt", "src/a.swift", "src/b.swift"])
    }

    @Test("protected paths, .git and invalid paths are undone one by one; the rest is kept")
    func pathRules() {
        let report = AgenticReview.review([
            change("src/ok.swift"), change("secrets/key.txt"), change("Cargo.lock", .added), change(".git/hooks/x", .added, violation: .gitDirectory),
            change("we?ird.txt", .added), change("docs/guide.md", .deleted),
        ], policy: policy, limits: DiffLimits())
        #expect(report.kept.map(\.path) == ["docs/guide.md", "src/ok.swift"])
        #expect(report.reverted.map(\.path) == [".git/hooks/x", "Cargo.lock", "secrets/key.txt", "we?ird.txt"])
        #expect(report.reasons == [.gitDirectory, .protectedPath, .protectedPath, .invalidPath])
        #expect(report.problems.map(\.path) == [".git/hooks/x", "Cargo.lock", "secrets/key.txt", "we?ird.txt"])
        #expect(report.problems[1].detail.hasSuffix("It was removed."))
        #expect(report.problems[2].detail.hasSuffix("It was put back as it was."))
    }

    @Test("a violation the file system found wins over the policy's verdict")
    func fileSystemViolation() {
        let escape = PathViolation.symlinkEscape("out is a symbolic link that leads outside the repository.")
        let report = AgenticReview.review([change("out", .added, violation: escape)], policy: PathPolicy(), limits: DiffLimits())
        #expect(report.reasons == [.symlinkEscape])
        #expect(report.problems[0].detail == "out is a symbolic link that leads outside the repository. It was removed.")
    }

    @Test("a kept change in the way of an undone one (its directory, or inside it) is undone with it")
    func neighbours() {
        let report = AgenticReview.review([
            change("secrets", .added, violation: nil), change("secrets/key.txt", .deleted), change("lib/x.swift", .added),
        ], policy: PathPolicy(protected: ["secrets/*"]), limits: DiffLimits())
        #expect(report.reverted.map(\.path) == ["secrets", "secrets/key.txt"])
        #expect(report.reasons == [.pathConflict, .protectedPath])
        #expect(report.kept.map(\.path) == ["lib/x.swift"])
        #expect(report.problems[0].detail.hasPrefix("secrets is in the way of secrets/key.txt, which had to be undone."))
    }

    @Test("over the size limits, the whole turn is undone", arguments: [
        (DiffLimits(maxFiles: 2, maxChangedLines: nil), EditProblem.Reason.tooManyFiles),
        (DiffLimits(maxFiles: nil, maxChangedLines: 5), .tooManyChangedLines),
    ])
    func size(limits: DiffLimits, reason: EditProblem.Reason) {
        let report = AgenticReview.review([change("a"), change("b"), change("c"), change("secrets/x")], policy: policy, limits: limits)
        #expect(report.kept.isEmpty)
        #expect(report.reverted.map(\.path) == ["a", "b", "c", "secrets/x"])
        #expect(report.reasons == [.protectedPath, reason], "the path problem, then the size problem of what was left")
    }

    @Test("a count cut short at the limit is over it")
    func cutShort() {
        let huge = AgenticChange(path: "big.txt", kind: .added, lines: LineChangeCount(added: 1001, removed: 0, exceedsLimit: true))
        let report = AgenticReview.review([huge], policy: PathPolicy(), limits: DiffLimits())
        #expect(report.reasons == [.tooManyChangedLines])
        #expect(report.problems[0].detail.hasPrefix("You added and removed more than 1000 lines; at most 1000 may change in one turn (largest first: big.txt over 1000)."))
    }

    @Test("notes are reported last and undo nothing")
    func notes() {
        let note = EditProblem(.gitDirectory, detail: "You committed.")
        let report = AgenticReview.review([change("src/a.swift")], policy: policy, limits: DiffLimits(), notes: [note])
        #expect(report.kept.count == 1 && report.reverted.isEmpty)
        #expect(report.feedback == "# Your turn needs attention (1 problem)\nYour changes were kept, but note the following.\n\n## All of your changes: inside .git\nYou committed.\n")
    }

    @Test("the feedback names each undone path, its reason and what to do, and says what was kept")
    func feedback() {
        let report = AgenticReview.review([change("src/ok.swift"), change("secrets/key.txt")], policy: policy, limits: DiffLimits())
        #expect(report.feedback == """
            # Some of your changes were undone (1 problem)
            You edited the worktree yourself. The changes below break its rules, so they were undone: those paths are \
            as they were before your turn. Your other changes (1 file) were kept. Do not make the undone changes again; \
            if the task needs them, say so in your answer.

            ## secrets/key.txt: protected path
            The path is protected by the pattern 'secrets/**' in the configuration; leave it unchanged. It was put back as it was.

            """)
        let all = AgenticReview.review([change("secrets/key.txt", .added)], policy: policy, limits: DiffLimits())
        #expect(all.feedback?.hasPrefix("# Your changes were undone (1 problem)\nYou edited the worktree yourself, and your changes break its rules, so none of them was kept") == true)
    }
}
