import ConductorDomain
import Foundation
import GitKit

/// The BUILDING → VERIFYING → REPAIRING cycle of one run, from its first iteration to the
/// outcome. Each step is announced on the state branch before it happens (``RunSession``).
struct BuildLoop {
    let engine: RunEngine
    let session: RunSession
    let request: RunRequest
    let workspace: RunWorkspace
    let base: ObjectID
    /// The accepted plan in streamlined mode; its steps are checked off when the run completes.
    let checklist: PlanChecklist?

    /// What one iteration hands to the next.
    private struct Carry {
        var iteration = 0
        var lastCommit: ObjectID
        var lastFailure: String?
        var editFeedback: String?
        var escalation: String?
        var temperature: Double
        var tokens = 0
        var cost: Double? = 0
        /// Guidance from `git conductor steer`, shown in the next prompt only.
        var steering: [String] = []
    }

    private var repository: ConductorRepository { engine.repository }

    func run() async throws(ConductorError) -> RunOutcome {
        var guardian = LoopGuardian(limits: request.limits)
        var carry = Carry(lastCommit: base, temperature: request.limits.baseTemperature)
        let started = repository.clock.now()
        while true {
            if case .stop(let reason, let message) = guardian.checkBudget(spend(carry, since: started)) {
                return try session.fail(reason, message, iterations: carry.iteration)
            }
            carry.iteration += 1
            if let outcome = try await iterate(&carry, guardian: &guardian, started: started) { return outcome }
        }
    }

    /// One iteration; returns the run's outcome when it ended here.
    private func iterate(_ carry: inout Carry, guardian: inout LoopGuardian, started: Timestamp) async throws(ConductorError) -> RunOutcome? {
        let number = carry.iteration
        if let stopped = try readSteering(&carry) { return stopped }
        engine.report(.iteration(number))
        try session.append(.iterationStarted(number: number))
        let response: ProviderResponse
        switch try await ask(carry) {
        case .success(let answer): response = answer
        case .failure(let error): return try session.fail(.provider, error.description, iterations: number)
        }
        carry.tokens += response.usage.total
        carry.cost = carry.cost.flatMap { total in response.usage.costUSD.map { total + $0 } }
        if CompletionPromise.find(in: response.text) == .blocked {
            return try session.fail(.provider, "the model reported BLOCKED", iterations: number)
        }
        switch try EditApplier(worktree: workspace.path, policy: request.paths, limits: request.diffLimits).apply(answer: response.text) {
        case .rejected(let feedback) where !(Self.onlySaysDone(feedback, response)):
            return try repairEdits(feedback, &carry, guardian: &guardian, started: started)
        default:
            return try verify(response, &carry, guardian: &guardian, started: started)
        }
    }

    /// An answer without edits that promises DONE is checked by BIST rather than sent back:
    /// the model may be right that nothing is left to change.
    private static func onlySaysDone(_ feedback: EditFeedback, _ response: ProviderResponse) -> Bool {
        feedback.problems.allSatisfy { $0.reason == .noEdits } && CompletionPromise.find(in: response.text) == .done
    }

    /// Acts on what the user said since the last iteration: a cancel or pause ends this
    /// process's work on the run; messages go into the next prompt.
    private func readSteering(_ carry: inout Carry) throws(ConductorError) -> RunOutcome? {
        carry.steering = []
        for (action, text) in try session.newSteering() {
            switch action {
            case .cancel: return try session.stop(.cancelled, iterations: carry.iteration - 1)
            case .pause: return try session.stop(.paused, iterations: carry.iteration - 1)
            case .message: carry.steering += text.map { [$0] } ?? []
            case .approve: engine.report(.warning("approve has no effect in \(request.mode.rawValue) mode"))
            }
        }
        return nil
    }

    /// Records the request, calls the provider, records the response and its usage.
    private func ask(_ carry: Carry) async throws(ConductorError) -> Result<ProviderResponse, ProviderError> {
        let builder = PromptBuilder(worktree: workspace.path, budgetTokens: request.contextBudgetTokens)
        let prompt = builder.request(.init(
            task: request.prompt, iteration: carry.iteration, lastFailure: carry.lastFailure,
            plan: checklist?.markdown, editFeedback: carry.editFeedback, escalation: carry.escalation,
            steering: carry.steering, temperature: carry.temperature
        ))
        let directory = "iterations/\(carry.iteration)"
        try session.artifact("\(directory)/request.json", StateCoding.document(prompt))
        let response: ProviderResponse
        do {
            response = try await engine.provider.complete(prompt)
        } catch {
            return .failure(error)
        }
        try session.artifact("\(directory)/response.md", Array(response.text.utf8))
        try session.append(.usage(response.usage))
        return .success(response)
    }

    /// Edits that were refused go back to the model; nothing was written or committed.
    private func repairEdits(_ feedback: EditFeedback, _ carry: inout Carry, guardian: inout LoopGuardian, started: Timestamp) throws(ConductorError) -> RunOutcome? {
        let text = feedback.text
        let signature = "edit:" + String(FNV1a64.hash(text), radix: 16)
        try session.move(to: .repairing, detail: "edits rejected: \(feedback.problems.count) problem\(feedback.problems.count == 1 ? "" : "s")")
        let record = IterationRecord(number: carry.iteration, diffHash: "rejected", failureSignature: signature)
        if let outcome = try rule(guardian.record(record, spend: spend(carry, since: started)), &carry, failureReason: .edit) { return outcome }
        carry.editFeedback = text
        carry.lastFailure = nil
        try session.move(to: .building)
        return nil
    }

    /// Commits what changed, runs BIST, notes the commit, and either completes or repairs.
    private func verify(_ response: ProviderResponse, _ carry: inout Carry, guardian: inout LoopGuardian, started: Timestamp) throws(ConductorError) -> RunOutcome? {
        let number = carry.iteration
        let commit = try WorktreeManager(repository: repository).commitAll(
            in: workspace,
            message: "\(GitStateStore.clip(request.prompt.split(separator: "\n").first.map(String.init) ?? "task", to: 60)) (attempt \(number))\n\nConductor-Run: \(session.id)\nConductor-Iteration: \(number)\n",
            expectedParent: carry.lastCommit
        )
        try session.move(to: .verifying, detail: commit.map { "commit \($0.short)" } ?? "no changes")
        let bist = engine.verifier.verify(request.verifyCommands, in: workspace.path)
        try session.artifact("iterations/\(number)/bist.json", StateCoding.document(bist))
        engine.report(.verified(iteration: number, summary: bist.summary))
        if let commit {
            try note(commit, bist: bist, response: response, carry: carry)
            carry.lastCommit = commit
        }
        if !bist.outcome.isFailure {
            try checkOffPlan(commit: carry.lastCommit)
            try session.move(to: .complete, detail: bist.summary)
            return RunOutcome(run: session.id, state: .complete, reason: nil, detail: bist.summary, iterations: number, taskBranch: session.record.taskBranch)
        }
        let tree = try gitCall { () throws(GitError) in try repository.git.commit(carry.lastCommit).tree.hex }
        let record = IterationRecord(number: number, diffHash: tree, failureSignature: bist.failureSignature?.rawValue ?? bist.summary)
        try session.move(to: .repairing, detail: bist.summary)
        if let outcome = try rule(guardian.record(record, spend: spend(carry, since: started)), &carry, failureReason: .verify) { return outcome }
        carry.lastFailure = bist.results.last(where: { $0.outcome.isFailure }).map { "$ \($0.command)\n\($0.output.text)" } ?? bist.summary
        carry.editFeedback = nil
        try session.move(to: .building)
        return nil
    }

    /// Applies the guardian's ruling; returns the outcome when it stops the run.
    private func rule(_ decision: GuardianDecision, _ carry: inout Carry, failureReason: FailureReason) throws(ConductorError) -> RunOutcome? {
        switch decision {
        case .proceed(let temperature):
            carry.temperature = temperature
            carry.escalation = nil
        case .escalate(let pattern, let temperature, let message):
            carry.temperature = temperature
            carry.escalation = message
            engine.report(.warning("loop guardian: \(pattern.rawValue); escalating"))
        case .stop(let reason, let message):
            return try session.fail(reason, message, iterations: carry.iteration)
        }
        return nil
    }

    /// In streamlined mode the whole plan is built in one go, so every step is done by the
    /// commit that passed.
    private func checkOffPlan(commit: ObjectID) throws(ConductorError) {
        guard var checklist else { return }
        for step in checklist.plan.steps.indices { checklist.mark(step: step, .done(commit: commit.short)) }
        try session.artifact("plan.md", Array(checklist.markdown.utf8))
    }

    private func note(_ commit: ObjectID, bist: BISTReport, response: ProviderResponse, carry: Carry) throws(ConductorError) {
        let note = ConductorNote(
            runID: session.id, iteration: carry.iteration, state: .verifying, bist: bist.summary,
            model: response.usage.model, tokens: carry.tokens, costUSD: carry.cost
        )
        try repository.notes().write([commit: note])
    }

    private func spend(_ carry: Carry, since started: Timestamp) -> Spend {
        let elapsed = Int((repository.clock.now().milliseconds - started.milliseconds) / 1000)
        return Spend(iterations: carry.iteration, elapsedSeconds: elapsed, tokens: carry.tokens, costUSD: carry.cost)
    }
}
