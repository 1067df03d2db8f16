import ConductorDomain
import Testing

@Suite("Command provider: presets and the prompt on stdin")
struct CommandPresetTests {
    @Test("the built-in presets start the CLIs as documented, and read their output in the matching format")
    func presets() {
        #expect(CommandPreset.claude.commandLine() == ["claude", "-p", "--output-format", "json"])
        #expect(CommandPreset.claude.output == .claudeJSON)
        #expect(CommandPreset.codex.commandLine() == ["codex", "exec", "--json"])
        #expect(CommandPreset.codex.output == .codexJSONLines)
        #expect(CommandPreset.gemini.commandLine() == ["gemini", "--output-format", "json"])
        #expect(CommandPreset.gemini.output == .geminiJSON)
        #expect(CommandPreset.llm.commandLine() == ["llm"])
        #expect(CommandPreset.llm.output == .text)
        #expect(Set(CommandPreset.builtIn.keys) == ["claude", "codex", "gemini", "llm"])
        #expect(CommandPreset.builtIn.allSatisfy { $0.key == $0.value.name && $0.value.program == $0.key })
    }

    @Test("a model goes in the preset's model option; agentic mode adds the permission to edit, after it")
    func commandLines() {
        #expect(CommandPreset.claude.commandLine(model: "sonnet", agentic: true)
            == ["claude", "-p", "--output-format", "json", "--model", "sonnet", "--permission-mode", "acceptEdits"])
        #expect(CommandPreset.codex.commandLine(agentic: true) == ["codex", "exec", "--json", "--sandbox", "workspace-write"])
        #expect(CommandPreset.gemini.commandLine(model: "gemini-2.5-pro") == ["gemini", "--output-format", "json", "--model", "gemini-2.5-pro"])
        #expect(CommandPreset.llm.commandLine(model: "gpt-4o-mini", agentic: true) == ["llm", "-m", "gpt-4o-mini"], "llm has no agentic mode")
        #expect(CommandPreset.llm.agenticArguments == nil)
        #expect(CommandPreset.claude.commandLine(model: "") == CommandPreset.claude.arguments, "an empty model is no model")
    }

    @Test("a custom command is named after its program and reads plain text unless told otherwise")
    func custom() {
        let preset = CommandPreset.custom(["/opt/tools/my-agent", "--fast"])
        #expect(preset.name == "my-agent" && preset.program == "/opt/tools/my-agent" && preset.output == .text)
        #expect(preset.commandLine(model: "m") == ["/opt/tools/my-agent", "--fast"], "no model option is known for it")
        #expect(CommandPreset.custom(["wrapper"], output: .claudeJSON).output == .claudeJSON)
    }

    @Test("the prompt: system first, then a single user message as it is, or a tagged transcript; always a final newline")
    func prompt() {
        let single = ProviderRequest(purpose: .plan, system: "System.", messages: [ChatMessage(role: .user, content: "Do it.\n")], temperature: 0)
        #expect(CommandPrompt.render(single) == "System.\n\nDo it.\n")
        let noSystem = ProviderRequest(purpose: .plan, system: "", messages: [ChatMessage(role: .user, content: "Only this")], temperature: 0)
        #expect(CommandPrompt.render(noSystem) == "Only this\n")
        let conversation = ProviderRequest(purpose: .repair, system: "S", messages: [
            ChatMessage(role: .user, content: "a"), ChatMessage(role: .assistant, content: "b"),
        ], temperature: 0)
        #expect(CommandPrompt.render(conversation) == "S\n\n<conversation>\n<user>\na\n</user>\n<assistant>\nb\n</assistant>\n</conversation>\n")
        let assistantOnly = ProviderRequest(purpose: .repair, system: "S", messages: [ChatMessage(role: .assistant, content: "b")], temperature: 0)
        #expect(CommandPrompt.render(assistantOnly).contains("<assistant>\nb\n</assistant>"))
    }
}
