import ConductorDomain
import ConductorKit
import Testing

@Suite("Configuration template")
struct ConfigurationTemplateTests {
    /// The template with every commented setting uncommented: lines `# key: …` and
    /// `#   key: …`, but not the prose.
    static func uncommented() -> String {
        ConfigurationTemplate.text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            guard line.hasPrefix("# ") else { return String(line) }
            let body = line.dropFirst(2)
            let word = body.drop(while: { $0 == " " }).prefix(while: { $0.isLowercase || $0.isNumber || $0 == "_" || $0 == "-" })
            return !word.isEmpty && body.drop(while: { $0 == " " }).dropFirst(word.count).first == ":" ? String(body) : String(line)
        }.joined(separator: "\n")
    }

    @Test("as written, the template sets nothing")
    func inert() {
        let layer = ConfigurationFile.parse(ConfigurationTemplate.text, path: "conductor.yml", layer: .repository)
        #expect(layer.problems.isEmpty)
        #expect(layer.settings.isEmpty)
    }

    @Test("uncommented, every setting is valid and the defaults are the built-in ones")
    func defaults() throws {
        let layer = ConfigurationFile.parse(Self.uncommented(), path: "conductor.yml", layer: .repository)
        let report = ConfigurationResolver.resolve([.defaults, layer])
        #expect(report.problems.isEmpty, "\(report.problems.map(\.description))")
        var configuration = try #require(report.configuration)
        // The examples under prices and providers are additions, not defaults.
        #expect(configuration.prices == ["my-model": PriceSettings(inputPerMillionTokens: 1, outputPerMillionTokens: 2)])
        #expect(configuration.providers["local"]?.baseURL == "http://127.0.0.1:8080/v1")
        #expect(configuration.provider == ProviderReference(profile: "anthropic"))
        #expect(configuration.model == "claude-sonnet-4-5")
        configuration.prices = [:]
        configuration.providers["local"] = nil
        configuration.provider = nil
        configuration.model = nil
        #expect(configuration == Configuration.defaults)
        // Every fixed key is in the template.
        let set = Set(layer.settings.keys)
        for key in ConfigSchema.fixedLeafKeys { #expect(set.contains(key), "the template does not show \(key)") }
    }
}
