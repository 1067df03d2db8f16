import Foundation

/// A byte-exact picture of what a user would notice changing in their checkout: every
/// file, symbolic link and directory of the working tree (outside `.git/`), plus
/// `.git/index`, `.git/HEAD` and every branch under `.git/refs/heads/` except the
/// conductor's own `orchestrator-state`.
///
/// Capture one before an operation and one after, then compare: equal fingerprints mean
/// the operation left the user's files, index, HEAD and branches alone.
public struct CheckoutFingerprint: Equatable, Sendable, CustomStringConvertible {
    /// What is at one path.
    public enum Entry: Equatable, Sendable, CustomStringConvertible {
        case file(contents: Data, executable: Bool)
        case symlink(target: String)
        case directory

        public var description: String {
            switch self {
            case let .file(contents, executable):
                "file, \(contents.count) bytes\(executable ? ", executable" : "")"
            case .symlink(let target): "symlink to \(target)"
            case .directory: "directory"
            }
        }
    }

    /// Entries keyed by path relative to the work tree (`src/a.swift`, `.git/index`).
    public let entries: [String: Entry]

    /// The branches the conductor owns, left out of the picture: the state branch and the
    /// `conductor/` namespace of task branches (a directory under `refs/heads/`).
    public static let excludedBranches: Set<String> = ["orchestrator-state", "conductor"]

    /// Captures the checkout whose work tree is `workTree`; `gitDirectory` defaults to
    /// `<workTree>/.git`.
    public init(workTree: String, gitDirectory: String? = nil) throws {
        let gitDirectory = gitDirectory ?? workTree + "/.git"
        var entries: [String: Entry] = [:]
        try Self.scan(root: workTree, prefix: "", into: &entries) { relative in
            relative == ".git"
        }
        for file in ["index", "HEAD"] {
            if let entry = try Self.entry(at: gitDirectory + "/" + file) { entries[".git/" + file] = entry }
        }
        let heads = gitDirectory + "/refs/heads"
        try Self.scan(root: heads, prefix: ".git/refs/heads/", into: &entries) { relative in
            Self.excludedBranches.contains(relative)
        }
        self.entries = entries
    }

    /// The paths whose entries differ, sorted; each with what it was and what it is.
    public func differences(from other: CheckoutFingerprint) -> [String] {
        let paths = Set(entries.keys).union(other.entries.keys).sorted()
        return paths.compactMap { path in
            let before = other.entries[path], after = entries[path]
            guard before != after else { return nil }
            switch (before, after) {
            case (nil, let after?): return "\(path): added (\(after))"
            case (let before?, nil): return "\(path): removed (was \(before))"
            case let (before?, after?): return "\(path): changed from \(before) to \(after)"
            default: return nil
            }
        }
    }

    /// One line per difference, or `no differences`.
    public func describeDifferences(from other: CheckoutFingerprint) -> String {
        let lines = differences(from: other)
        return lines.isEmpty ? "no differences" : lines.joined(separator: "\n")
    }

    public var description: String {
        entries.keys.sorted().map { "\($0): \(entries[$0]!)" }.joined(separator: "\n")
    }

    /// Adds every entry below `root`, keyed by `prefix` + its path relative to `root`;
    /// `skip` gets that relative path and prunes it (and its contents) when it says so.
    private static func scan(
        root: String, prefix: String, into entries: inout [String: Entry], skip: (String) -> Bool
    ) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            return
        }
        var pending = [""]
        while let relativeDirectory = pending.popLast() {
            let absoluteDirectory = relativeDirectory.isEmpty ? root : root + "/" + relativeDirectory
            for name in try FileManager.default.contentsOfDirectory(atPath: absoluteDirectory) {
                let relative = relativeDirectory.isEmpty ? name : relativeDirectory + "/" + name
                if skip(relative) { continue }
                guard let entry = try entry(at: root + "/" + relative) else { continue }
                entries[prefix + relative] = entry
                if entry == .directory { pending.append(relative) }
            }
        }
    }

    /// What is at `path` without following a final symbolic link, or nil when nothing is.
    private static func entry(at path: String) throws -> Entry? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        switch attributes[.type] as? FileAttributeType {
        case .typeDirectory?:
            return .directory
        case .typeSymbolicLink?:
            return .symlink(target: try FileManager.default.destinationOfSymbolicLink(atPath: path))
        default:
            let permissions = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0
            let contents = try Data(contentsOf: URL(fileURLWithPath: path))
            return .file(contents: contents, executable: permissions & 0o111 != 0)
        }
    }
}
