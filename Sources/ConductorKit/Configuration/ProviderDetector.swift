import ConductorDomain
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Looks for the clues of ``ProviderDetection`` on this machine: variables in the
/// environment, a server on a local port, a program on `PATH`.
public struct ProviderDetector: Sendable {
    public let environment: [String: String]
    /// Where a relative `PATH` entry points.
    public let directory: String
    /// Whether something accepts connections at a base URL; a TCP connect by default.
    public let serverAnswers: @Sendable (String) -> Bool

    public init(
        environment: [String: String], directory: String = FileManager.default.currentDirectoryPath,
        serverAnswers: @escaping @Sendable (String) -> Bool = { ProviderDetector.acceptsConnections(baseURL: $0) }
    ) {
        self.environment = environment
        self.directory = directory
        self.serverAnswers = serverAnswers
    }

    /// The configured provider, or the one detected when none is configured.
    public func provider(for configuration: Configuration) -> ProviderDetection.Choice? {
        if let provider = configuration.provider { return ProviderDetection.Choice(provider: provider, reason: "configured") }
        return ProviderDetection.choose(in: configuration) { clue, profile in
            switch clue {
            case .keyVariable:
                return profile.apiKeyEnv.map { !(environment[$0] ?? "").isEmpty } ?? false
            case .serverAnswers:
                return profile.baseURL.map(serverAnswers) ?? false
            case .programOnPath:
                guard let program = ProviderDetection.program(of: profile) else { return false }
                if case .executable = CommandAvailability.check(program, in: directory, environment: environment) { return true }
                return false
            }
        }
    }

    /// ``provider(for:)``, failing with what to do when there is none.
    public func requireProvider(for configuration: Configuration) throws(ConductorError) -> ProviderDetection.Choice {
        guard let choice = provider(for: configuration) else { throw .providerUnavailable("auto-detect", detail: ProviderDetection.noneFound) }
        return choice
    }

    /// Whether a TCP connection to the URL's host and port (80 or 443 by default) is accepted
    /// within `timeout` seconds. Enough to tell a local Ollama is up without speaking HTTP.
    public static func acceptsConnections(baseURL: String, timeout: Double = 0.3) -> Bool {
        guard let components = URLComponents(string: baseURL), let host = components.host, !host.isEmpty else { return false }
        let port = components.port ?? (components.scheme == "https" ? 443 : 80)
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if os(Linux)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else { return false }
        defer { freeaddrinfo(list) }
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let address = cursor {
            if connects(address.pointee, timeout: timeout) { return true }
            cursor = address.pointee.ai_next
        }
        return false
    }

    private static func connects(_ address: addrinfo, timeout: Double) -> Bool {
        let descriptor = socket(address.ai_family, address.ai_socktype, address.ai_protocol)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        if connect(descriptor, address.ai_addr, address.ai_addrlen) == 0 { return true }
        guard errno == EINPROGRESS else { return false }
        var poller = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
        guard poll(&poller, 1, Int32(timeout * 1000)) == 1 else { return false }
        var failure: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        return getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &failure, &length) == 0 && failure == 0
    }
}
