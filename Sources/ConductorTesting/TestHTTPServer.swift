import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// An HTTP/1.1 server on 127.0.0.1 (ephemeral port) that tests talk to instead of a model API:
/// it records every request and answers with scripted replies, in order — a whole body, a
/// chunked stream with pauses (server-sent events, NDJSON), a stream cut off mid-way, a
/// request left unanswered (for timeouts), or a connection dropped without an answer.
///
/// Built on SwiftNIO's HTTP/1 codec, which AsyncHTTPClient brings anyway, so that the
/// providers are tested over real sockets, with real chunked encoding and real timeouts.
///
/// ```swift
/// let server = try await TestHTTPServer.start()
/// await server.enqueue(.respond(status: 429, headers: [("retry-after", "2")], body: "{}"))
/// … point a provider at server.baseURL …
/// let requests = await server.requests
/// await server.stop()
/// ```
public final class TestHTTPServer: Sendable {
    /// What the server does with the next request.
    public enum Reply: Sendable {
        /// A whole answer with a `content-length`.
        case respond(status: Int, headers: [(String, String)] = [], body: String)
        /// A chunked answer: each `.chunk` is written and flushed, `.pause` waits. With
        /// `.drop` the connection closes before the last chunk (a truncated stream).
        case stream(status: Int = 200, headers: [(String, String)] = [], parts: [StreamPart], ending: StreamEnding = .complete)
        /// Reads the request and never answers (until the server stops).
        case stall
        /// Closes the connection without answering.
        case drop

        /// A JSON answer.
        public static func json(_ body: String, status: Int = 200, headers: [(String, String)] = []) -> Reply {
            .respond(status: status, headers: [("content-type", "application/json")] + headers, body: body)
        }

        /// A `text/event-stream` whose events are written one chunk each, `gap` apart.
        public static func events(_ events: [String], gap: Duration = .zero, ending: StreamEnding = .complete) -> Reply {
            .stream(headers: [("content-type", "text/event-stream"), ("cache-control", "no-cache")], parts: StreamPart.spaced(events, gap: gap), ending: ending)
        }

        /// Newline-delimited JSON (`application/x-ndjson`), one line a chunk, `gap` apart.
        public static func lines(_ lines: [String], gap: Duration = .zero, ending: StreamEnding = .complete) -> Reply {
            .stream(headers: [("content-type", "application/x-ndjson")], parts: StreamPart.spaced(lines.map { $0 + "\n" }, gap: gap), ending: ending)
        }
    }

    public enum StreamPart: Sendable, Equatable {
        case chunk(String)
        case pause(Duration)

        static func spaced(_ texts: [String], gap: Duration) -> [StreamPart] {
            texts.enumerated().flatMap { index, text in
                index == 0 || gap == .zero ? [.chunk(text)] : [.pause(gap), .chunk(text)]
            }
        }
    }

    public enum StreamEnding: Sendable, Equatable {
        /// The chunked body ends properly.
        case complete
        /// The connection closes with the body unfinished.
        case drop
    }

    /// One request as the server received it.
    public struct Request: Sendable {
        public let method: String
        /// Path and query, as sent.
        public let uri: String
        public let headers: [(name: String, value: String)]
        public let body: [UInt8]

        public var path: String { String(uri.prefix { $0 != "?" }) }
        public var query: String? { uri.firstIndex(of: "?").map { String(uri[uri.index(after: $0)...]) } }

        /// The first value of a header, its name compared without case.
        public func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }

        public var bodyText: String { String(decoding: body, as: UTF8.self) }

        /// The body as a JSON object.
        public func json() throws -> [String: Any] {
            guard let object = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
                throw CocoaError(.propertyListReadCorrupt, userInfo: [NSDebugDescriptionErrorKey: "the body is not a JSON object: \(bodyText)"])
            }
            return object
        }
    }

    /// The scripted replies and the requests received, shared by all connections.
    private actor Script {
        var replies: [Reply] = []
        var requests: [Request] = []
        var fallback: Reply = .respond(status: 500, headers: [("content-type", "application/json")], body: #"{"error": {"message": "the test server has no scripted reply left"}}"#)

        func enqueue(_ more: [Reply]) { replies += more }
        func setFallback(_ reply: Reply) { fallback = reply }

        /// Records `request` and hands out the reply for it.
        func receive(_ request: Request) -> Reply {
            requests.append(request)
            return replies.isEmpty ? fallback : replies.removeFirst()
        }
    }

    public let port: Int
    private let script: Script
    private let channel: any Channel
    private let serving: Task<Void, Never>

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    private init(port: Int, script: Script, channel: any Channel, serving: Task<Void, Never>) {
        self.port = port
        self.script = script
        self.channel = channel
        self.serving = serving
    }

    /// Starts a server on 127.0.0.1 on a port the system picks.
    public static func start() async throws -> TestHTTPServer {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(wrappingChannelSynchronously: channel)
                }
            }
        guard let port = server.channel.localAddress?.port else { throw ChannelError.unknownLocalAddress }
        let script = Script()
        let serving = Task {
            await withTaskGroup(of: Void.self) { group in
                try? await server.executeThenClose { connections in
                    for try await connection in connections {
                        group.addTask { await Self.serve(connection, script: script) }
                    }
                }
                group.cancelAll()
            }
        }
        return TestHTTPServer(port: port, script: script, channel: server.channel, serving: serving)
    }

    /// Stops accepting, ends every open connection (stalled ones too) and waits until done.
    public func stop() async {
        serving.cancel()
        try? await channel.close()
        await serving.value
    }

    /// Replies for the next requests, in order.
    public func enqueue(_ replies: Reply...) async {
        await script.enqueue(replies)
    }

    public func enqueue(_ replies: [Reply]) async {
        await script.enqueue(replies)
    }

    /// The reply once the scripted ones are used up (by default a 500 saying so).
    public func whenIdle(_ reply: Reply) async {
        await script.setFallback(reply)
    }

    /// Every request received so far, in order.
    public var requests: [Request] {
        get async { await script.requests }
    }

    private static func serve(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, script: Script) async {
        try? await connection.executeThenClose { inbound, outbound in
            var head: HTTPRequestHead?
            var body: [UInt8] = []
            for try await part in inbound {
                switch part {
                case .head(let requestHead):
                    head = requestHead
                    body = []
                case .body(var buffer):
                    body += buffer.readBytes(length: buffer.readableBytes) ?? []
                case .end:
                    guard let requestHead = head else { continue }
                    let request = Request(
                        method: requestHead.method.rawValue, uri: requestHead.uri,
                        headers: requestHead.headers.map { (name: $0.name, value: $0.value) }, body: body
                    )
                    guard try await answer(await script.receive(request), with: outbound) else { return }
                }
            }
        }
    }

    /// Writes `reply`; false when the connection is to be closed now.
    private static func answer(_ reply: Reply, with outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>) async throws -> Bool {
        switch reply {
        case let .respond(status, headers, body):
            var fields = HTTPHeaders(headers)
            fields.replaceOrAdd(name: "content-length", value: String(body.utf8.count))
            try await outbound.write(.head(HTTPResponseHead(version: .http1_1, status: .init(statusCode: status), headers: fields)))
            try await outbound.write(.body(.byteBuffer(ByteBuffer(string: body))))
            try await outbound.write(.end(nil))
            return true
        case let .stream(status, headers, parts, ending):
            // No content-length: NIO sends the body chunked.
            try await outbound.write(.head(HTTPResponseHead(version: .http1_1, status: .init(statusCode: status), headers: HTTPHeaders(headers))))
            for part in parts {
                switch part {
                case .chunk(let text): try await outbound.write(.body(.byteBuffer(ByteBuffer(string: text))))
                case .pause(let duration): try await Task.sleep(for: duration)
                }
            }
            guard ending == .complete else { return false }
            try await outbound.write(.end(nil))
            return true
        case .stall:
            while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
            return false
        case .drop:
            return false
        }
    }
}

extension TestHTTPServer {
    /// A port on 127.0.0.1 where nothing listens (bound, then released), for refused connections.
    public static func unusedPort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 9
        try await channel.close()
        return port
    }

    /// Runs `body` with a started server and stops it afterwards, whether `body` throws or not.
    public static func with<Result>(_ body: (TestHTTPServer) async throws -> Result) async throws -> Result {
        let server = try await start()
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }
}
