import ConductorDomain
import Foundation

/// Marks a run as being worked on by a live process: `.git/conductor/locks/<run-id>` holds
/// `<pid> <host>`. A run of this clone whose last state is neither final nor paused, and whose
/// lock is missing or names a dead process, was interrupted: its process died, and the run
/// can be resumed from its last recorded event.
public struct RunLock {
    let path: String

    static func path(for run: RunID, in privateDirectory: String) -> String {
        "\(privateDirectory)/locks/\(run)"
    }

    /// Takes the run's lock for this process; fails while a live process holds it. A lock
    /// left behind by a process that died is taken over.
    static func acquire(_ run: RunID, in privateDirectory: String) throws(ConductorError) -> RunLock {
        if let holder = holder(of: run, in: privateDirectory) { throw .runInProgress(run, holder: holder) }
        let path = path(for: run, in: privateDirectory)
        try PrivateFiles.replace(path, contents: Array("\(getpid()) \(hostName)\n".utf8))
        return RunLock(path: path)
    }

    func release() {
        unlink(path)
    }

    /// Whether a live process holds the run's lock.
    static func isHeld(_ run: RunID, in privateDirectory: String) -> Bool {
        holder(of: run, in: privateDirectory) != nil
    }

    /// `<pid> on <host>` of the live process holding the run's lock, or nil.
    static func holder(of run: RunID, in privateDirectory: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path(for: run, in: privateDirectory)) else { return nil }
        let fields = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isWhitespace)
        guard fields.count == 2, let pid = pid_t(fields[0]) else { return nil }
        let holder = "\(pid) on \(fields[1])"
        // Another host's process cannot be checked from here; assume it is alive.
        guard fields[1] == hostName else { return holder }
        return kill(pid, 0) == 0 || errno == EPERM ? holder : nil
    }

    static var hostName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "unknown" }
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension ConductorRepository {
    /// Whether the run's process died mid-run: it belongs to this clone, its last state is
    /// neither final nor paused, and no live process holds its lock. Runs of other clones
    /// cannot be judged from here and are never called interrupted.
    public func isInterrupted(_ summary: RunSummary) -> Bool {
        guard let state = summary.state, !state.isFinal, state != .paused,
              let machine = summary.machine, machine == existingMachineID()
        else { return false }
        return !RunLock.isHeld(summary.id, in: privateDirectory)
    }

    /// The status word listings show: ``RunSummary/status``, or `interrupted`.
    public func displayStatus(_ summary: RunSummary) -> String {
        isInterrupted(summary) ? "interrupted" : summary.status
    }
}
