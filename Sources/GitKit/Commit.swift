import CLibgit2

/// Who made a commit, and when.
public struct Signature: Sendable, Equatable {
    public let name: String
    public let email: String
    /// Seconds since the Unix epoch.
    public let time: Int64
    /// Offset from UTC in minutes.
    public let offsetMinutes: Int32

    public init(name: String, email: String, time: Int64, offsetMinutes: Int32 = 0) {
        self.name = name
        self.email = email
        self.time = time
        self.offsetMinutes = offsetMinutes
    }

    func withGitSignature<Result>(_ body: (UnsafePointer<git_signature>) throws(GitError) -> Result) throws(GitError) -> Result {
        var raw: UnsafeMutablePointer<git_signature>?
        try check(git_signature_new(&raw, name, email, git_time_t(time), offsetMinutes), "create signature for \(name) <\(email)>")
        defer { git_signature_free(raw) }
        return try body(raw!)
    }

    init(_ raw: UnsafePointer<git_signature>) {
        name = String(cString: raw.pointee.name)
        email = String(cString: raw.pointee.email)
        time = Int64(raw.pointee.when.time)
        offsetMinutes = raw.pointee.when.offset
    }
}

/// A commit's metadata, copied out of libgit2.
public struct CommitInfo: Sendable, Equatable {
    public let id: ObjectID
    public let tree: ObjectID
    public let parents: [ObjectID]
    public let message: String
    public let author: Signature
    public let committer: Signature
}

extension Repository {
    /// Writes a commit with exactly these parents; no reference is moved.
    public func createCommit(
        tree: ObjectID,
        parents: [ObjectID],
        message: String,
        author: Signature,
        committer: Signature
    ) throws(GitError) -> ObjectID {
        try author.withGitSignature { (authorPointer) throws(GitError) -> ObjectID in
            try committer.withGitSignature { (committerPointer) throws(GitError) -> ObjectID in
                try writeCommit(tree: tree, parents: parents, message: message, author: authorPointer, committer: committerPointer)
            }
        }
    }

    private func writeCommit(
        tree: ObjectID,
        parents: [ObjectID],
        message: String,
        author: UnsafePointer<git_signature>,
        committer: UnsafePointer<git_signature>
    ) throws(GitError) -> ObjectID {
        var treeOID = git_oid()
        tree.withGitOID { treeOID = $0.pointee }
        let parentOIDs = UnsafeMutablePointer<git_oid>.allocate(capacity: max(parents.count, 1))
        defer { parentOIDs.deallocate() }
        for (index, parent) in parents.enumerated() {
            parent.withGitOID { parentOIDs[index] = $0.pointee }
        }
        var parentPointers: [UnsafePointer<git_oid>?] = (0..<parents.count).map { UnsafePointer(parentOIDs + $0) }
        var oid = git_oid()
        let code = parentPointers.withUnsafeMutableBufferPointer { buffer in
            git_commit_create_from_ids(
                &oid, pointer, nil, author, committer, nil, message, &treeOID, parents.count, buffer.baseAddress
            )
        }
        try check(code, "write commit")
        return ObjectID(oid)
    }

    /// Reads a commit's metadata.
    public func commit(_ id: ObjectID) throws(GitError) -> CommitInfo {
        var raw: OpaquePointer?
        let code = id.withGitOID { git_commit_lookup(&raw, pointer, $0) }
        try check(code, "read commit \(id.short)")
        defer { git_commit_free(raw) }
        let parents = (0..<git_commit_parentcount(raw)).map { ObjectID(git_commit_parent_id(raw, $0).pointee) }
        return CommitInfo(
            id: id,
            tree: ObjectID(git_commit_tree_id(raw).pointee),
            parents: parents,
            message: git_commit_message(raw).map { String(cString: $0) } ?? "",
            author: Signature(git_commit_author(raw)),
            committer: Signature(git_commit_committer(raw))
        )
    }

    /// The identity from git config `user.name` / `user.email`, or nil when either is unset.
    public func configuredIdentity() -> (name: String, email: String)? {
        var raw: UnsafeMutablePointer<git_signature>?
        guard git_signature_default(&raw, pointer) == 0, let raw else { return nil }
        defer { git_signature_free(raw) }
        return (String(cString: raw.pointee.name), String(cString: raw.pointee.email))
    }
}
