import CLibgit2

/// A git object id (SHA-1), held by value so it can cross any boundary.
public struct ObjectID: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    /// The 20 raw bytes, as libgit2 stores them.
    public let bytes: [UInt8]

    init(_ oid: git_oid) {
        var copy = oid
        bytes = withUnsafeBytes(of: &copy.id) { Array($0) }
    }

    /// Parses a full 40-character hexadecimal id; returns nil for anything else.
    public init?(hex: String) {
        let utf8 = Array(hex.utf8)
        guard utf8.count == 40 else { return nil }
        var result = [UInt8](repeating: 0, count: 20)
        for index in 0..<20 {
            guard let high = Self.nibble(utf8[2 * index]), let low = Self.nibble(utf8[2 * index + 1]) else {
                return nil
            }
            result[index] = high << 4 | low
        }
        bytes = result
    }

    /// The id `bytes` would have as a blob, computed without writing anything.
    public static func forBlob(_ bytes: [UInt8]) -> ObjectID {
        Libgit2.ensureInitialized()
        var oid = git_oid()
        let code = bytes.withUnsafeBytes { git_odb_hash(&oid, $0.baseAddress, $0.count, GIT_OBJECT_BLOB) }
        // Hashing a buffer in memory cannot fail short of running out of memory.
        precondition(code == 0, "git_odb_hash failed")
        return ObjectID(oid)
    }

    /// The full 40-character lowercase hexadecimal form.
    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(40)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The abbreviated form used in human-facing output.
    public var short: String { String(hex.prefix(7)) }

    public var description: String { hex }

    public static func < (lhs: ObjectID, rhs: ObjectID) -> Bool { lhs.bytes.lexicographicallyPrecedes(rhs.bytes) }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let parsed = ObjectID(hex: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an object id: \(text)"))
        }
        self = parsed
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }

    /// Calls `body` with a libgit2 view of this id.
    func withGitOID<Result>(_ body: (UnsafePointer<git_oid>) throws -> Result) rethrows -> Result {
        var oid = git_oid()
        withUnsafeMutableBytes(of: &oid.id) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        return try withUnsafePointer(to: &oid) { try body($0) }
    }

    private static func nibble(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
