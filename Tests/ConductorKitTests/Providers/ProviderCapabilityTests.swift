import ConductorDomain
import ConductorKit
import Foundation
import Testing

/// What the engine can ask of a run's provider before calling it, and how a recorded
/// provider chain reads back.
@Suite("Provider capabilities for the engine")
struct ProviderCapabilityTests {
    @Test("allowsTemperature: false for a reasoning primary (by the table or the profile), true otherwise and for scripts")
    func allowsTemperature() {
        let o3 = ProviderProfile(name: "openai", kind: .openai, model: "o3")
        let gpt4o = ProviderProfile(name: "openai", kind: .openai, model: "gpt-4o")
        let local = ProviderProfile(name: "local", kind: .openai, model: "thinker", capabilities: .reasoning)
        let azure = ProviderProfile(name: "azure", kind: .azure, deployment: "gpt-5-mini")
        #expect(!ProviderSpec.configured(ProviderChain(profiles: [o3])).allowsTemperature)
        #expect(!ProviderSpec.configured(ProviderChain(profiles: [local])).allowsTemperature)
        #expect(!ProviderSpec.configured(ProviderChain(profiles: [azure])).allowsTemperature)
        #expect(ProviderSpec.configured(ProviderChain(profiles: [gpt4o, o3])).allowsTemperature, "the primary decides")
        #expect(ProviderSpec.script(path: "a.json").allowsTemperature)
    }

    @Test("a chain recorded before output limits reads back with the defaults; a new one round-trips its limits and profile fields")
    func recordedChain() throws {
        let old = #"{"profiles":[{"name":"openai","kind":"openai","model":"gpt-4o","stream":true,"agentic":false}],"timeouts":{"connect_seconds":10,"idle_read_seconds":120,"total_seconds":600},"retry":{"max_attempts":4,"base_delay_ms":500,"max_delay_ms":30000,"max_total_wait_seconds":120},"circuit_breaker":{"failure_threshold":5,"cool_down_seconds":30},"prices":{}}"#
        let chain = try JSONDecoder().decode(ProviderChain.self, from: Data(old.utf8))
        #expect(chain.outputLimits == OutputTokenLimits())
        let profile = ProviderProfile(name: "openai", kind: .openai, model: "o3", maxOutputTokens: 900, capabilities: .reasoning, reasoningEffort: .low)
        let fresh = ProviderChain(profiles: [profile], outputLimits: OutputTokenLimits(all: 1234))
        #expect(try JSONDecoder().decode(ProviderChain.self, from: JSONEncoder().encode(fresh)) == fresh)
    }
}
