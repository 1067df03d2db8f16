import ConductorKit
import Foundation
import GitKit

/// One task of the recall corpus (`bench/context-corpus.tsv`): a real fix commit, whose
/// message is the task, whose first parent is the repository as the model would see it, and
/// whose gold is the non-test source files the fix modified.
struct ContextTask: Sendable {
    /// `owner/name`, or `self` for this repository.
    let corpus: String
    let commit: ObjectID
    let gold: [String]
}

/// Reads the corpus manifest. Its format and the rules that chose its lines are in the
/// manifest's own comment header and in docs/benchmarks.md.
enum ContextCorpus {
    /// The manifest next to the sources: `bench/context-corpus.tsv` of the package this
    /// program was built from, found through `#filePath` (the binary may run from anywhere).
    static func defaultManifest(filePath: String = #filePath) -> String {
        packageRoot(filePath: filePath) + "/bench/context-corpus.tsv"
    }

    /// The package root: two directories above `Sources/conductor-bench/`.
    static func packageRoot(filePath: String = #filePath) -> String {
        URL(fileURLWithPath: filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }

    /// The tasks of the manifest at `path`, in file order. A malformed line is an error
    /// naming the file and line: a corpus that silently lost tasks would flatter the figures.
    static func load(_ path: String) throws -> [ContextTask] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BenchError("cannot read the context corpus \(path); pass --context-corpus <file>")
        }
        var tasks: [ContextTask] = []
        for (index, line) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            let gold = fields.count == 3 ? fields[2].split(separator: ",").map(String.init) : []
            guard fields.count == 3, !fields[0].isEmpty, let commit = ObjectID(hex: fields[1]), !gold.isEmpty else {
                throw BenchError("\(path):\(index + 1): expected 'repository<TAB>commit<TAB>gold,paths', got '\(line)'")
            }
            tasks.append(ContextTask(corpus: fields[0], commit: commit, gold: gold))
        }
        return tasks
    }
}

/// Where the corpus repositories are on this machine.
///
/// `owner/name` is looked up under `directory` as the fetch tool lays mirrors out
/// (`owner+name/repo`), then as `owner+name`, `owner/name` and `name` (a plain clone or a
/// bare `name.git`). `self` is the repository the benchmark's sources belong to. Nothing
/// here needs the mirrors: a missing one is reported and its corpus skipped.
struct CorpusLocations {
    let directory: String
    let selfRepository: String

    static let environmentVariable = "CONDUCTOR_BENCH_REPOSITORIES"
    static let defaultDirectory = "/work/.mirror"

    func path(of corpus: String) -> String? {
        if corpus == "self" { return Self.isRepository(selfRepository) ? selfRepository : nil }
        let name = corpus.split(separator: "/").last.map(String.init) ?? corpus
        let joined = corpus.replacingOccurrences(of: "/", with: "+")
        let candidates = ["\(joined)/repo", joined, corpus, name, name + ".git"].map { directory + "/" + $0 }
        return candidates.first(where: Self.isRepository)
    }

    /// A work tree with `.git`, or a bare git directory.
    private static func isRepository(_ path: String) -> Bool {
        let manager = FileManager.default
        return manager.fileExists(atPath: path + "/.git") || (manager.fileExists(atPath: path + "/objects") && manager.fileExists(atPath: path + "/HEAD"))
    }
}

/// A scratch bare repository that borrows another repository's objects through
/// `objects/info/alternates`: every commit and blob of the original is readable, while the
/// engine's cache (`conductor/` in the git directory) is written here, never into the
/// mirror or into this repository's own `.git/conductor/`.
enum BorrowedRepository {
    static func open(borrowing original: String, at path: String) throws -> ConductorRepository {
        let source = try Repository.open(at: original)
        let objects = source.commonDirectory + "objects"
        _ = try Repository.create(at: path, bare: true)
        try (objects + "\n").write(toFile: path + "/objects/info/alternates", atomically: true, encoding: .utf8)
        // No GIT_* variable may redirect the handle to the repository `make bench` ran in.
        let environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GIT_") }
        return try ConductorRepository.open(at: path, environment: environment)
    }
}
