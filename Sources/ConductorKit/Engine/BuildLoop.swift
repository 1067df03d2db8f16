import ConductorDomain
import Foundation
import GitKit

/// The BUILDING → VERIFYING → REPAIRING cycle of one run, from its first iteration (or
/// wherever an earlier process stopped) to the outcome. Each step is announced on the state
/// branch before it happens (``RunSession``), and every ruling is recorded as a
/// ``LoopCheckpoint`` with the transition that carries it out.
///
/// In `full` mode the plan is built one step at a time: a step whose verification passes is
/// checked off with its commit, and the next one starts; otherwise the whole plan is built
/// at once and checked off by the commit that passes.
struct BuildLoop {
    let run: RunContext
    let workspace: RunWorkspace

    /// What one iteration hands to the next: the checkpoint, plus what lives in one process.
    private struct Carry {
        var checkpoint: LoopCheckpoint
        /// Guidance from `git conductor steer`, shown in the next prompt only.
        var steering: [String] = []
        /// When this process took the loop over, and how long earlier processes ran it.
        let since: Timestamp
        let elapsedBefore: Int
    }

    private var session: RunSession { run.session }
    private var repository: ConductorRepository { run.engine.repository }

    func run(from checkpoint: LoopCheckpoint, resumingAt state: RunState?) async throws(ConductorError) -> RunOutcome {
        var carry = Carry(checkpoint: checkpoint, since: repository.clock.now(), elapsedBefore: checkpoint.elapsedSeconds)
        if let state, let outcome = try resume(at: state, &carry) { return outcome }
        while session.state == .building {
            if case .stop(let reason, let message) = carry.checkpoint.guardian.checkBudget(spend(carry)) {
                return try session.fail(reason, message, iterations: carry.checkpoint.iterations)
            }
            if let outcome = try await iterate(&carry) { return outcome }
        }
        throw .internalInconsistency("the build loop left BUILDING without an outcome")
    }

    // MARK: Resuming

    /// Redoes the work of the state an earlier process recorded last: the worktree goes back
    /// to the task branch's tip, dropping anything half-written, and what was committed
    /// but not verified is verified.
    private func resume(at state: RunState, _ carry: inout Carry) throws(ConductorError) -> RunOutcome? {
        switch state {
        case .repairing:
            return try carryOutRuling(&carry)
        case .building, .verifying:
            try gitCall { () throws(GitError) in try Repository.open(at: workspace.path).discardWorkingChanges() }
            let commit = try commitOfCurrentIteration(carry)
            if state == .building {
                guard let commit else { return nil }
                try session.move(to: .verifying, detail: "commit \(commit.short)")
            }
            return try verify(commit, &carry)
        default:
            throw .internalInconsistency("the build loop cannot resume from \(state.rawValue)")
        }
    }

    /// The commit the iteration under way made before the process stopped, if it made one:
    /// the task branch has moved past the checkpoint's commit to one with this run's and
    /// this iteration's trailers. Any other commit there is someone else's.
    private func commitOfCurrentIteration(_ carry: Carry) throws(ConductorError) -> ObjectID? {
        let git = repository.git
        guard let tip = try gitCall({ () throws(GitError) in try git.referenceTarget(workspace.branch.reference) }) else {
            throw .taskBranchMissing(workspace.branch.rawValue)
        }
        guard tip.hex != carry.checkpoint.lastCommit else { return nil }
        let message = try gitCall { () throws(GitError) in try git.commit(tip).message }
        guard message.contains("Conductor-Run: \(session.id)\n"), message.contains("Conductor-Iteration: \(carry.checkpoint.current)\n") else {
            throw .worktreeConflict(
                path: workspace.path,
                detail: "task branch \(workspace.branch) is at \(tip.short), which this run did not commit; the run left it at \(String(carry.checkpoint.lastCommit.prefix(7)))"
            )
        }
        return tip
    }

    // MARK: One iteration

    /// One iteration; returns the run's outcome when it ended here.
    private func iterate(_ carry: inout Carry) async throws(ConductorError) -> RunOutcome? {
        let number = carry.checkpoint.current
        if let stopped = try readSteering(&carry) { return stopped }
        try session.startIteration(number)
        let agent = run.request.provider.isAgentic ? AgenticChangeGuard(worktree: workspace.path, policy: run.request.paths, limits: run.request.diffLimits) : nil
        let baseline = try agent?.baseline()
        let revision = try lastCommit(carry)
        // An agent explores the worktree itself; parsed edits need the code in the prompt.
        let pick = agent == nil ? run.pick(query(carry), at: revision) : nil
        let response: ProviderResponse
        switch try await converse(prompt(carry, context: pick), context: pick, at: revision, iteration: number) {
        case .success(let answer): response = answer
        case .failure(let error): return try session.fail(.provider, error.description, iterations: number)
        }
        if response.isTruncated {
            // Half an answer's edits are never applied: the rest may be what makes them right.
            let limit = response.maxOutputTokens.map { " of \($0) tokens" } ?? ""
            return try refuse(
                "Your answer was cut off at the output limit\(limit), so none of its edits were applied. Send smaller edits: fewer files at a time, and SEARCH/REPLACE blocks rather than whole files.",
                problems: 1, &carry, detail: "answer cut off at the output limit\(limit)"
            )
        }
        if CompletionPromise.find(in: response.text) == .blocked {
            return try session.fail(.provider, "the model reported BLOCKED", iterations: number)
        }
        if let agent {
            if let refusal = try reviewAgentChanges(agent, since: baseline) {
                return try refuse(refusal.feedback, problems: refusal.problems, &carry)
            }
        } else if case .rejected(let feedback) = try EditApplier(worktree: workspace.path, policy: run.request.paths, limits: run.request.diffLimits).apply(answer: response.text),
                  !Self.onlySaysDone(feedback, response) {
            return try refuse(feedback.text, problems: feedback.problems.count, &carry, detail: Self.summary(of: feedback))
        }
        let commit = try commitChanges(carry)
        try session.move(to: .verifying, detail: commit.map { "commit \($0.short)" } ?? "no changes")
        return try verify(commit, &carry)
    }

    /// An agent that edits the worktree itself meets the same guards as parsed edits: what
    /// violates them is reverted and reported. When nothing it did may stay, the iteration
    /// is refused like rejected edits; otherwise what stays is committed and verified.
    private func reviewAgentChanges(_ agent: AgenticChangeGuard, since baseline: AgenticBaseline?) throws(ConductorError) -> (feedback: String, problems: Int)? {
        let review = try agent.inspect(since: baseline)
        guard let feedback = review.feedback, !review.isClean else { return nil }
        run.engine.report(.warning("the agent's changes broke \(review.problems.count) rule\(review.problems.count == 1 ? "" : "s"); \(review.reverted.count) reverted"))
        return review.kept.isEmpty ? (feedback, review.problems.count) : nil
    }

    /// `edits rejected: 2 problems — block 1 (line 3), src/x.py: SEARCH not found; …`, for the
    /// transition that `show` prints (the whole feedback is the iteration's `feedback.md`).
    static func summary(of feedback: EditFeedback) -> String {
        let count = feedback.problems.count
        let shown = feedback.problems.prefix(5).map { problem in
            var place = problem.origin.map { "block \($0.index) (line \($0.line))" } ?? problem.line.map { "line \($0)" } ?? "the answer"
            if let path = problem.path { place += ", \(path)" }
            return "\(place): \(problem.reason.rawValue)"
        }
        let more = count > 5 ? "; and \(count - 5) more" : ""
        return "edits rejected: \(count) problem\(count == 1 ? "" : "s") — " + shown.joined(separator: "; ") + more
    }

    /// An answer without edits that promises DONE is checked by BIST rather than sent back:
    /// the model may be right that nothing is left to change.
    private static func onlySaysDone(_ feedback: EditFeedback, _ response: ProviderResponse) -> Bool {
        feedback.problems.allSatisfy { $0.reason == .noEdits } && CompletionPromise.find(in: response.text) == .done
    }

    /// Acts on what the user said since the last iteration: a cancel or pause ends this
    /// process's work on the run; messages go into the next prompt.
    private func readSteering(_ carry: inout Carry) throws(ConductorError) -> RunOutcome? {
        carry.steering = session.guidance
        session.guidance = []
        for (action, text) in try session.newSteering() {
            switch action {
            case .cancel: return try session.stop(.cancelled, iterations: carry.checkpoint.iterations)
            case .pause: return try session.stop(.paused, iterations: carry.checkpoint.iterations)
            case .message: carry.steering += text.map { [$0] } ?? []
            case .approve: run.engine.report(.warning("approve has no effect while the run is building"))
            }
        }
        return nil
    }

    /// Asks for the iteration's answer. While the answer asks to see files instead of
    /// editing (``FileRequest``), the files are shown and the model asked again, in the same
    /// iteration, at most ``FileRequest/maxRounds`` times; each request and what it was shown
    /// is recorded with the next exchange (`iterations/<n>/read-<k>/`).
    private func converse(_ request: ProviderRequest, context pick: ContextPick?, at revision: ObjectID, iteration number: Int) async throws(ConductorError) -> Result<ProviderResponse, ProviderError> {
        let directory = "iterations/\(number)"
        var events: [EventPayload] = []
        var artifacts: [String: [UInt8]] = [:]
        if let pick {
            events.append(.contextPicked(iteration: number, files: pick.files.map(\.listing), tokens: pick.totalTokens))
            artifacts["\(directory)/context.json"] = StateCoding.document(pick.withoutTexts)
        }
        var request = request
        var result = try await session.ask(run.provider, request, recordingUnder: directory, with: events, artifacts: artifacts)
        for round in 1...FileRequest.maxRounds {
            guard case .success(let answer) = result, !run.request.provider.isAgentic,
                  EditParser.parse(answer.text).blocks.isEmpty, let asked = FileRequest.find(in: answer.text) else { break }
            let shown = try run.context.answer(asked, at: revision, budgetTokens: run.request.contextBudgetTokens)
            request = ProviderRequest(
                purpose: request.purpose, system: request.system,
                messages: request.messages + [ChatMessage(role: .assistant, content: answer.text), ChatMessage(role: .user, content: shown.text)],
                temperature: request.temperature, maxOutputTokens: request.maxOutputTokens
            )
            let event = EventPayload.fileRequest(iteration: number, round: round, request: asked.summary, shown: shown.shown, missing: shown.missing)
            result = try await session.ask(run.provider, request, recordingUnder: "\(directory)/read-\(round)", with: [event])
        }
        return result
    }

    /// What the repository context is chosen for: the task with its plan (which names
    /// files), the last failure, and what the run has changed so far.
    private func query(_ carry: Carry) -> ContextQuery {
        let task = [run.request.prompt, carry.checkpoint.checklist?.markdown].compactMap { $0 }.joined(separator: "\n\n")
        return ContextQuery(task: task, failure: carry.checkpoint.lastFailure, touched: touched(carry), budgetTokens: run.request.contextBudgetTokens)
    }

    /// Files changed between the run's base and its last commit; a hint for the context,
    /// so a diff that cannot be read only loses the hint.
    private func touched(_ carry: Carry) -> [String] {
        guard let base = ObjectID(hex: session.record.baseCommit), let tip = ObjectID(hex: carry.checkpoint.lastCommit), base != tip else { return [] }
        return (try? repository.git.diffStats(from: base, to: tip).map(\.path)) ?? []
    }

    private func prompt(_ carry: Carry, context pick: ContextPick?) -> ProviderRequest {
        let checkpoint = carry.checkpoint
        let checklist = checkpoint.checklist
        let step = run.request.mode == .full ? checklist.flatMap { list in list.currentStep.map { (list, $0) } } : nil
        return PromptBuilder().request(.init(
            task: run.request.prompt, iteration: checkpoint.current, lastFailure: checkpoint.lastFailure,
            plan: checklist?.markdown,
            step: step.map { list, index in "Work on step \(index + 1) of \(list.plan.steps.count) now: \(list.plan.steps[index].description)" },
            editFeedback: checkpoint.editFeedback, escalation: checkpoint.escalation,
            steering: carry.steering, temperature: checkpoint.temperature,
            projectContext: run.projectContext, context: pick
        ))
    }

    /// One commit of everything the answer changed, with the run's trailers; nil when
    /// nothing changed.
    private func commitChanges(_ carry: Carry) throws(ConductorError) -> ObjectID? {
        let number = carry.checkpoint.current
        let subject = GitStateStore.clip(run.request.prompt.split(separator: "\n").first.map(String.init) ?? "task", to: 60)
        return try WorktreeManager(repository: repository).commitAll(
            in: workspace,
            message: "\(subject) (attempt \(number))\n\nConductor-Run: \(session.id)\nConductor-Iteration: \(number)\n",
            expectedParent: try lastCommit(carry)
        )
    }

    private func lastCommit(_ carry: Carry) throws(ConductorError) -> ObjectID {
        guard let id = ObjectID(hex: carry.checkpoint.lastCommit) else {
            throw .corruptState(path: StateLayout.checkpointFile, detail: "last_commit '\(carry.checkpoint.lastCommit)' is not a commit id")
        }
        return id
    }

    // MARK: Verifying and ruling

    /// Runs BIST on what the iteration committed, notes the commit, and either completes,
    /// moves on to the plan's next step, or repairs.
    private func verify(_ commit: ObjectID?, _ carry: inout Carry) throws(ConductorError) -> RunOutcome? {
        let number = carry.checkpoint.current
        let bist = run.engine.verifier.verify(run.request.verifyCommands, in: workspace.path)
        try session.artifact("iterations/\(number)/bist.json", StateCoding.document(bist))
        run.engine.report(.verified(iteration: number, summary: bist.summary))
        if let commit {
            try note(commit, bist: bist, iteration: number)
            carry.checkpoint.lastCommit = commit.hex
        }
        carry.checkpoint.iterations = number
        if !bist.outcome.isFailure { return try passed(bist, &carry) }
        let last = try lastCommit(carry)
        let tree = try gitCall { () throws(GitError) in try repository.git.commit(last).tree.hex }
        carry.checkpoint.lastFailure = bist.results.last(where: { $0.outcome.isFailure }).map { "$ \($0.command)\n\($0.output.text)" } ?? bist.summary
        carry.checkpoint.editFeedback = nil
        let record = IterationRecord(number: number, diffHash: tree, failureSignature: bist.failureSignature?.rawValue ?? bist.summary)
        return try rule(record, detail: bist.summary, &carry)
    }

    /// Edits that were refused go back to the model; nothing was written or committed.
    private func refuse(_ feedback: String, problems count: Int, _ carry: inout Carry, detail: String? = nil) throws(ConductorError) -> RunOutcome? {
        let number = carry.checkpoint.current
        carry.checkpoint.iterations = number
        carry.checkpoint.editFeedback = feedback
        carry.checkpoint.lastFailure = nil
        let signature = "edit:" + String(FNV1a64.hash(feedback), radix: 16)
        let record = IterationRecord(number: number, diffHash: "rejected", failureSignature: signature)
        return try rule(record, detail: detail ?? "edits rejected: \(count) problem\(count == 1 ? "" : "s")", &carry)
    }

    /// Asks the guardian about the iteration just ended and records its ruling with the move
    /// into REPAIRING, before carrying it out.
    private func rule(_ record: IterationRecord, detail: String, _ carry: inout Carry) throws(ConductorError) -> RunOutcome? {
        // A model that takes no temperature (reasoning models) keeps its own.
        let takesTemperature = run.request.provider.allowsTemperature
        switch carry.checkpoint.guardian.record(record, spend: spend(carry)) {
        case .proceed(let temperature):
            if takesTemperature { carry.checkpoint.temperature = temperature }
            carry.checkpoint.escalation = nil
        case .escalate(let pattern, let temperature, let message):
            if takesTemperature { carry.checkpoint.temperature = temperature }
            carry.checkpoint.escalation = message
            let skipped = takesTemperature ? "" : "; temperature escalation skipped: the model takes no temperature"
            run.engine.report(.warning("loop guardian: \(pattern.rawValue); escalating\(skipped)"))
        case .stop(let reason, let message):
            carry.checkpoint.stop = .init(reason: reason, message: message)
        }
        carry.checkpoint.elapsedSeconds = elapsedSeconds(carry)
        var artifacts = [StateLayout.checkpointFile: StateCoding.document(carry.checkpoint)]
        // The checkpoint keeps only the latest feedback; each iteration keeps its own.
        if let feedback = carry.checkpoint.editFeedback { artifacts["iterations/\(record.number)/feedback.md"] = Array(session.redactor.redact(feedback).utf8) }
        try session.move(to: .repairing, detail: detail, artifacts: artifacts)
        return try carryOutRuling(&carry)
    }

    private func carryOutRuling(_ carry: inout Carry) throws(ConductorError) -> RunOutcome? {
        if let stop = carry.checkpoint.stop {
            return try session.fail(stop.reason, stop.message, iterations: carry.checkpoint.iterations)
        }
        try session.move(to: .building)
        return nil
    }

    /// Verification passed: the plan's step (or the whole plan) is checked off with the
    /// commit that passed, and the run either completes or builds its next step.
    private func passed(_ bist: BISTReport, _ carry: inout Carry) throws(ConductorError) -> RunOutcome? {
        let commit = String(carry.checkpoint.lastCommit.prefix(7))
        guard var checklist = carry.checkpoint.checklist else {
            try proposeContextUpdates(carry)
            try session.move(to: .complete, detail: bist.summary)
            return session.outcome(.complete, detail: bist.summary, iterations: carry.checkpoint.iterations)
        }
        if run.request.mode == .full, let step = checklist.currentStep, step + 1 < checklist.plan.steps.count {
            checklist.mark(step: step, .done(commit: commit))
            checklist.mark(step: step + 1, .inProgress)
            carry.checkpoint.checklist = checklist
            carry.checkpoint.lastFailure = nil
            carry.checkpoint.editFeedback = nil
            carry.checkpoint.elapsedSeconds = elapsedSeconds(carry)
            try session.move(
                to: .building, detail: "step \(step + 1) of \(checklist.plan.steps.count) done; step \(step + 2) next",
                artifacts: [StateLayout.checkpointFile: StateCoding.document(carry.checkpoint), "plan.md": Array(checklist.markdown.utf8)]
            )
            return nil
        }
        while let step = checklist.currentStep { checklist.mark(step: step, .done(commit: commit)) }
        try proposeContextUpdates(carry)
        try session.move(to: .complete, detail: bist.summary, artifacts: ["plan.md": Array(checklist.markdown.utf8)])
        return session.outcome(.complete, detail: bist.summary, iterations: carry.checkpoint.iterations)
    }

    /// Context sync: what the run's manifests gained that the project's documents do not
    /// say yet is recorded for `context sync` (nothing without setup).
    private func proposeContextUpdates(_ carry: Carry) throws(ConductorError) {
        guard let base = ObjectID(hex: session.record.baseCommit), let tip = ObjectID(hex: carry.checkpoint.lastCommit),
              let proposal = ContextSync.propose(repository: repository, run: session.record, base: base, tip: tip) else { return }
        try session.append(proposal)
    }

    private func note(_ commit: ObjectID, bist: BISTReport, iteration: Int) throws(ConductorError) {
        let note = ConductorNote(
            runID: session.id, iteration: iteration, state: .verifying, bist: bist.summary,
            model: session.model, tokens: session.tokens, costUSD: session.cost
        )
        try repository.notes().write([commit: note])
    }

    private func elapsedSeconds(_ carry: Carry) -> Int {
        carry.elapsedBefore + Int((repository.clock.now().milliseconds - carry.since.milliseconds) / 1000)
    }

    private func spend(_ carry: Carry) -> Spend {
        Spend(iterations: carry.checkpoint.iterations, elapsedSeconds: elapsedSeconds(carry), tokens: session.tokens, costUSD: session.cost)
    }
}
