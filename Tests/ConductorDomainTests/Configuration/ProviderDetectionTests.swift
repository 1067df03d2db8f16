import ConductorDomain
import Testing

@Suite("Provider detection")
struct ProviderDetectionTests {
    static let configuration = ConfigurationResolver.resolve([.defaults]).configuration!

    /// (the clues that hold, the profile chosen, the reason)
    static let table: [([ProviderDetection.Clue], String?, String?)] = [
        ([.keyVariable(profile: "anthropic"), .keyVariable(profile: "openai"), .serverAnswers(profile: "ollama")], "anthropic", "ANTHROPIC_API_KEY is set"),
        ([.keyVariable(profile: "openai"), .serverAnswers(profile: "ollama"), .programOnPath(profile: "command")], "openai", "OPENAI_API_KEY is set"),
        ([.serverAnswers(profile: "ollama"), .programOnPath(profile: "command")], "ollama", "a server answers at http://127.0.0.1:11434"),
        ([.programOnPath(profile: "command")], "command", "claude is on PATH"),
        ([], nil, nil),
    ]

    @Test("the first clue that holds chooses, in the documented order", arguments: table.indices)
    func order(index: Int) {
        let (holding, profile, reason) = Self.table[index]
        var asked: [ProviderDetection.Clue] = []
        let choice = ProviderDetection.choose(in: Self.configuration) { clue, _ in
            asked.append(clue)
            return holding.contains(clue)
        }
        #expect(choice?.provider.profile == profile)
        #expect(choice?.reason == reason)
        // Clues after the one that holds are never checked (a server probe costs time).
        #expect(asked == Array(ProviderDetection.order.prefix(profile.map { _ in asked.count } ?? ProviderDetection.order.count)))
        if let profile { #expect(asked.last?.profile == profile) }
    }

    @Test("the profiles are taken as configured: another Ollama host, another preset")
    func configuredProfiles() throws {
        let layer = LayerSettings.flags(["providers.ollama.base_url": "http://gpu:11434", "providers.command.preset": "codex"])
        let configuration = try #require(ConfigurationResolver.resolve([.defaults, layer]).configuration)
        let ollama = ProviderDetection.choose(in: configuration) { clue, _ in clue == .serverAnswers(profile: "ollama") }
        #expect(ollama?.reason == "a server answers at http://gpu:11434")
        let command = ProviderDetection.choose(in: configuration) { clue, _ in clue == .programOnPath(profile: "command") }
        #expect(command?.reason == "codex is on PATH")
    }

    @Test("the message for nothing found says how to configure one and points at the demo")
    func noneFound() {
        #expect(ProviderDetection.noneFound.contains("CONDUCTOR_PROVIDER"))
        #expect(ProviderDetection.noneFound.contains("git conductor demo"))
    }
}
