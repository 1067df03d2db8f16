#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What the kernel says about live processes, read from `/proc` (Linux only; elsewhere every
/// query answers "nothing known", and cleanup relies on the process group alone).
enum ProcessTable {
    struct Entry: Equatable {
        let pid: pid_t
        let parent: pid_t
        let group: pid_t
        let session: pid_t
        /// Exited but not yet reaped by its parent.
        let isZombie: Bool
    }

    /// Whether `/proc` can be read here.
    static let isAvailable: Bool = {
        #if os(Linux)
        return access("/proc/self/stat", R_OK) == 0
        #else
        return false
        #endif
    }()

    /// Every process in session `session`, in no particular order.
    static func members(ofSession session: pid_t) -> [Entry] {
        entries().filter { $0.session == session }
    }

    static func entries() -> [Entry] {
        guard isAvailable, let directory = opendir("/proc") else { return [] }
        defer { closedir(directory) }
        var result: [Entry] = []
        while let item = readdir(directory) {
            let pid: pid_t? = withUnsafeBytes(of: item.pointee.d_name) { raw in
                var value: pid_t = 0
                for byte in raw {
                    if byte == 0 { break }
                    guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), value < 100_000_000 else { return nil }
                    value = value * 10 + pid_t(byte - UInt8(ascii: "0"))
                }
                return value > 0 ? value : nil
            }
            if let pid, let entry = entry(pid) { result.append(entry) }
        }
        return result
    }

    /// Reads `/proc/<pid>/stat`: `pid (comm) state ppid pgrp session …`. The command name may
    /// contain spaces and parentheses, so fields are counted from the last `)`.
    static func entry(_ pid: pid_t) -> Entry? {
        let descriptor = open("/proc/\(pid)/stat", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 1024)
        let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        guard count > 0, let parenthesis = buffer[..<count].lastIndex(of: UInt8(ascii: ")")) else { return nil }
        let fields = buffer[(parenthesis + 1)..<count].split(separator: UInt8(ascii: " "), maxSplits: 5)
        guard fields.count >= 5, let state = fields[0].first,
              let parent = number(fields[1]), let group = number(fields[2]), let session = number(fields[3])
        else { return nil }
        return Entry(
            pid: pid, parent: parent, group: group, session: session,
            isZombie: state == UInt8(ascii: "Z") || state == UInt8(ascii: "X")
        )
    }

    private static func number(_ bytes: ArraySlice<UInt8>) -> pid_t? {
        var value: pid_t = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), value < 100_000_000 else { return nil }
            value = value * 10 + pid_t(byte - UInt8(ascii: "0"))
        }
        return bytes.isEmpty ? nil : value
    }
}
