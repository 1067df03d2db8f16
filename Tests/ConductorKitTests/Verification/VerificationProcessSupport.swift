import ConductorKit
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Helpers for tests that run real processes and check that nothing of them is left.
enum VerificationProcesses {
    static var isLinux: Bool {
        #if os(Linux)
        true
        #else
        false
        #endif
    }

    /// Short timeouts keep the suite fast; the grace period is what TERM-ignoring tests wait.
    static let grace: Duration = .milliseconds(300)

    static var environment: [String: String] {
        ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "LC_ALL": "C"]
    }

    static func runner(grace: Duration = grace, head: Int = 16 * 1024, tail: Int = 64 * 1024) -> ProcessGroupRunner {
        ProcessGroupRunner(gracePeriod: grace, headBytes: head, tailBytes: tail)
    }

    /// Whether `pid` names no process at all (not even a zombie).
    static func isGone(_ pid: Int32) -> Bool {
        kill(pid, 0) == -1 && errno == ESRCH
    }

    /// Whether no process, zombie or not, is left in process group or session `id`: first by
    /// asking the kernel to signal the group, then, on Linux, by reading every `/proc/<pid>/stat`.
    static func treeIsGone(_ id: Int32) -> Bool {
        guard kill(-id, 0) == -1, errno == ESRCH else { return false }
        return leftovers(of: id).isEmpty
    }

    /// `pid state` of every process whose group or session is `id`, from `/proc`.
    static func leftovers(of id: Int32) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return names.compactMap { name -> String? in
            guard Int32(name) != nil,
                  let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")")
            else { return nil }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 3, Int32(fields[2]) == id || Int32(fields[3]) == id else { return nil }
            return "\(name) \(fields[0])"
        }
    }

    /// The number printed after `key=` in `text`.
    static func number(after key: String, in text: String) -> Int32? {
        guard let range = text.range(of: key + "=") else { return nil }
        return Int32(text[range.upperBound...].prefix(while: \.isNumber))
    }

    /// An interpreter that can move a process into a new process group of its own, as SwiftPM
    /// does with test binaries: `setpgrp` then sleep.
    static let ownGroupSleeper: String? = {
        for (path, script) in [
            ("/usr/bin/perl", #"/usr/bin/perl -e '$| = 1; setpgrp(0,0); print "pgid=", getpgrp(), "\n"; sleep 1000'"#),
            ("/usr/bin/python3", #"/usr/bin/python3 -c 'import os,time; os.setpgid(0,0); print("pgid=%d" % os.getpgrp(), flush=True); time.sleep(1000)'"#),
        ] where FileManager.default.isExecutableFile(atPath: path) {
            return script
        }
        return nil
    }()
}
