import AsyncHTTPClient
import ConductorDomain
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// One POST of a JSON body to a provider's API.
struct HTTPCall: Sendable {
    let url: String
    let headers: [(String, String)]
    /// Added to the headers only as the request is built.
    let credential: CredentialHeader?
    let body: [UInt8]
}

/// The status line and headers of an answer, before its body.
struct HTTPAnswerHead: Sendable {
    let status: Int
    let headers: HTTPHeaders

    var isSuccess: Bool { (200..<300).contains(status) }

    /// A header's first value, its name compared without case.
    func header(_ name: String) -> String? { headers.first(name: name) }
}

/// Sends provider calls with AsyncHTTPClient and enforces the three ``HTTPTimeouts``:
/// AsyncHTTPClient's own connect and read timeouts, and a total deadline raced against the
/// whole call, body included, since the client's deadline stops at the answer's head.
///
/// Each call gets its own client, shut down when the call ends: no connection pool or
/// event-loop thread outlives a call, cancellation and timeouts tear everything down, and a
/// model call (seconds) does not miss the pooled connection (a millisecond on loopback, one
/// TLS handshake elsewhere). The client neither retries connections nor follows redirects;
/// retries belong to ``ResilientProvider``, where they are capped and recorded.
struct HTTPTransport: Sendable {
    let provider: String
    let timeouts: HTTPTimeouts

    /// Sends `call`, then lets `read` consume the answer, within the total deadline.
    /// Cancelling the calling task cancels the call (``ProviderError/cancelled(provider:)``).
    func post<Result: Sendable>(
        _ call: HTTPCall,
        read: @escaping @Sendable (HTTPAnswerHead, inout HTTPAnswerBody) async throws(ProviderError) -> Result
    ) async throws(ProviderError) -> Result {
        guard !Task.isCancelled else { throw .cancelled(provider: provider) }
        let outcome = await withTaskGroup(of: Swift.Result<Result, ProviderError>?.self) { group in
            group.addTask { await self.exchange(call, read: read) }
            group.addTask {
                do { try await Task.sleep(for: .seconds(timeouts.total)) } catch { return nil }
                return .failure(.timeout(provider: provider, phase: HTTPTimeouts.Phase.total.rawValue, seconds: timeouts.total))
            }
            var first: Swift.Result<Result, ProviderError>?
            while first == nil, let next = await group.next() {
                first = next
            }
            group.cancelAll()
            return first ?? .failure(.cancelled(provider: provider))
        }
        return try outcome.get()
    }

    private func exchange<Result: Sendable>(
        _ call: HTTPCall,
        read: @Sendable (HTTPAnswerHead, inout HTTPAnswerBody) async throws(ProviderError) -> Result
    ) async -> Swift.Result<Result, ProviderError> {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: Self.amount(timeouts.connect), read: Self.amount(timeouts.idleRead))
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.redirectConfiguration = .disallow
        do {
            return try await HTTPClient.withHTTPClient(configuration: configuration) { client in
                var request = HTTPClientRequest(url: call.url)
                request.method = .POST
                request.headers.add(name: "content-type", value: "application/json")
                request.headers.add(name: "user-agent", value: "git-conductor/\(ConductorVersion.current)")
                for (name, value) in call.headers + (call.credential.map { [$0.field] } ?? []) {
                    request.headers.replaceOrAdd(name: name, value: value)
                }
                request.body = .bytes(ByteBuffer(bytes: call.body))
                let response = try await client.execute(request, deadline: .now() + Self.amount(timeouts.total))
                let head = HTTPAnswerHead(status: Int(response.status.code), headers: response.headers)
                var body = HTTPAnswerBody(iterator: response.body.makeAsyncIterator(), transport: self)
                do throws(ProviderError) {
                    return .success(try await read(head, &body))
                } catch {
                    return .failure(error)
                }
            }
        } catch {
            return .failure(failure(error, target: Self.target(of: call.url)))
        }
    }

    /// `host:port` of a URL, for messages about the connection.
    static func target(of url: String) -> String? {
        guard let components = URLComponents(string: url), let host = components.host else { return nil }
        let port = components.port ?? (components.scheme?.lowercased() == "https" ? 443 : 80)
        return "\(host):\(port)"
    }

    /// The ``ProviderError`` for an error AsyncHTTPClient or SwiftNIO threw; `target` is the
    /// server's `host:port`, when known.
    func failure(_ error: any Error, target: String? = nil) -> ProviderError {
        if let error = error as? ProviderError { return error }
        if Task.isCancelled || error is CancellationError { return .cancelled(provider: provider) }
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout, .tlsHandshakeTimeout, .getConnectionFromPoolTimeout:
                return .timeout(provider: provider, phase: HTTPTimeouts.Phase.connect.rawValue, seconds: timeouts.connect)
            case .readTimeout:
                return .timeout(provider: provider, phase: HTTPTimeouts.Phase.idleRead.rawValue, seconds: timeouts.idleRead)
            case .deadlineExceeded:
                return .timeout(provider: provider, phase: HTTPTimeouts.Phase.total.rawValue, seconds: timeouts.total)
            case .cancelled:
                return .cancelled(provider: provider)
            case .remoteConnectionClosed:
                return .transport(provider: provider, detail: "the connection closed before the answer was complete")
            default:
                return .transport(provider: provider, detail: "\(error)")
            }
        }
        if error is HTTPParserError {
            return .transport(provider: provider, detail: "the connection closed before the answer was complete (\(error))")
        }
        if let error = error as? NIOConnectionError {
            return .transport(provider: provider, detail: Self.describe(error))
        }
        if let error = error as? IOError {
            return .transport(provider: provider, detail: Self.describe(error, target: target))
        }
        return .transport(provider: provider, detail: "\(error)")
    }

    private static func describe(_ error: NIOConnectionError) -> String {
        if let dns = error.dnsAError ?? error.dnsAAAAError {
            return "cannot resolve \(error.host): \(dns)"
        }
        guard let first = error.connectionErrors.first else { return "cannot connect to \(error.host):\(error.port)" }
        if let io = first.error as? IOError, io.errnoCode == ECONNREFUSED {
            return "connection refused by \(error.host):\(error.port)"
        }
        return "cannot connect to \(error.host):\(error.port): \(first.error)"
    }

    private static func describe(_ error: IOError, target: String?) -> String {
        switch error.errnoCode {
        case ECONNREFUSED: "connection refused" + (target.map { " by \($0)" } ?? "")
        case ECONNRESET: "connection reset by the server"
        case EPIPE: "the connection closed before the request was sent"
        default: "\(error)"
        }
    }

    static func amount(_ seconds: Double) -> TimeAmount {
        .nanoseconds(Int64(max(0, min(seconds, 1e9)) * 1e9))
    }
}

/// An answer's body as it arrives, with AsyncHTTPClient's errors turned into ``ProviderError``s.
struct HTTPAnswerBody {
    var iterator: HTTPClientResponse.Body.AsyncIterator
    let transport: HTTPTransport

    /// The next chunk, or nil at the end of the body.
    mutating func next() async throws(ProviderError) -> ByteBuffer? {
        do {
            return try await iterator.next()
        } catch {
            throw transport.failure(error)
        }
    }

    /// The body, or its first `limit` bytes when it is longer (`truncated`).
    mutating func collect(limit: Int) async throws(ProviderError) -> (bytes: [UInt8], truncated: Bool) {
        var bytes: [UInt8] = []
        while var chunk = try await next() {
            let room = limit - bytes.count
            bytes += chunk.readBytes(length: min(room, chunk.readableBytes)) ?? []
            if chunk.readableBytes > 0 { return (bytes, true) }
        }
        return (bytes, false)
    }

    /// Calls `handle` with each line of the body as the chunks arrive (newline-delimited
    /// JSON), until the body ends or `handle` returns false (the answer is complete).
    mutating func forEachLine(_ handle: (String) throws(ProviderError) -> Bool) async throws(ProviderError) {
        var buffer = StreamLineBuffer()
        do {
            while let chunk = try await next() {
                for line in try buffer.append(chunk.readableBytesView) {
                    guard try handle(line) else { return }
                }
            }
            if let last = buffer.finish() { _ = try handle(last) }
        } catch let error as StreamLineBuffer.LineTooLong {
            throw .malformedResponse(provider: transport.provider, detail: "a streamed line is longer than \(error.limit) bytes")
        } catch let error as ProviderError {
            throw error
        } catch {
            throw transport.failure(error)
        }
    }

    /// Calls `handle` with each server-sent event of the body as the chunks arrive, until the
    /// body ends or `handle` returns false.
    mutating func forEachEvent(_ handle: (ServerSentEvent) throws(ProviderError) -> Bool) async throws(ProviderError) {
        var parser = ServerSentEventParser()
        var stopped = false
        try await forEachLine { line throws(ProviderError) in
            guard let event = parser.feed(line: line) else { return true }
            stopped = try !handle(event)
            return !stopped
        }
        if !stopped, let event = parser.finish() { _ = try handle(event) }
    }
}
