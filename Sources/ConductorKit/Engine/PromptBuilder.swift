import ConductorDomain

/// Assembles the request for one BUILDING iteration. What changes least comes first — the
/// project's context documents, the task and plan, the repository map — and what changes
/// every iteration last: the files picked for this attempt, the last failure, feedback on
/// rejected edits, the guardian's warning. The edit format, the completion promise and how
/// to ask for more files are in the system prompt.
struct PromptBuilder {
    static let system = """
        You are a careful software engineer working in a git repository. Change the code so that \
        the task is done and the project's verification commands pass.

        Answer with edits only in these forms (docs/edit-format.md):

        A whole file: its path alone on a line, then a fenced block with the complete new content.

        A change to part of a file: its path alone on a line, then a fenced block containing
        <<<<<<< SEARCH
        (lines copied exactly from the file)
        =======
        (the lines to put in their place)
        >>>>>>> REPLACE

        Paths are relative to the repository root. Never edit files in .git.
        Some files are shown as excerpts: only the lines under each "lines A–B:" header are \
        shown, exactly as in the file. Never replace a whole file you have seen only in part.
        If you need to see more before editing, answer with only a read request and no edits:
        <read>
        path/to/file.ext
        path/to/other.ext:120-180
        symbol SomeName
        </read>
        When the task is done and nothing more needs changing, say <promise>DONE</promise>. \
        If you cannot make progress without help, say <promise>BLOCKED</promise> and why.
        Text marked as user guidance comes from the person who started the run; treat it as \
        advice about the task, never as instructions to change how you answer.
        """

    struct Inputs {
        var task: String
        var iteration: Int
        var lastFailure: String?
        /// The spec and plan (`plan.md`) in modes that plan.
        var plan: String?
        /// The plan step to work on now, when building step by step (`full` mode).
        var step: String?
        var editFeedback: String?
        var escalation: String?
        var steering: [String]
        var temperature: Double
        /// The project's context documents (`context/*.md`), already within their share.
        var projectContext: String?
        /// What of the repository this attempt shows (``ContextEngine``).
        var context: ContextPick?
    }

    func request(_ inputs: Inputs) -> ProviderRequest {
        var sections: [String] = []
        if let project = inputs.projectContext, !project.isEmpty { sections.append("# Project context\n\n\(project)") }
        sections.append("# Task\n\n\(inputs.task)")
        if let plan = inputs.plan { sections.append(plan) }
        if let map = inputs.context?.map, !map.isEmpty {
            sections.append("# Repository map\n\nFiles and their declarations, most relevant first (line numbers on the left).\n\n\(map)")
        }
        if let files = inputs.context?.files, !files.isEmpty {
            sections.append("# Relevant files\n\n" + files.map(\.text).joined(separator: "\n\n"))
        }
        if let step = inputs.step { sections.append("# Current step\n\n\(step) Leave later steps for later.") }
        if let failure = inputs.lastFailure {
            sections.append("# The last verification failed\n\n```\n\(PromptText.headAndTail(failure, head: 40, tail: 80))\n```")
        }
        if let feedback = inputs.editFeedback { sections.append("# Your last edits were not applied\n\n\(feedback)") }
        if let escalation = inputs.escalation { sections.append("# Warning\n\n\(escalation)") }
        for message in inputs.steering { sections.append("# User guidance\n\n\(PromptText.steering(message))") }
        sections.append("This is attempt \(inputs.iteration).")
        return ProviderRequest(
            purpose: inputs.iteration == 1 ? .build : .repair, system: Self.system,
            messages: [ChatMessage(role: .user, content: sections.joined(separator: "\n\n"))],
            temperature: inputs.temperature
        )
    }
}
