import ConductorDomain
import GitKit

/// The project context documents under `context/` on the state branch
/// (docs/context-setup.md). Reading writes nothing; every change is one state commit, and
/// the files travel with `push`/`pull` like the rest of the state.
public final class ContextStore {
    let repository: ConductorRepository

    public init(repository: ConductorRepository) {
        self.repository = repository
    }

    /// The documents that exist, in ``ContextDocuments/names`` order; `[]` without setup or
    /// without a state branch.
    public func documents() throws(ConductorError) -> [ContextDocument] {
        guard let snapshot = try repository.stateSnapshot() else { return [] }
        return try snapshot.contextDocuments()
    }

    /// One document by its exact name, or nil when it was never written.
    public func document(named name: String) throws(ConductorError) -> ContextDocument? {
        try documents().first { $0.name == name }
    }

    /// Writes `documents` in one state commit; documents whose text is already stored are
    /// not rewritten, and nothing is committed when none differs. Returns whether a commit
    /// was made. Fails with ``ConductorError/stateBranchMissing`` before `init`.
    @discardableResult
    public func write(_ documents: [ContextDocument], message: String) throws(ConductorError) -> Bool {
        try write(documents, extraFiles: [:], message: message)
    }

    /// ``write(_:message:)`` with more files under `context/` in the same commit (the
    /// markers of applied proposals).
    @discardableResult
    func write(_ documents: [ContextDocument], extraFiles: [String: [UInt8]], message: String) throws(ConductorError) -> Bool {
        var files = extraFiles
        for document in documents {
            guard ContextDocuments.names.contains(document.name) else {
                throw .unknownContextDocument(document.name, valid: ContextDocuments.names)
            }
            files[document.name] = Array(document.text.utf8)
        }
        return try repository.stateStore().writeContext(files: files, message: message)
    }

    /// The command on `workflow.md`'s `- Test:` line, or nil without setup or without one.
    public func detectedTestCommand() throws(ConductorError) -> String? {
        try document(named: ContextDocuments.workflow).flatMap { ContextDocuments.testCommand(inWorkflow: $0.text) }
    }

    /// The runs whose context proposals were applied (`context/applied/<run>.json`).
    public func appliedProposals() throws(ConductorError) -> Set<RunID> {
        guard let snapshot = try repository.stateSnapshot() else { return [] }
        return try snapshot.appliedContextProposals()
    }
}

extension StateSnapshot {
    /// `context/<name>` for each known document name present as a file.
    func contextDocuments() throws(ConductorError) -> [ContextDocument] {
        try gitCall { () throws(GitError) -> [ContextDocument] in
            guard let directory = root.entry(named: StateLayout.contextDirectory), directory.kind == .tree else { return [] }
            let tree = try repository.tree(directory.id)
            var documents: [ContextDocument] = []
            for name in ContextDocuments.names {
                guard let entry = tree.entry(named: name), entry.kind == .blob else { continue }
                documents.append(ContextDocument(name: name, text: String(decoding: try repository.readBlob(entry.id), as: UTF8.self)))
            }
            return documents
        }
    }

    func appliedContextProposals() throws(ConductorError) -> Set<RunID> {
        try gitCall { () throws(GitError) -> Set<RunID> in
            guard let entry = try root.entry(atPath: "\(StateLayout.contextDirectory)/\(ContextSync.appliedDirectory)"), entry.kind == .tree else { return [] }
            return Set(try repository.tree(entry.id).entries.compactMap { entry in
                entry.name.hasSuffix(".json") ? RunID(String(entry.name.dropLast(5))) : nil
            })
        }
    }
}
