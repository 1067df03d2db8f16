import ConductorDomain

/// PLANNING: asks the model for a short spec and a plan as JSON, checks it against
/// ``PlanRules``, and retries at most twice with a message naming what was wrong. The
/// accepted spec and plan are written to the run's `spec.md` and `plan.md`.
struct Planner {
    let engine: RunEngine
    let session: RunSession
    let request: RunRequest
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
        /// Planning failed and so did the run.
        case ended(RunOutcome)
    }

    /// The accepted plan, or the run's outcome when planning failed.
    func run() async throws(ConductorError) -> Result {
        var problems: [String] = []
        for attempt in 1...Self.maxAttempts {
            let prompt = ProviderRequest(
                purpose: .plan, system: Self.system,
                messages: [ChatMessage(role: .user, content: message(problems: problems))],
                temperature: request.limits.baseTemperature
            )
            try session.artifact("planning/\(attempt)/request.json", StateCoding.document(prompt))
            let response: ProviderResponse
            do {
                response = try await engine.provider.complete(prompt)
            } catch {
                return .ended(try session.fail(.provider, error.description, iterations: 0))
            }
            try session.artifact("planning/\(attempt)/response.md", Array(response.text.utf8))
            try session.append(.usage(response.usage))
            switch PlanParser.parse(response.text) {
            case .failure(let problem):
                problems = [problem.message]
            case .success(let plan):
                problems = rules.problems(in: plan)
                if problems.isEmpty { return .accepted(try accept(plan)) }
            }
            engine.report(.warning("plan attempt \(attempt) refused: \(problems.joined(separator: "; "))"))
        }
        let detail = "no valid plan after \(Self.maxAttempts) attempts: \(problems.joined(separator: "; "))"
        return .ended(try session.fail(.provider, detail, iterations: 0))
    }

    private func message(problems: [String]) -> String {
        var text = "# Task\n\n\(request.prompt)"
        if !problems.isEmpty {
            text += "\n\n# Your last plan was refused\n\n" + problems.map { "- \($0)" }.joined(separator: "\n")
                + "\n\nAnswer again with a corrected plan."
        }
        return text
    }

    private func accept(_ plan: Plan) throws(ConductorError) -> PlanChecklist {
        let checklist = PlanChecklist(plan: plan)
        try session.artifact("spec.md", Array("# Spec\n\n\(plan.spec ?? request.prompt)\n".utf8))
        try session.artifact("plan.md", Array(checklist.markdown.utf8))
        return checklist
    }
}
