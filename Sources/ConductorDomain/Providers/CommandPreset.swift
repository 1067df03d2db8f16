/// How a command-line agent writes its answer on stdout.
public enum CommandOutputFormat: String, Sendable, Codable, CaseIterable {
    /// `claude -p --output-format json`: one result object with `result`, `usage`,
    /// `total_cost_usd`, `session_id` and `is_error`.
    case claudeJSON = "claude-json"
    /// `codex exec --json`: JSON Lines events; the last agent message is the answer, and
    /// `turn.completed` (or, from older versions, `token_count`) events carry the usage.
    case codexJSONLines = "codex-jsonl"
    /// `gemini --output-format json`: one object with `response`, per-model `stats` and `error`.
    case geminiJSON = "gemini-json"
    /// The whole of stdout is the answer; the CLI reports no usage, so it is estimated.
    case text
}

/// A command-line agent the command provider can drive: the words that start it, how to read
/// its answer, and what to add for a model or for agentic mode. Pure data, so presets can be
/// listed, compared, recorded and tested without running anything.
///
/// The prompt always goes to stdin (``CommandPrompt``), never into the arguments, where it
/// would be visible to every user of the machine in `ps` and limited in length.
public struct CommandPreset: Sendable, Equatable {
    /// The preset's name, as configured (`command:claude`) and recorded.
    public var name: String
    /// The program and its arguments for an ordinary call.
    public var arguments: [String]
    public var output: CommandOutputFormat
    /// The option that picks a model (`--model`, `-m`); nil when the CLI has none.
    public var modelOption: String?
    /// What to add so the agent may edit the worktree itself; nil when it cannot.
    public var agenticArguments: [String]?
    /// How to get the program when it is not found, for the error message.
    public var installHint: String

    public init(
        name: String, arguments: [String], output: CommandOutputFormat, modelOption: String? = nil,
        agenticArguments: [String]? = nil, installHint: String
    ) {
        self.name = name
        self.arguments = arguments
        self.output = output
        self.modelOption = modelOption
        self.agenticArguments = agenticArguments
        self.installHint = installHint
    }

    /// The program to start: the first argument.
    public var program: String { arguments.first ?? "" }

    /// The arguments of one call: the preset's, then the model option, then (in agentic mode)
    /// the permission to edit.
    public func commandLine(model: String? = nil, agentic: Bool = false) -> [String] {
        var words = arguments
        if let model, !model.isEmpty, let option = modelOption { words += [option, model] }
        if agentic, let extra = agenticArguments { words += extra }
        return words
    }

    /// Claude Code in print mode. `-p` is a flag here: the prompt comes from stdin. Agentic
    /// mode lets it accept its own file edits; it still asks (and, unattended, is refused) for
    /// anything else, such as running commands.
    public static let claude = CommandPreset(
        name: "claude", arguments: ["claude", "-p", "--output-format", "json"], output: .claudeJSON,
        modelOption: "--model", agenticArguments: ["--permission-mode", "acceptEdits"],
        installHint: "install Claude Code (npm install -g @anthropic-ai/claude-code) and log in, or configure the command's path"
    )

    /// Codex CLI, non-interactive. Without a prompt argument it reads the prompt from stdin.
    /// `codex exec` runs in a read-only sandbox unless agentic mode lets it write the worktree.
    public static let codex = CommandPreset(
        name: "codex", arguments: ["codex", "exec", "--json"], output: .codexJSONLines,
        modelOption: "--model", agenticArguments: ["--sandbox", "workspace-write"],
        installHint: "install the Codex CLI (npm install -g @openai/codex) and log in, or configure the command's path"
    )

    /// Gemini CLI in headless mode, which a non-terminal stdin starts. `-p` is left out: it
    /// takes the prompt as its value, and the prompt comes from stdin.
    public static let gemini = CommandPreset(
        name: "gemini", arguments: ["gemini", "--output-format", "json"], output: .geminiJSON,
        modelOption: "--model", agenticArguments: ["--approval-mode", "auto_edit"],
        installHint: "install the Gemini CLI (npm install -g @google/gemini-cli) and log in, or configure the command's path"
    )

    /// Simon Willison's `llm`: reads the prompt from stdin and prints the answer as text.
    public static let llm = CommandPreset(
        name: "llm", arguments: ["llm"], output: .text, modelOption: "-m",
        installHint: "install llm (pipx install llm, or pip install llm) and set up a model (llm keys set openai), or configure the command's path"
    )

    /// The built-in presets, by name.
    public static let builtIn: [String: CommandPreset] = [
        claude.name: claude, codex.name: codex, gemini.name: gemini, llm.name: llm,
    ]

    /// Any other program: `arguments` start it, and its stdout is read as `output` (plain text
    /// unless said otherwise). It is named after its program.
    public static func custom(_ arguments: [String], output: CommandOutputFormat = .text, agenticArguments: [String]? = nil) -> CommandPreset {
        let program = arguments.first ?? ""
        let base = program.split(separator: "/").last.map(String.init) ?? program
        return CommandPreset(
            name: base, arguments: arguments, output: output, agenticArguments: agenticArguments,
            installHint: "check the configured command, or give its full path"
        )
    }
}

/// A request as one text for a CLI's stdin: the system prompt first, then the conversation.
/// A single user message follows the system prompt as it is; a longer conversation is
/// written as a transcript in tags, so that the CLI's model can tell the turns apart.
public enum CommandPrompt {
    public static func render(_ request: ProviderRequest) -> String {
        var parts: [String] = []
        if !request.system.isEmpty { parts.append(request.system) }
        if request.messages.count == 1, let only = request.messages.first, only.role == .user {
            parts.append(only.content)
        } else if !request.messages.isEmpty {
            let turns = request.messages.map { message in
                "<\(message.role.rawValue)>\n\(message.content)\n</\(message.role.rawValue)>"
            }
            parts.append("<conversation>\n" + turns.joined(separator: "\n") + "\n</conversation>")
        }
        let text = parts.joined(separator: "\n\n")
        return text.hasSuffix("\n") ? text : text + "\n"
    }
}
