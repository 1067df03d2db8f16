import ConductorDomain
import GitKit

/// A run's directory on the state branch: its id and the id of its tree. Two equal tree ids
/// mean identical runs, which is what the summary cache keys on.
public struct RunDirectory: Sendable, Hashable {
    public let id: RunID
    public let tree: ObjectID
}

/// The state branch frozen at one commit: every read in a command goes through one snapshot,
/// so a concurrent writer can never make a command see half of a change.
public struct StateSnapshot {
    public let tip: ObjectID
    let repository: Repository
    let root: Tree

    init(repository: Repository, tip: ObjectID) throws(ConductorError) {
        self.repository = repository
        self.tip = tip
        root = try gitCall { () throws(GitError) in try repository.tree(repository.commit(tip).tree) }
    }

    /// The branch's format marker; throws when it is missing, corrupt or from a newer version.
    public func format() throws(ConductorError) -> StateFormat {
        try Self.readFormat(root, repository: repository)
    }

    /// Every run directory, newest run first. Reads the shard trees, never a run's contents.
    public func runDirectories() throws(ConductorError) -> [RunDirectory] {
        guard let runs = root.entry(named: StateLayout.runsDirectory), runs.kind == .tree else { return [] }
        var directories: [RunDirectory] = []
        try gitCall { () throws(GitError) in
            for outer in try repository.tree(runs.id).entries where outer.kind == .tree {
                for inner in try repository.tree(outer.id).entries where inner.kind == .tree {
                    for entry in try repository.tree(inner.id).entries where entry.kind == .tree {
                        if let id = RunID(entry.name) { directories.append(RunDirectory(id: id, tree: entry.id)) }
                    }
                }
            }
        }
        return directories.sorted { $0.id > $1.id }
    }

    /// Finds a run from a full id or a unique prefix.
    public func resolve(_ text: String) throws(ConductorError) -> RunID {
        switch RunIDMatch.resolve(text, among: try runDirectories().map(\.id)) {
        case .found(let id): return id
        case .notFound: throw .runNotFound(text)
        case .ambiguous(let candidates): throw .ambiguousRunID(text, candidates: candidates)
        }
    }

    /// The run's record and events. Unreadable files are reported in ``RunHistory/problems``.
    public func history(of run: RunID) throws(ConductorError) -> RunHistory {
        guard let entry = try gitCall({ () throws(GitError) in try root.entry(atPath: StateLayout.runDirectory(run)) }),
              entry.kind == .tree
        else { throw .runNotFound(run.rawValue) }
        return try history(of: RunDirectory(id: run, tree: entry.id))
    }

    /// Reads a run directory found by ``runDirectories()``.
    public func history(of directory: RunDirectory) throws(ConductorError) -> RunHistory {
        let run = directory.id
        let tree = try gitCall { () throws(GitError) in try repository.tree(directory.tree) }
        var problems: [String] = []
        var record: RunRecord?
        if let entry = tree.entry(named: "run.json") {
            do throws(ConductorError) {
                let bytes = try gitCall { () throws(GitError) in try repository.readBlob(entry.id) }
                record = try StateCoding.decode(RunRecord.self, from: bytes, path: StateLayout.runRecord(run))
                if record?.id != run { problems.append("\(StateLayout.runRecord(run)): id does not match its directory") }
            } catch {
                problems.append(error.description)
            }
        } else {
            problems.append("\(StateLayout.runRecord(run)): missing")
        }
        var events: [Event] = []
        if let eventsEntry = tree.entry(named: "events"), eventsEntry.kind == .tree {
            let entries = try gitCall { () throws(GitError) in try repository.tree(eventsEntry.id).entries }
            for entry in entries {
                let path = "\(StateLayout.eventsDirectory(run))/\(entry.name)"
                do throws(ConductorError) {
                    let bytes = try gitCall { () throws(GitError) in try repository.readBlob(entry.id) }
                    events.append(try StateCoding.decode(Event.self, from: bytes, path: path))
                } catch {
                    problems.append(error.description)
                }
            }
        }
        return RunHistory(id: run, record: record, events: events.sorted { $0.stamp < $1.stamp }, problems: problems)
    }

    /// A file in the run's directory, or nil when absent.
    public func artifact(_ relativePath: String, of run: RunID) throws(ConductorError) -> [UInt8]? {
        guard let path = StateLayout.artifact(run, relativePath) else { throw .invalidArtifactPath(relativePath) }
        return try gitCall { () throws(GitError) -> [UInt8]? in
            guard let entry = try root.entry(atPath: path), entry.kind == .blob else { return nil }
            return try repository.readBlob(entry.id)
        }
    }

    /// The blob id of the `format.json` this version writes; a branch holding exactly that blob
    /// needs no parsing, which keeps the check off every write's cost.
    static let currentFormatBlob = ObjectID.forBlob(StateCoding.document(StateFormat.current))

    static func readFormat(_ root: Tree, repository: Repository) throws(ConductorError) -> StateFormat {
        guard let entry = root.entry(named: StateLayout.formatFile), entry.kind == .blob else {
            throw .corruptState(path: StateLayout.formatFile, detail: "missing")
        }
        if entry.id == currentFormatBlob { return .current }
        let bytes = try gitCall { () throws(GitError) in try repository.readBlob(entry.id) }
        let format = try StateCoding.decode(StateFormat.self, from: bytes, path: StateLayout.formatFile)
        guard format.isSupported else { throw .unsupportedStateFormat(found: format.format) }
        return format
    }

    /// The run's directory tree, which must hold a `run.json`; walked to once per write.
    static func existingRunTree(_ run: RunID, in root: Tree, repository: Repository) throws(ConductorError) -> Tree {
        let tree = try gitCall { () throws(GitError) -> Tree? in
            guard let entry = try root.entry(atPath: StateLayout.runDirectory(run)), entry.kind == .tree else { return nil }
            let tree = try repository.tree(entry.id)
            return tree.entry(named: "run.json") == nil ? nil : tree
        }
        guard let tree else { throw .runNotFound(run.rawValue) }
        return tree
    }

    /// The stamp of the run's latest event, from file names alone. Stamps are zero-padded, so
    /// git's sorted order is stamp order and only the tail of the listing is read: appending
    /// stays O(1) however long the run grows.
    static func latestStamp(inRunTree runTree: Tree, repository: Repository) throws(ConductorError) -> EventStamp? {
        try gitCall { () throws(GitError) -> EventStamp? in
            guard let events = runTree.entry(named: "events"), events.kind == .tree else { return nil }
            let tree = try repository.tree(events.id)
            for index in stride(from: tree.count - 1, through: 0, by: -1) {
                if let stamp = tree.entry(at: index).flatMap({ EventStamp(fileName: $0.name) }) { return stamp }
            }
            return nil
        }
    }
}
