import ConductorDomain
import ConductorKit
import ConductorTesting
import Foundation
import Testing

@Suite("Azure OpenAI provider over HTTP")
struct AzureOpenAIProviderTests {
    typealias Fixture = ProviderFixtures

    @Test("the URL names the deployment and api-version; the key goes in api-key; the body names no model")
    func requestShape() async throws {
        try await TestHTTPServer.with { server in
            await server.enqueue(.events(ProviderWireFixtures.OpenAI.streamEvents(["Hi"], model: "gpt-4o-2024-11-20")))
            let settings = AzureOpenAISettings(endpoint: server.baseURL + "/", deployment: "my gpt-4o", apiVersion: "2024-10-21", apiKey: Fixture.key, timeouts: Fixture.quick)
            let response = try await AzureOpenAIProvider(settings: settings).complete(Fixture.request)
            #expect(response.text == "Hi" && response.usage.model == "gpt-4o-2024-11-20")
            let request = try #require(await server.requests.first)
            #expect(request.uri == "/openai/deployments/my%20gpt-4o/chat/completions?api-version=2024-10-21")
            #expect(request.header("api-key") == Fixture.secret && request.header("authorization") == nil)
            let body = try request.json()
            #expect(body["model"] == nil && body["stream"] as? Bool == true)
        }
        #expect(AzureOpenAIProvider.url(endpoint: "https://contoso.openai.azure.com", deployment: "gpt-4o", apiVersion: "2024-10-21")
            == "https://contoso.openai.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21")
    }

    @Test("no key: refused at construction, naming AZURE_OPENAI_API_KEY; a 401 says the same")
    func keys() async throws {
        #expect(throws: ProviderError.missingCredential(provider: "azure", variable: "AZURE_OPENAI_API_KEY")) {
            _ = try AzureOpenAIProvider(settings: AzureOpenAISettings(endpoint: "https://x.openai.azure.com", deployment: "d", apiKey: nil))
        }
        try await TestHTTPServer.with { server in
            await server.enqueue(.json(#"{"error":{"code":"401","message":"Access denied due to invalid subscription key or wrong API endpoint."}}"#, status: 401))
            let settings = AzureOpenAISettings(endpoint: server.baseURL, deployment: "d", apiKey: Fixture.key, stream: false, timeouts: Fixture.quick)
            let error = await Fixture.failure(of: try AzureOpenAIProvider(settings: settings))
            #expect(error?.description == "invalid API key for azure (HTTP 401): set AZURE_OPENAI_API_KEY (the API said: Access denied due to invalid subscription key or wrong API endpoint.)")
        }
    }
}
