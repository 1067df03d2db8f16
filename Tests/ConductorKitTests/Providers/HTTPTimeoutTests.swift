import ConductorDomain
import ConductorKit
import ConductorTesting
import Foundation
import Testing

@Suite("Provider timeouts, connection failures and cancellation")
struct HTTPTimeoutTests {
    typealias Fixture = ProviderFixtures

    @Test("nothing listening: a transport error at once, naming the address")
    func connectionRefused() async throws {
        let port = try await TestHTTPServer.unusedPort()
        let provider = try OpenAIProvider(settings: OpenAISettings(baseURL: "http://127.0.0.1:\(port)/v1", model: "m", timeouts: Fixture.quick))
        let started = ContinuousClock.now
        let error = await Fixture.failure(of: provider)
        #expect(error == .transport(provider: "openai", detail: "connection refused by 127.0.0.1:\(port)"))
        #expect(error?.isRetryable == true)
        #expect(ContinuousClock.now - started < .seconds(2), "refused at once, not retried until the connect timeout")
    }

    @Test("a server that never answers: the idle-read timeout fires")
    func stalledBeforeAnswer() async throws {
        try await TestHTTPServer.with { server in
            await server.enqueue(.stall)
            let timeouts = HTTPTimeouts(connect: 2, idleRead: 0.3, total: 10)
            let error = await Fixture.failure(of: try Fixture.anthropic(server, timeouts: timeouts))
            #expect(error == .timeout(provider: "anthropic", phase: "data", seconds: 0.3))
            #expect(error?.description == "anthropic timed out: no data within 0.3 s")
            #expect(error?.isRetryable == true)
        }
    }

    @Test("a stream that stalls in the middle: the idle-read timeout fires")
    func stalledMidStream() async throws {
        try await TestHTTPServer.with { server in
            let events = ProviderWireFixtures.OpenAI.streamEvents(["Hel", "lo"])
            await server.enqueue(.stream(headers: [("content-type", "text/event-stream")], parts: [.chunk(events[0]), .chunk(events[1]), .pause(.seconds(30)), .chunk(events[2])]))
            let timeouts = HTTPTimeouts(connect: 2, idleRead: 0.3, total: 10)
            let error = await Fixture.failure(of: try Fixture.openAI(server, stream: true, timeouts: timeouts))
            #expect(error == .timeout(provider: "openai", phase: "data", seconds: 0.3))
        }
    }

    @Test("a stream that keeps trickling: the total deadline fires, and is not retryable")
    func totalDeadline() async throws {
        try await TestHTTPServer.with { server in
            let piece = ProviderWireFixtures.Ollama.streamLines(["."], done: false)[0]
            await server.enqueue(.lines(Array(repeating: piece, count: 100), gap: .milliseconds(50)))
            let timeouts = HTTPTimeouts(connect: 2, idleRead: 1, total: 0.5)
            let started = ContinuousClock.now
            let error = await Fixture.failure(of: try Fixture.ollama(server, stream: true, timeouts: timeouts))
            #expect(error == .timeout(provider: "ollama", phase: "complete answer", seconds: 0.5))
            #expect(error?.description == "ollama timed out: no complete answer within 0.5 s")
            #expect(error?.isRetryable == false)
            #expect(ContinuousClock.now - started < .seconds(3))
        }
    }

    @Test("cancelling the calling task ends the call at once as cancelled")
    func cancellation() async throws {
        try await TestHTTPServer.with { server in
            await server.enqueue(.stall)
            let provider = try Fixture.openAI(server, timeouts: HTTPTimeouts(connect: 2, idleRead: 30, total: 60))
            let started = ContinuousClock.now
            let call = Task { await Fixture.failure(of: provider) }
            while await server.requests.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
            call.cancel()
            #expect(await call.value == .cancelled(provider: "openai"))
            #expect(ContinuousClock.now - started < .seconds(5))
        }
    }

    @Test("a task cancelled before the call sends nothing")
    func cancelledBefore() async throws {
        try await TestHTTPServer.with { server in
            let provider = try Fixture.openAI(server)
            let call = Task {
                withUnsafeCurrentTask { $0?.cancel() }
                return await Fixture.failure(of: provider)
            }
            #expect(await call.value == .cancelled(provider: "openai"))
            #expect(await server.requests.isEmpty)
        }
    }
}
