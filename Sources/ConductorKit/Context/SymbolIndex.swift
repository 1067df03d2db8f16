import ConductorDomain
import Foundation
import GitKit

/// Symbols and mentions of a repository's files, cached by blob id in
/// `.git/conductor/context/facts-v1`, so a map after a one-file change scans one file.
///
/// Files in a language universal-ctags parses are scanned by ctags in one batch when it is
/// installed (``CtagsRunner``); everything else — and everything, when ctags is missing, hangs,
/// crashes or prints garbage — by the built-in ``DeclarationScanner``. Each cache entry records
/// the scanner that produced it, so installing or losing ctags rescans the files concerned.
/// The cache is only ever a cache: one that does not decode is discarded with a warning and
/// rebuilt, and it is replaced atomically (written aside, then renamed).
public final class SymbolIndex {
    public let repository: ConductorRepository
    public let useCtags: Bool
    public let ctagsTimeoutSeconds: Double
    private var located: Result<CtagsRunner, CtagsFailure>?

    /// The version of the built-in scanner's output; bump it when the scanner changes so
    /// cached entries are rescanned.
    public static let builtInScannerTag = "built-in 1"

    public init(repository: ConductorRepository, useCtags: Bool = true, ctagsTimeoutSeconds: Double = 20) {
        self.repository = repository
        self.useCtags = useCtags
        self.ctagsTimeoutSeconds = ctagsTimeoutSeconds
    }

    /// `.git/conductor/context/facts-v1`.
    public var cachePath: String { repository.privateDirectory + "/context/facts-v1" }

    /// ctags, when it is to be used and can be; located once per index.
    private func ctags() -> Result<CtagsRunner, CtagsFailure> {
        if let located { return located }
        let result = useCtags
            ? CtagsRunner.locate(environment: repository.environment, timeoutSeconds: min(5, ctagsTimeoutSeconds))
            : .failure(CtagsFailure(reason: "ctags is turned off", isMissing: true))
        located = result
        return result
    }

    /// Facts for every file given (path, blob), from the cache where the blob is known,
    /// scanning the rest (ctags in one batch, else the built-in scanner). Writes the cache
    /// back. Never throws for a scanner failure: falls back and records a warning. A file whose
    /// `contents` are nil (unreadable) is left out.
    public func facts(for files: [TreeFile], contents: (TreeFile) -> [UInt8]?) -> SymbolTable {
        var warnings: [String] = []
        var (entries, cacheChanged) = loadCache(warnings: &warnings)
        let ctagsResult = needsCtags(files) ? ctags() : (located ?? .failure(CtagsFailure(reason: "not needed", isMissing: true)))
        var runner = try? ctagsResult.get()
        if case .failure(let failure) = ctagsResult, !failure.isMissing, useCtags {
            warnings.append("ctags could not be used (\(failure.reason)); the built-in scanner was used instead")
        }

        var result: [String: FileFacts] = [:]
        result.reserveCapacity(files.count)
        var forCtags: [(file: TreeFile, key: String, contents: [UInt8])] = []
        // Built-in entries of files now due for ctags: reused as they are if ctags fails again.
        var builtInFallback: [String: FileFacts] = [:]
        var forBuiltIn: [(file: TreeFile, key: String, contents: [UInt8])] = []
        var cached = 0
        for file in files {
            let language = SourceLanguage(path: file.path)
            let key = file.blob.description + ":" + (language?.rawValue ?? "-")
            let viaCtags = runner != nil && language?.ctagsName != nil
            let wanted = viaCtags ? "ctags " + runner!.version : Self.builtInScannerTag
            if let entry = entries[key], entry.scanner == wanted {
                result[file.path] = entry.facts
                cached += 1
                continue
            }
            guard let bytes = contents(file) else { continue }
            if viaCtags, let entry = entries[key], entry.scanner == Self.builtInScannerTag { builtInFallback[key] = entry.facts }
            if viaCtags { forCtags.append((file, key, bytes)) } else { forBuiltIn.append((file, key, bytes)) }
        }

        if let ctagsRunner = runner, !forCtags.isEmpty {
            switch ctagsRunner.scan(forCtags.map { ($0.file.path, $0.contents) }, timeoutSeconds: ctagsTimeoutSeconds) {
            case .success(let output):
                if output.junkLines > 0 {
                    warnings.append("ctags printed \(output.junkLines) unreadable line\(output.junkLines == 1 ? "" : "s"); they were skipped")
                }
                let tag = "ctags " + ctagsRunner.version
                for item in forCtags {
                    let symbols = CtagsOutput.withSourceSignatures(output.symbols[item.file.path] ?? [], contents: item.contents)
                    let facts = FileFacts(contents: item.contents, symbols: symbols)
                    result[item.file.path] = facts
                    entries[item.key] = SymbolCacheFile.Entry(scanner: tag, facts: facts)
                }
            case .failure(let failure):
                warnings.append("ctags \(failure.reason); the built-in scanner was used instead")
                // Once broken, not tried again by this index: a hanging ctags would cost every
                // later prompt of the run its timeout.
                located = .failure(failure)
                runner = nil
                for item in forCtags {
                    if let facts = builtInFallback[item.key] {
                        result[item.file.path] = facts
                        cached += 1
                    } else {
                        forBuiltIn.append(item)
                    }
                }
                forCtags.removeAll()
            }
        }
        let scanned = Self.scanBuiltIn(forBuiltIn.map { ($0.file.path, $0.contents) })
        for (item, facts) in zip(forBuiltIn, scanned) {
            result[item.file.path] = facts
            entries[item.key] = SymbolCacheFile.Entry(scanner: Self.builtInScannerTag, facts: facts)
        }
        if !forCtags.isEmpty || !forBuiltIn.isEmpty { cacheChanged = true }
        if cacheChanged { writeCache(entries, keeping: Set(files.map { $0.blob.description }), warnings: &warnings) }
        return SymbolTable(
            facts: result, scanner: runner.map { .ctags(version: $0.version) } ?? .builtIn, warnings: warnings,
            scannedFiles: forCtags.count + forBuiltIn.count, cachedFiles: cached
        )
    }

    /// Whether any file is in a language ctags parses (otherwise ctags is not even looked for).
    private func needsCtags(_ files: [TreeFile]) -> Bool {
        useCtags && files.contains { SourceLanguage(path: $0.path)?.ctagsName != nil }
    }

    /// The built-in scanner over `files`, on all cores.
    static func scanBuiltIn(_ files: [(path: String, contents: [UInt8])]) -> [FileFacts] {
        guard files.count > 8 else { return files.map { FileFacts.scanned($0.contents, path: $0.path) } }
        let results = UnsafeMutableBufferPointer<FileFacts?>.allocate(capacity: files.count)
        results.initialize(repeating: nil)
        defer { results.deallocate() }
        let slots = SendableBuffer(pointer: results)
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var index = worker
            while index < files.count {
                slots.pointer[index] = FileFacts.scanned(files[index].contents, path: files[index].path)
                index += workers
            }
        }
        return results.map { $0! }
    }

    private struct SendableBuffer: @unchecked Sendable {
        let pointer: UnsafeMutableBufferPointer<FileFacts?>
    }

    /// Loads the cache; a missing one is empty, a broken one is empty and reported (the
    /// second value says the file must be rewritten).
    private func loadCache(warnings: inout [String]) -> ([String: SymbolCacheFile.Entry], Bool) {
        guard let data = FileManager.default.contents(atPath: cachePath) else { return ([:], false) }
        do {
            return (try SymbolCacheFile.decode(Array(data)), false)
        } catch {
            warnings.append("the symbol cache \(cachePath) did not decode (\(error.description)); it was rebuilt")
            return ([:], true)
        }
    }

    /// Writes the cache: every entry of the files asked for, plus older entries while the
    /// total stays under ``maximumEntries``.
    private func writeCache(_ entries: [String: SymbolCacheFile.Entry], keeping current: Set<String>, warnings: inout [String]) {
        var kept = entries
        if kept.count > Self.maximumEntries {
            kept = kept.filter { current.contains(String($0.key.prefix { $0 != ":" })) }
        }
        do {
            try PrivateFiles.replace(cachePath, contents: SymbolCacheFile.encode(kept))
        } catch {
            warnings.append("the symbol cache could not be written: \(error.description)")
        }
    }

    /// Entries beyond this are pruned to those of the latest listing.
    static let maximumEntries = 50_000
}
