/// Where an event sits in its run's order: a Lamport clock, then the writing machine, then a
/// sequence number within one commit. The stamp is also the event's file name, so the tree
/// listing alone gives the order and no two writers can pick the same name.
public struct EventStamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let clock: UInt64
    public let machine: MachineID
    public let sequence: Int

    public init(clock: UInt64, machine: MachineID, sequence: Int) {
        self.clock = clock
        self.machine = machine
        self.sequence = sequence
    }

    static let clockDigits = 12
    static let sequenceDigits = 4

    /// `<clock, 12 digits>-<machine>-<sequence, 4 digits>.json`, which sorts in stamp order.
    public var fileName: String {
        "\(Self.padded(clock, Self.clockDigits))-\(machine.rawValue)-\(Self.padded(UInt64(sequence), Self.sequenceDigits)).json"
    }

    /// Parses a file name written by ``fileName``; nil for anything else.
    public init?(fileName: String) {
        guard fileName.hasSuffix(".json") else { return nil }
        let parts = fileName.dropLast(5).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3,
              parts[0].count == Self.clockDigits, parts[0].allSatisfy(\.isASCIIDigit), let clock = UInt64(parts[0]),
              let machine = MachineID(String(parts[1])),
              parts[2].count == Self.sequenceDigits, parts[2].allSatisfy(\.isASCIIDigit), let sequence = Int(parts[2])
        else { return nil }
        self.init(clock: clock, machine: machine, sequence: sequence)
    }

    /// The clock for the next event: one past every clock already seen (the Lamport rule).
    public static func nextClock(after stamps: some Sequence<EventStamp>) -> UInt64 {
        (stamps.map(\.clock).max() ?? 0) + 1
    }

    public var description: String { fileName }

    public static func < (lhs: EventStamp, rhs: EventStamp) -> Bool {
        (lhs.clock, lhs.machine.rawValue, lhs.sequence) < (rhs.clock, rhs.machine.rawValue, rhs.sequence)
    }

    private static func padded(_ value: UInt64, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

/// Names the clone that wrote an event: 1–32 lowercase letters and digits, random per clone.
public struct MachineID: Hashable, Sendable, TextCodable, CustomStringConvertible {
    public static let codingName = "machine id"

    public let rawValue: String

    public init?(_ text: String) {
        guard (1...32).contains(text.utf8.count),
              text.utf8.allSatisfy({ (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
        else { return nil }
        rawValue = text
    }

    /// A fresh random id of ten base32 characters.
    public static func random(using generator: inout some RandomNumberGenerator) -> MachineID {
        let characters = (0..<10).map { _ in RunID.alphabet[Int(generator.next() & 31)] }
        return MachineID(String(decoding: characters, as: UTF8.self))!
    }

    public var description: String { rawValue }
}

extension Character {
    /// `0`–`9` only; `Character.isNumber` also accepts other scripts' digits and fractions.
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
