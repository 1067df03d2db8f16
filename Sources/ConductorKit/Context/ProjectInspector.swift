import ConductorDomain
import Foundation
import GitKit

/// Reads what ``ProjectInspection`` needs from a commit's tree: every file with its size
/// (from object headers, without inflating blobs) and the root-level manifests. It reads
/// the committed tree, never the working directory, so a user's untracked or unsaved files
/// cannot leak into the documents and the same commit always gives the same profile.
public struct ProjectInspector {
    let repository: ConductorRepository

    /// Manifests larger than this are not read (a generated lockfile named like one).
    static let maximumManifestBytes = 512 * 1024

    public init(repository: ConductorRepository) {
        self.repository = repository
    }

    /// The profile of the commit `revision` names (HEAD by default). An unborn branch gives
    /// the profile of an empty project.
    public func inspect(revision: String = "HEAD") throws(ConductorError) -> ProjectProfile {
        try ProjectInspection.inspect(snapshot(revision: revision))
    }

    func snapshot(revision: String) throws(ConductorError) -> ProjectSnapshot {
        let git = repository.git
        let name = Self.directoryName(of: repository)
        guard let commit = try gitCall({ () throws(GitError) in try git.resolveCommit(revision) }) else {
            if revision == "HEAD" { return ProjectSnapshot(files: [], fallbackName: name) }
            throw .branchNotFound(revision)
        }
        return try gitCall { () throws(GitError) -> ProjectSnapshot in
            let tree = try git.commit(commit).tree
            let treeFiles = try git.files(inTree: tree)
            var files: [ProjectFile] = []
            files.reserveCapacity(treeFiles.count)
            var texts: [String: String] = [:]
            var node: NodePackage?
            for file in treeFiles {
                let size = try git.blobSize(file.blob)
                files.append(ProjectFile(path: file.path, size: size))
                guard ProjectInspection.wantsContents(file.path), size <= Self.maximumManifestBytes else { continue }
                let bytes = try git.readBlob(file.blob)
                texts[file.path] = String(decoding: bytes, as: UTF8.self)
                if file.path == "package.json" { node = Self.decodeNodePackage(bytes) }
            }
            return ProjectSnapshot(files: files, texts: texts, nodePackage: node, fallbackName: name)
        }
    }

    /// A `package.json` decoded leniently; nil when it is not a JSON object.
    static func decodeNodePackage(_ bytes: [UInt8]) -> NodePackage? {
        try? JSONDecoder().decode(NodePackage.self, from: Data(bytes))
    }

    /// The name of the repository's top directory, for projects no manifest names.
    static func directoryName(of repository: ConductorRepository) -> String {
        var path = repository.git.workingDirectory ?? repository.git.commonDirectory
        while path.hasSuffix("/") { path.removeLast() }
        if path.hasSuffix("/.git") { path.removeLast(5) }
        var name = (path as NSString).lastPathComponent
        if name.hasSuffix(".git") { name.removeLast(4) }
        return name.isEmpty ? "project" : name
    }
}
