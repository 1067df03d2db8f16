import Foundation

/// A budget from DESIGN.md §7 that a measurement is held to.
struct Target: Encodable {
    enum Comparison: String {
        case below = "<"
        case atMost = "≤"
        case atLeast = "≥"
    }

    let comparison: Comparison
    let bound: Double

    /// JSON spells the comparison in ASCII (`<`, `<=`, `>=`) for the scripts that read it.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        let ascii = switch comparison {
        case .below: "<"
        case .atMost: "<="
        case .atLeast: ">="
        }
        try container.encode(ascii, forKey: .comparison)
        try container.encode(bound, forKey: .bound)
    }

    private enum CodingKeys: String, CodingKey {
        case comparison, bound
    }

    static func below(_ bound: Double) -> Target { Target(comparison: .below, bound: bound) }
    static func atMost(_ bound: Double) -> Target { Target(comparison: .atMost, bound: bound) }
    static func atLeast(_ bound: Double) -> Target { Target(comparison: .atLeast, bound: bound) }

    func isMet(by value: Double) -> Bool {
        guard value.isFinite else { return false }
        switch comparison {
        case .below: return value < bound
        case .atMost: return value <= bound
        case .atLeast: return value >= bound
        }
    }
}

/// The unit of a value: `rawValue` is what the table prints after the number, `jsonName`
/// what JSON calls it (ASCII, never empty).
enum Unit: String, Encodable {
    case milliseconds = "ms"
    case microseconds = "µs"
    case seconds = "s"
    /// 1 MiB = 1 048 576 bytes; `ru_maxrss` counts KiB.
    case mebibytes = "MiB"
    case kibibytes = "KiB"
    case ratio = "×"
    /// A share out of 100, such as the tasks whose gold files all reached the prompt.
    case percent = "%"
    case count = ""

    var jsonName: String {
        switch self {
        case .microseconds: "us"
        case .ratio: "ratio"
        case .percent: "percent"
        case .count: "count"
        default: rawValue
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(jsonName)
    }
}

/// PASS or MISS against a target; rows without a target are informational.
enum Verdict: String, Encodable {
    case pass = "PASS"
    case miss = "MISS"
    case info = "-"
}

/// One line of the report.
struct Row: Encodable {
    /// A stable identifier for scripts comparing runs, such as `append.median.10000`.
    let key: String
    let label: String
    let value: Double
    let unit: Unit
    let target: Target?

    var verdict: Verdict {
        guard let target else { return .info }
        return target.isMet(by: value) ? .pass : .miss
    }

    enum CodingKeys: String, CodingKey {
        case key, label, value, unit, target, verdict
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(key, forKey: .key)
        try container.encode(label, forKey: .label)
        try container.encode(value.isFinite ? value : nil, forKey: .value)
        try container.encode(unit, forKey: .unit)
        try container.encode(target, forKey: .target)
        try container.encode(verdict, forKey: .verdict)
    }
}

/// A titled group of rows.
struct Section: Encodable {
    let title: String
    var rows: [Row] = []

    mutating func add(_ key: String, _ label: String, _ value: Double, _ unit: Unit, target: Target? = nil) {
        rows.append(Row(key: key, label: label, value: value, unit: unit, target: target))
    }
}

/// Everything the benchmark found, rendered as a plain-text table or as JSON.
struct Report: Encodable {
    var tool = "conductor-bench"
    var date: String
    var quick: Bool
    /// What the numbers depend on: git and libgit2 versions, core count.
    var environment: [String: String]
    var sections: [Section] = []
    /// Remarks worth reading next to the numbers (how something was measured).
    var notes: [String] = []

    var allRows: [Row] { sections.flatMap(\.rows) }

    var misses: Int { allRows.filter { $0.verdict == .miss }.count }

    // MARK: Text

    func text() -> String {
        var out = "conductor-bench  \(date)  " + environment.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        if quick { out += "  (--quick: fewer samples)" }
        out += "\n\n"
        out += measurementTable()
        if !notes.isEmpty { out += "\n" + notes.map { "- \($0)" }.joined(separator: "\n") + "\n" }
        let targets = allRows.filter { $0.target != nil }.count
        out += "\n\(targets - misses) of \(targets) budgets met" + (misses > 0 ? ", \(misses) MISS" : "") + ".\n"
        return out
    }

    private func measurementTable() -> String {
        var cells: [[String]] = [["measurement", "value", "target", "verdict"]]
        var sectionStarts: [Int: String] = [:]
        for section in sections {
            sectionStarts[cells.count] = section.title
            for row in section.rows {
                cells.append([
                    row.label, Self.format(row.value, row.unit),
                    row.target.map { "\($0.comparison.rawValue) \(Self.format($0.bound, row.unit))" } ?? "-",
                    row.verdict.rawValue,
                ])
            }
        }
        let widths = Self.columnWidths(cells)
        var out = ""
        for (index, row) in cells.enumerated() {
            if let title = sectionStarts[index] { out += (index > 1 ? "\n" : "") + title + "\n" }
            // Labels left-aligned, numbers right-aligned, so decimal points roughly line up.
            out += Self.line(row, widths: widths, rightAligned: index == 0 ? [] : [1, 2])
            if index == 0 { out += Self.line(widths.map { String(repeating: "-", count: $0) }, widths: widths, rightAligned: []) }
        }
        return out
    }

    private static func columnWidths(_ cells: [[String]]) -> [Int] {
        (0..<(cells.first?.count ?? 0)).map { column in cells.map { $0[column].count }.max() ?? 0 }
    }

    private static func line(_ row: [String], widths: [Int], rightAligned: Set<Int>) -> String {
        let padded = row.enumerated().map { column, text in
            let padding = String(repeating: " ", count: max(0, widths[column] - text.count))
            return rightAligned.contains(column) ? padding + text : text + padding
        }
        var text = padded.joined(separator: "  ")
        while text.last == " " { text.removeLast() }
        return text + "\n"
    }

    /// Three significant figures (more for large values), with the unit.
    static func format(_ value: Double, _ unit: Unit, decimals: Int? = nil) -> String {
        guard value.isFinite else { return "n/a" }
        let magnitude = abs(value)
        let places = decimals ?? (unit == .count ? 0 : unit == .percent ? 1 : magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : 3)
        let number = String(format: "%.\(places)f", value)
        switch unit {
        case .count: return number
        case .ratio: return number + "×"
        default: return "\(number) \(unit.rawValue)"
        }
    }

    /// `10000` as `10 000`, the way the design notes write run counts.
    static func grouped(_ value: Int) -> String {
        var digits = Array(String(value))
        var index = digits.count - 3
        while index > 0 {
            digits.insert(" ", at: index)
            index -= 3
        }
        return String(digits)
    }

    // MARK: JSON

    func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
