/// The plan a model proposes in PLANNING: a short spec and a few steps, each naming the files
/// it expects to touch. The engine checks it against ``PlanRules`` before writing `plan.md`.
public struct Plan: Sendable, Equatable, Codable {
    public struct Step: Sendable, Equatable, Codable {
        public let description: String
        public let files: [String]

        public init(description: String, files: [String]) {
            self.description = description
            self.files = files
        }
    }

    public let spec: String?
    public let steps: [Step]

    public init(spec: String?, steps: [Step]) {
        self.spec = spec
        self.steps = steps
    }
}

/// What makes a plan acceptable: a bounded number of steps and files, every file a path the
/// edit layer would accept (``PathPolicy``), so a plan never promises what cannot be done.
public struct PlanRules: Sendable, Equatable {
    public var maxSteps: Int
    public var maxFilesPerStep: Int
    public var paths: PathPolicy

    public init(maxSteps: Int = 8, maxFilesPerStep: Int = 20, paths: PathPolicy = PathPolicy()) {
        self.maxSteps = maxSteps
        self.maxFilesPerStep = maxFilesPerStep
        self.paths = paths
    }

    /// Every problem with `plan`, each naming the step and what is wrong; empty when it passes.
    /// The engine sends these back to the model when it asks for a corrected plan.
    public func problems(in plan: Plan) -> [String] {
        var problems: [String] = []
        if plan.steps.isEmpty { problems.append("the plan has no steps") }
        if plan.steps.count > maxSteps { problems.append("the plan has \(plan.steps.count) steps; at most \(maxSteps) are allowed") }
        for (index, step) in plan.steps.enumerated() {
            let name = "step \(index + 1)"
            if step.description.allSatisfy(\.isWhitespace) { problems.append("\(name) has no description") }
            if step.files.count > maxFilesPerStep {
                problems.append("\(name) lists \(step.files.count) files; at most \(maxFilesPerStep) are allowed")
            }
            for file in step.files {
                if let violation = paths.violation(for: file) { problems.append("\(name): file '\(file)': \(violation.explanation)") }
            }
        }
        return problems
    }
}

/// `plan.md`: the plan as a checklist that the engine updates as steps progress.
/// `[ ]` pending, `[~]` in progress, `[x]` done with the short id of the commit that did it.
public struct PlanChecklist: Sendable, Equatable, Codable {
    public enum Mark: Sendable, Equatable, Codable {
        case pending, inProgress
        case done(commit: String)
    }

    public let plan: Plan
    public private(set) var marks: [Mark]

    public init(plan: Plan) {
        self.plan = plan
        marks = Array(repeating: .pending, count: plan.steps.count)
    }

    public mutating func mark(step index: Int, _ mark: Mark) {
        guard marks.indices.contains(index) else { return }
        marks[index] = mark
    }

    /// The first step not yet done, if any.
    public var currentStep: Int? { marks.firstIndex { if case .done = $0 { false } else { true } } }

    public var markdown: String {
        var lines = ["# Plan", ""]
        if let spec = plan.spec, !spec.isEmpty { lines += [spec, ""] }
        for (step, mark) in zip(plan.steps, marks) {
            let box = switch mark {
            case .pending: "[ ]"
            case .inProgress: "[~]"
            case .done(let commit): "[x] \(commit)"
            }
            let files = step.files.isEmpty ? "" : " (" + step.files.map { "`\($0)`" }.joined(separator: ", ") + ")"
            lines.append("- \(box) \(Self.oneLine(step.description))\(files)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
