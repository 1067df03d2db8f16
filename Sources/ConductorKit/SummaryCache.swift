import ConductorDomain
import Foundation
import GitKit

/// A local cache of run summaries in `.git/conductor/cache/`, so `log` need not read every
/// run's events each time.
///
/// It cannot go stale: each summary is keyed by its run id and the id of the run's directory
/// tree on the state branch, and a run's summary is a pure function of those two (the tree
/// alone is not enough: two runs may have identical trees); the file as a whole is keyed by the
/// state tip, the state format and the cache's own version. A changed run has a new tree id
/// and is simply read again. The file is rewritten atomically, so a crash leaves the old one.
struct SummaryCache {
    static let version = 3
    let path: String

    init(privateDirectory: String) {
        path = privateDirectory + "/cache/run-summaries-v\(Self.version)"
    }

    /// What the file held: one line per run, newest first, and the tip for which those are
    /// every run. Lines are parsed only when used, so `log --limit 50` with a complete cache
    /// decodes 50 lines, not all of them.
    struct Contents {
        var completeForTip: ObjectID?
        var lines: [Substring] = []

        /// The run directory and summary on a line; nil for a damaged line.
        static func entry(_ line: Substring) -> (directory: RunDirectory, summary: RunSummary)? {
            guard let tab = line.firstIndex(of: "\t"), let tree = ObjectID(hex: String(line[..<tab])),
                  let summary = SummaryCodec.decode(line[line.index(after: tab)...])
            else { return nil }
            return (RunDirectory(id: summary.id, tree: tree), summary)
        }

        /// Every entry, keyed by run directory, for looking runs up when the tip has moved.
        func index() -> [RunDirectory: RunSummary] {
            var index: [RunDirectory: RunSummary] = [:]
            for line in lines {
                if let (directory, summary) = Self.entry(line) { index[directory] = summary }
            }
            return index
        }
    }

    func load() -> Contents {
        guard let data = FileManager.default.contents(atPath: path) else { return Contents() }
        let text = String(decoding: data, as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true)[...]
        guard let header = lines.popFirst() else { return Contents() }
        let fields = header.split(separator: " ")
        guard fields.count == 4, fields[0] == "git-conductor-summaries", fields[1] == "v\(Self.version)",
              fields[2] == "format=\(StateFormat.current.format)"
        else { return Contents() }
        return Contents(completeForTip: ObjectID(hex: String(fields[3].dropFirst("tip=".count))), lines: Array(lines))
    }

    /// Saves summaries by run directory; `completeForTip` is set only when they are all of that
    /// tip's runs.
    func save(_ entries: [(directory: RunDirectory, summary: RunSummary)], completeForTip tip: ObjectID?) {
        var text = "git-conductor-summaries v\(Self.version) format=\(StateFormat.current.format) tip=\(tip?.hex ?? "-")\n"
        for (directory, summary) in entries {
            text += "\(directory.tree.hex)\t\(SummaryCodec.encode(summary))\n"
        }
        // The cache is an optimisation: failing to save it must never fail the command.
        try? PrivateFiles.replace(path, contents: Array(text.utf8))
    }
}

/// One summary as one tab-separated line. A present field is written as `=value` with
/// backslash escapes; an absent one is empty.
enum SummaryCodec {
    static func encode(_ summary: RunSummary) -> String {
        let fields: [String?] = [
            summary.id.rawValue, summary.title, summary.mode?.rawValue, summary.taskBranch,
            summary.createdAt.map { String($0.milliseconds) }, summary.state?.rawValue,
            summary.failureReason?.rawValue, String(summary.iterations), summary.tokens.map(String.init),
            summary.costUSD.map { String($0) }, String(summary.eventCount),
            summary.lastActivity.map { String($0.milliseconds) }, summary.problem, summary.machine?.rawValue,
            summary.pullRequestURL, summary.inputTokens.map(String.init), summary.cachedTokens.map(String.init),
        ]
        return fields.map { $0.map { "=" + escape($0) } ?? "" }.joined(separator: "\t")
    }

    static func decode(_ line: Substring) -> RunSummary? {
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map { field -> String? in
            field.first == "=" ? unescape(field.dropFirst()) : nil
        }
        // A 15-field line, written before the input and cached token totals, does not decode:
        // its run is read again the slow way and its line rewritten.
        guard fields.count == 17, let id = fields[0].flatMap(RunID.init),
              let iterations = fields[7].flatMap({ Int($0) }), let eventCount = fields[10].flatMap({ Int($0) })
        else { return nil }
        return RunSummary(
            id: id, title: fields[1] ?? "", mode: fields[2].flatMap(RunMode.init(rawValue:)), taskBranch: fields[3],
            createdAt: fields[4].flatMap { Int64($0) }.map(Timestamp.init(milliseconds:)),
            state: fields[5].flatMap(RunState.init(rawValue:)), failureReason: fields[6].flatMap(FailureReason.init(rawValue:)),
            iterations: iterations, tokens: fields[8].flatMap { Int($0) }, costUSD: fields[9].flatMap { Double($0) },
            eventCount: eventCount, lastActivity: fields[11].flatMap { Int64($0) }.map(Timestamp.init(milliseconds:)),
            problem: fields[12], machine: fields[13].flatMap(MachineID.init), pullRequestURL: fields[14],
            inputTokens: fields[15].flatMap { Int($0) }, cachedTokens: fields[16].flatMap { Int($0) }
        )
    }

    private static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.append(character)
            }
        }
        return out
    }

    private static func unescape(_ text: Substring) -> String {
        var out = ""
        var escaping = false
        for character in text {
            if escaping {
                out.append(character == "t" ? "\t" : character == "n" ? "\n" : character == "r" ? "\r" : character)
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                out.append(character)
            }
        }
        return out
    }
}
