/// The three clocks of one HTTP call to a provider, kept apart because they catch different
/// failures: a host that does not answer at all (connect), a server that stalls in the middle
/// of an answer (idle read), and an answer that trickles on for too long (total deadline).
///
/// A non-streamed answer is silent until the model has finished, so for those calls the idle
/// read timeout also bounds the time the model may think; stream long answers instead.
public struct HTTPTimeouts: Sendable, Equatable, Codable {
    /// Seconds to establish the TCP (and TLS) connection.
    public var connect: Double
    /// Seconds the server may stay silent, waiting for the answer's head or between two chunks.
    public var idleRead: Double
    /// Seconds for the whole call, from the first connection attempt to the answer's last byte.
    public var total: Double

    public init(connect: Double = 10, idleRead: Double = 120, total: Double = 600) {
        self.connect = connect
        self.idleRead = idleRead
        self.total = total
    }

    /// The configuration's own key names (`timeouts.connect_seconds`, …).
    enum CodingKeys: String, CodingKey {
        case connect = "connect_seconds", idleRead = "idle_read_seconds", total = "total_seconds"
    }

    /// Which timeout fired; the raw value completes "no … within N s".
    public enum Phase: String, Sendable, Equatable, CaseIterable {
        case connect = "connection"
        case idleRead = "data"
        case total = "complete answer"
    }

    public func seconds(for phase: Phase) -> Double {
        switch phase {
        case .connect: connect
        case .idleRead: idleRead
        case .total: total
        }
    }
}
