import ConductorDomain
import GitKit

/// `doctor`'s view of sync: for each remote, how the local state and notes compare with what
/// was last fetched from or pushed to it, and which runs it lacks; and the pre-push hook.
/// Nothing here touches the network: it reads the remote-tracking refs as they are.
enum SyncChecks {
    static func run(_ repository: ConductorRepository) -> [DoctorCheck] {
        let remotes: [String]
        do {
            remotes = try gitCall { () throws(GitError) in try repository.git.remoteNames() }.sorted()
        } catch {
            return [DoctorCheck(name: "remotes", level: .error, message: error.description, fix: error.hint)]
        }
        return remotes.map { remoteCheck(repository, remote: $0) } + [hookCheck(repository)]
    }

    static func remoteCheck(_ repository: ConductorRepository, remote: String) -> DoctorCheck {
        let name = "state on \(remote)"
        let git = repository.git
        do {
            return try gitCall { () throws(GitError) -> DoctorCheck in
                let localState = try git.referenceTarget(StateLayout.branch)
                let trackedState = try git.referenceTarget(GitTransport.trackingState(remote))
                guard let localState else {
                    guard trackedState != nil else {
                        return DoctorCheck(name: name, level: .ok, message: "no state here or on \(remote) (as last fetched)", fix: nil)
                    }
                    return DoctorCheck(name: name, level: .warning, message: "\(remote) has state that is not here yet", fix: "git conductor pull \(remote)")
                }
                guard let trackedState else {
                    let runs = try RunChanges.between(nil, and: localState, in: git).all
                    return DoctorCheck(
                        name: name, level: .warning,
                        message: "never pulled from or pushed to \(remote); \(describe(runs)) not pushed",
                        fix: "git conductor sync \(remote)"
                    )
                }
                let stateDistance = try distance(git, localState, trackedState)
                var parts = ["state " + relation(stateDistance)]
                var inStep = stateDistance == CommitDistance(ahead: 0, behind: 0)
                if let localNotes = try git.referenceTarget(NotesStore.ref) {
                    if let trackedNotes = try git.referenceTarget(GitTransport.trackingNotes(remote)) {
                        let notesDistance = try distance(git, localNotes, trackedNotes)
                        parts.append("notes " + relation(notesDistance))
                        inStep = inStep && notesDistance == CommitDistance(ahead: 0, behind: 0)
                    } else {
                        parts.append("notes never pushed")
                        inStep = false
                    }
                }
                let base = try git.mergeBase(localState, trackedState)
                let unpushed = try RunChanges.between(base, and: localState, in: git).all
                if !unpushed.isEmpty { parts.append("\(describe(unpushed)) not pushed") }
                inStep = inStep && unpushed.isEmpty
                let message = parts.joined(separator: "; ") + " (as of the last fetch or push)"
                return DoctorCheck(name: name, level: inStep ? .ok : .warning, message: message, fix: inStep ? nil : "git conductor sync \(remote)")
            }
        } catch {
            return DoctorCheck(name: name, level: .warning, message: "cannot compare with \(remote): \(error.description)", fix: "git conductor pull \(remote)")
        }
    }

    private static func distance(_ git: Repository, _ local: ObjectID, _ tracked: ObjectID) throws(GitError) -> CommitDistance {
        local == tracked ? CommitDistance(ahead: 0, behind: 0) : try git.distance(from: local, to: tracked)
    }

    static func relation(_ distance: CommitDistance) -> String {
        switch (distance.ahead, distance.behind) {
        case (0, 0): "up to date"
        case (let ahead, 0): "\(ahead) commit\(ahead == 1 ? "" : "s") ahead"
        case (0, let behind): "\(behind) commit\(behind == 1 ? "" : "s") behind"
        case let (ahead, behind): "diverged (\(ahead) ahead, \(behind) behind)"
        }
    }

    static func describe(_ runs: [RunID]) -> String {
        let listed = runs.prefix(3).map(\.rawValue).joined(separator: ", ")
        let more = runs.count > 3 ? ", …" : ""
        return runs.count == 1 ? "1 run (\(listed))" : runs.isEmpty ? "no runs" : "\(runs.count) runs (\(listed)\(more))"
    }

    static func hookCheck(_ repository: ConductorRepository) -> DoctorCheck {
        let name = "pre-push hook"
        do {
            switch try PrePushHook(repository: repository).status() {
            case .notInstalled(let path):
                return DoctorCheck(name: name, level: .ok, message: "not installed at \(path) (optional: it pushes the state after each git push)", fix: nil)
            case let .installed(path, chained):
                return DoctorCheck(name: name, level: .ok, message: "installed at \(path)" + (chained.map { ", chaining \($0)" } ?? ""), fix: nil)
            case .foreign(let path):
                return DoctorCheck(name: name, level: .ok, message: "\(path) is not git-conductor's; the state is pushed only by git conductor push", fix: nil)
            }
        } catch {
            return DoctorCheck(name: name, level: .warning, message: error.description, fix: error.hint)
        }
    }
}
