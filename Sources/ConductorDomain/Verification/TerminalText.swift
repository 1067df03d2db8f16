/// Turning raw terminal output into plain text: escape sequences (colours, cursor moves,
/// hyperlinks) removed, invalid UTF-8 replaced. Many tools colour their output in CI
/// (`CARGO_TERM_COLOR=always`, `--color=yes`), and neither parsers nor models want the codes.
public enum TerminalText {
    /// `bytes` as text without terminal escape sequences.
    public static func decode(_ bytes: [UInt8]) -> String {
        String(decoding: strippingEscapes(bytes), as: UTF8.self)
    }

    /// `bytes` without ECMA-48 escape sequences: CSI (`ESC [ … final`), OSC (`ESC ] … BEL` or
    /// `ESC ] … ESC \`), and two-byte `ESC x` sequences.
    public static func strippingEscapes(_ bytes: [UInt8]) -> [UInt8] {
        let hasEscape = bytes.withUnsafeBufferPointer { buffer in
            for byte in buffer where byte == 0x1B { return true }
            return false
        }
        guard hasEscape else { return bytes }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == 0x1B else {
                result.append(byte)
                index += 1
                continue
            }
            index += 1
            guard index < bytes.count else { break }
            switch bytes[index] {
            case UInt8(ascii: "["):
                index += 1
                // Parameter and intermediate bytes, then one final byte in 0x40...0x7E.
                while index < bytes.count, (0x20...0x3F).contains(bytes[index]) { index += 1 }
                if index < bytes.count, (0x40...0x7E).contains(bytes[index]) { index += 1 }
            case UInt8(ascii: "]"):
                index += 1
                while index < bytes.count {
                    if bytes[index] == 0x07 { index += 1; break }
                    if bytes[index] == 0x1B, index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\\") {
                        index += 2
                        break
                    }
                    index += 1
                }
            default:
                index += 1
            }
        }
        return result
    }
}
