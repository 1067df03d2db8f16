import ConductorDomain
import Foundation

/// Runs universal-ctags over files read from git: the files are written to a temporary
/// directory (no checkout is touched), ctags reads their list with `-L` and prints JSON tags
/// on stdout, which ``CtagsOutput`` parses. ctags runs in a process group of its own with a
/// timeout (``ProcessGroupRunner``), so a hung or crashing ctags costs the caller a warning,
/// never the run: every failure comes back as a ``CtagsFailure`` sentence and the caller falls
/// back to the built-in scanner.
///
/// The program is `CONDUCTOR_CTAGS` when that is set (a name on `PATH` or a path), else
/// `ctags` on `PATH`; it must say it is Universal Ctags (`--version`), since only that one
/// writes JSON.
public struct CtagsRunner: Sendable {
    /// The resolved program.
    public let executable: String
    /// `5.9.0`.
    public let version: String
    let environment: [String: String]

    /// The environment variable that names the ctags program to use.
    public static let overrideVariable = "CONDUCTOR_CTAGS"
    /// Standard output beyond this is taken for a runaway program.
    static let outputLimit = 512 * 1024 * 1024

    /// Finds and identifies ctags; the failure says why none can be used.
    public static func locate(environment: [String: String], timeoutSeconds: Double = 5) -> Result<CtagsRunner, CtagsFailure> {
        let override = environment[overrideVariable].flatMap { $0.isEmpty ? nil : $0 }
        let word = override ?? "ctags"
        let origin = override != nil ? "\(overrideVariable)=\(word)" : "ctags"
        let directory = FileManager.default.currentDirectoryPath
        let executable: String
        switch CommandAvailability.locate(word, in: directory, environment: environment) {
        case .executable(let path): executable = path
        case .notExecutable: return .failure(CtagsFailure(reason: "\(origin) is not executable", isMissing: override == nil))
        default: return .failure(CtagsFailure(reason: override == nil ? "ctags not found" : "\(origin) not found", isMissing: override == nil))
        }
        let result: ProcessGroupResult
        do {
            result = try Self.processRunner.run(
                ProcessLaunch(executable: executable, arguments: ["--version"], name: "ctags", separateErrorOutput: true),
                in: directory, environment: environment, timeout: .milliseconds(Int(timeoutSeconds * 1000))
            )
        } catch {
            return .failure(CtagsFailure(reason: "\(origin): \(error.description)"))
        }
        if result.timedOut { return .failure(CtagsFailure(reason: "\(origin) --version did not answer within \(Self.seconds(timeoutSeconds))")) }
        guard result.termination == .exited(0) else {
            return .failure(CtagsFailure(reason: "\(origin) --version ended with \(result.termination)"))
        }
        let text = String(decoding: result.output.headBytes, as: UTF8.self)
        guard let version = parseVersion(text) else {
            let first = text.split(separator: "\n").first.map(String.init) ?? "no output"
            return .failure(CtagsFailure(reason: "\(origin) is not universal-ctags (it says \"\(first.prefix(80))\")"))
        }
        return .success(CtagsRunner(executable: executable, version: version, environment: environment))
    }

    /// `5.9.0` from `Universal Ctags 5.9.0, Copyright …` or `Universal Ctags 6.1.0(p6.1.20240421.0), …`.
    static func parseVersion(_ text: String) -> String? {
        guard let line = text.split(separator: "\n").first, line.hasPrefix("Universal Ctags") else { return nil }
        let rest = line.dropFirst("Universal Ctags".count).drop { $0 == " " }
        let version = rest.prefix { $0.isNumber || $0 == "." }
        return version.isEmpty ? "unknown" : String(version)
    }

    /// Tags of `files` (path and contents), by the paths given. One ctags process for all.
    public func scan(_ files: [(path: String, contents: [UInt8])], timeoutSeconds: Double) -> Result<CtagsOutput, CtagsFailure> {
        guard !files.isEmpty else { return .success(CtagsOutput(symbols: [:], tagLines: 0, junkLines: 0, ignoredTags: 0)) }
        let directory: String
        do {
            directory = try Self.materialise(files)
        } catch {
            return .failure(CtagsFailure(reason: "could not prepare its input: \(error.description)"))
        }
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var output: [UInt8] = []
        var overflow = false
        let result: ProcessGroupResult
        do {
            result = try Self.processRunner.run(
                ProcessLaunch(
                    executable: executable,
                    arguments: ["--output-format=json", "--fields=+nKSe", "--sort=no", "-f", "-", "-L", directory + "/" + Self.listName],
                    name: "ctags", separateErrorOutput: true
                ),
                in: directory + "/files", environment: environment, timeout: .milliseconds(Int(timeoutSeconds * 1000))
            ) { chunk in
                guard !overflow else { return }
                if output.count + chunk.count > Self.outputLimit { overflow = true } else { output.append(contentsOf: chunk) }
            }
        } catch {
            return .failure(CtagsFailure(reason: error.description))
        }
        let detail = result.errorOutput.map { String(decoding: $0.headBytes, as: UTF8.self) }?
            .split(separator: "\n").first.map { ": " + $0.prefix(200) } ?? ""
        if result.timedOut { return .failure(CtagsFailure(reason: "timed out after \(Self.seconds(timeoutSeconds))")) }
        switch result.termination {
        case .exited(0): break
        case .exited(let status): return .failure(CtagsFailure(reason: "exited with status \(status)\(detail)"))
        case .signaled(let signal): return .failure(CtagsFailure(reason: "was killed by signal \(signal)\(detail)"))
        }
        if overflow { return .failure(CtagsFailure(reason: "printed more than \(Self.outputLimit / 1024 / 1024) MiB")) }
        let parsed = CtagsOutput.parse(output)
        if parsed.tagLines == 0, parsed.junkLines > 0 {
            return .failure(CtagsFailure(reason: "printed no tags, only \(parsed.junkLines) unreadable line\(parsed.junkLines == 1 ? "" : "s")"))
        }
        return .success(parsed)
    }

    /// Writes the files under a new temporary directory (`<dir>/files/<path>`) with their list
    /// beside them; returns the directory.
    static func materialise(_ files: [(path: String, contents: [UInt8])]) throws(ConductorError) -> String {
        let template = (NSTemporaryDirectory() as NSString).appendingPathComponent("conductor-ctags.XXXXXX")
        var buffer = Array(template.utf8CString)
        guard mkdtemp(&buffer) != nil else { throw .fileSystem(path: template, detail: String(cString: strerror(errno))) }
        let directory = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let root = directory + "/files"
        var list = ""
        var created = Set<String>()
        for file in files {
            // Git never stores `..` or absolute paths, but a listing is input all the same.
            let components = file.path.split(separator: "/")
            guard !file.path.hasPrefix("/"), !components.contains(".."), !components.isEmpty, !file.path.contains("\n") else { continue }
            let parent = components.count > 1 ? root + "/" + components.dropLast().joined(separator: "/") : root
            if created.insert(parent).inserted {
                do {
                    try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
                } catch {
                    throw .fileSystem(path: parent, detail: error.localizedDescription)
                }
            }
            let path = root + "/" + file.path
            guard FileManager.default.createFile(atPath: path, contents: Data(file.contents)) else {
                throw .fileSystem(path: path, detail: "could not be written")
            }
            list += file.path + "\n"
        }
        if created.isEmpty {
            do { try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true) } catch {
                throw .fileSystem(path: root, detail: error.localizedDescription)
            }
        }
        let listPath = directory + "/" + listName
        guard FileManager.default.createFile(atPath: listPath, contents: Data(list.utf8)) else {
            throw .fileSystem(path: listPath, detail: "could not be written")
        }
        return directory
    }

    /// The list file, beside (not inside) the directory of files.
    static let listName = ".conductor-ctags-files"

    static let processRunner = ProcessGroupRunner(gracePeriod: .milliseconds(500), headBytes: 4096, tailBytes: 4096)

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }
}

/// Why ctags could not be used this time, in a sentence for a warning.
public struct CtagsFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public let reason: String
    /// ctags is simply not installed (not a fault to warn about on every run).
    public let isMissing: Bool

    public init(reason: String, isMissing: Bool = false) {
        self.reason = reason
        self.isMissing = isMissing
    }

    public var description: String { reason }
}
