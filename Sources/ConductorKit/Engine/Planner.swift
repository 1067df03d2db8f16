import ConductorDomain
import Foundation
import GitKit

/// PLANNING and, in `full` mode, AWAITING_APPROVAL: asks the model for a short spec and a
/// plan as JSON, checks it against ``PlanRules``, and retries at most twice with a message
/// naming what was wrong. The accepted plan is recorded as `plan.json`, the spec as `spec.md`
/// and the checklist as `plan.md`.
///
/// In `full` mode the spec and then the plan each wait for `git conductor approve` (or
/// `--yes`): PLANNING → AWAITING_APPROVAL (spec) → PLANNING → AWAITING_APPROVAL (plan). Which
/// of the two a resumed run is at follows from the files: `plan.md` is written only once
/// the spec is approved.
struct Planner {
    let run: RunContext
    let rules: PlanRules

    static let maxAttempts = 3

    static let system = """
        You plan software changes. Answer with one JSON object and nothing else:
        {"spec": "<what the finished change does, in a few sentences>",
         "steps": [{"description": "<one step>", "files": ["<repository-relative path>", …]}, …]}
        Keep it short: at most a handful of steps, each naming the files it will touch.
        """

    enum Result {
        case accepted(PlanChecklist)
        /// Planning failed or was stopped, and so was the run.
        case ended(RunOutcome)
    }

    private var session: RunSession { run.session }
    private var isFull: Bool { run.request.mode == .full }

    /// Plans from `state` (PLANNING or AWAITING_APPROVAL) until the plan is accepted.
    func run(from state: RunState) async throws(ConductorError) -> Result {
        var state = state
        while true {
            switch state {
            case .planning:
                if let plan = try recordedPlan() {
                    let checklist = PlanChecklist(plan: plan)
                    guard isFull else { return .accepted(checklist) }
                    try session.artifact("plan.md", Array(checklist.markdown.utf8))
                    try session.move(to: .awaitingApproval, detail: "the plan waits for approval")
                } else {
                    switch try await ask() {
                    case .ended(let outcome): return .ended(outcome)
                    case .accepted(let checklist):
                        guard isFull else {
                            for (path, contents) in files(for: checklist) { try session.artifact(path, contents) }
                            return .accepted(checklist)
                        }
                        // The plan is recorded with the wait for the spec's approval, so a
                        // recorded plan means the spec was put up for approval.
                        try session.move(to: .awaitingApproval, detail: "the spec waits for approval", artifacts: files(for: checklist))
                    }
                }
                state = .awaitingApproval
            case .awaitingApproval:
                let planWritten = try session.recorded("plan.md") != nil
                if let outcome = try await Approval(run: run).wait(for: planWritten ? "plan" : "spec") { return .ended(outcome) }
                guard planWritten, let plan = try recordedPlan() else {
                    try session.move(to: .planning, detail: "spec approved")
                    state = .planning
                    continue
                }
                return .accepted(PlanChecklist(plan: plan))
            default:
                throw .internalInconsistency("planning cannot start from \(state.rawValue)")
            }
        }
    }

    /// Asks for a plan until one is valid, at most ``maxAttempts`` times, and records it.
    private func ask() async throws(ConductorError) -> Result {
        var problems: [String] = []
        // A plan names the files it will touch: it is made with the code in view.
        let context = ObjectID(hex: session.record.baseCommit).flatMap { base in
            run.pick(ContextQuery(task: run.request.prompt, budgetTokens: run.request.contextBudgetTokens), at: base)
        }
        for attempt in 1...Self.maxAttempts {
            let prompt = ProviderRequest(
                purpose: .plan, system: Self.system,
                messages: [ChatMessage(role: .user, content: message(problems: problems, context: context))],
                temperature: run.request.limits.baseTemperature, responseSchema: PlanSchema.schema(for: rules)
            )
            let response: ProviderResponse
            switch try await session.ask(run.provider, prompt, recordingUnder: "planning/\(attempt)") {
            case .success(let answer): response = answer
            case .failure(let error): return .ended(try session.fail(.provider, error.description, iterations: 0))
            }
            switch Self.plan(in: response) {
            case .failure(let problem):
                problems = [problem.message]
            case .success(let plan):
                problems = rules.problems(in: plan)
                if problems.isEmpty { return .accepted(PlanChecklist(plan: plan)) }
            }
            run.engine.report(.warning("plan attempt \(attempt) refused: \(problems.joined(separator: "; "))"))
        }
        let detail = "no valid plan after \(Self.maxAttempts) attempts: \(problems.joined(separator: "; "))"
        return .ended(try session.fail(.provider, detail, iterations: 0))
    }

    /// The plan an answer holds; a plan cut off by the output limit is not a malformed one,
    /// and the model is told so.
    private static func plan(in response: ProviderResponse) -> Swift.Result<Plan, PlanProblem> {
        guard !response.isTruncated else {
            return .failure(PlanProblem("the answer was cut off at the output limit of \(response.maxOutputTokens ?? 0) tokens; answer with a shorter plan"))
        }
        return PlanParser.parse(response.text)
    }

    private func message(problems: [String], context: ContextPick?) -> String {
        var text = run.projectContext.isEmpty ? "" : "# Project context\n\n\(run.projectContext)\n\n"
        text += "# Task\n\n\(run.request.prompt)"
        if let map = context?.map, !map.isEmpty { text += "\n\n# Repository map\n\n\(map)" }
        if let files = context?.files, !files.isEmpty {
            text += "\n\n# Relevant files\n\n" + files.map(\.text).joined(separator: "\n\n")
        }
        if !problems.isEmpty {
            text += "\n\n# Your last plan was refused\n\n" + problems.map { "- \($0)" }.joined(separator: "\n")
                + "\n\nAnswer again with a corrected plan."
        }
        return text
    }

    /// The files an accepted plan is recorded in; in `full` mode its checklist waits until
    /// the spec is approved.
    private func files(for checklist: PlanChecklist) -> [String: [UInt8]] {
        var files = [
            "spec.md": Array("# Spec\n\n\(checklist.plan.spec ?? run.request.prompt)\n".utf8),
            StateLayout.planFile: StateCoding.document(checklist.plan),
        ]
        if !isFull { files["plan.md"] = Array(checklist.markdown.utf8) }
        return files
    }

    private func recordedPlan() throws(ConductorError) -> Plan? {
        guard let bytes = try session.recorded(StateLayout.planFile) else { return nil }
        return try StateCoding.decode(Plan.self, from: bytes, path: StateLayout.planFile)
    }
}

/// AWAITING_APPROVAL: waits, reading the run's steering events, until the user approves
/// (`git conductor approve`), pauses or cancels. With `--yes` the run approves itself, and
/// says so in its events.
struct Approval {
    let run: RunContext

    /// Nil once approved; the run's outcome when it was paused or cancelled instead.
    func wait(for what: String) async throws(ConductorError) -> RunOutcome? {
        let session = run.session
        run.engine.report(.awaitingApproval(session.id, what: what))
        if run.request.autoApprove {
            try session.append(.steering(.approve, text: "the \(what), by --yes"))
        }
        while true {
            for (action, text) in try session.newSteering() {
                switch action {
                case .approve: return nil
                case .cancel: return try session.stop(.cancelled, iterations: 0)
                case .pause: return try session.stop(.paused, iterations: 0)
                case .message: session.guidance += text.map { [$0] } ?? []
                }
            }
            try? await Task.sleep(for: .milliseconds(run.engine.approvalPollMilliseconds))
        }
    }
}
