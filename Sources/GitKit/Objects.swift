import CLibgit2

extension Repository {
    /// Writes `bytes` as a blob and returns its id.
    public func writeBlob(_ bytes: [UInt8]) throws(GitError) -> ObjectID {
        var oid = git_oid()
        let code = bytes.withUnsafeBytes { git_blob_create_from_buffer(&oid, pointer, $0.baseAddress, $0.count) }
        try check(code, "write blob")
        return ObjectID(oid)
    }

    /// Reads a blob's content.
    public func readBlob(_ id: ObjectID) throws(GitError) -> [UInt8] {
        var blob: OpaquePointer?
        let code = id.withGitOID { git_blob_lookup(&blob, pointer, $0) }
        try check(code, "read blob \(id.short)")
        defer { git_blob_free(blob) }
        let size = Int(git_blob_rawsize(blob))
        guard size > 0, let content = git_blob_rawcontent(blob) else { return [] }
        return Array(UnsafeRawBufferPointer(start: content, count: size))
    }

    /// Whether an object with this id exists in the object database.
    public func objectExists(_ id: ObjectID) -> Bool {
        var odb: OpaquePointer?
        guard git_repository_odb(&odb, pointer) == 0 else { return false }
        defer { git_odb_free(odb) }
        return id.withGitOID { git_odb_exists(odb, $0) } == 1
    }
}
