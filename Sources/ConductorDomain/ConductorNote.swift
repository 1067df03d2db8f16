/// The git note attached to each commit the conductor makes on a task branch: short
/// `Key: value` lines that `git log --notes=conductor` shows as they are.
public struct ConductorNote: Sendable, Equatable {
    public var runID: RunID
    public var iteration: Int?
    public var state: RunState?
    /// A one-line BIST summary such as `pass (42 tests)` or `fail: 2 of 42 tests`.
    public var bist: String?
    public var model: String?
    public var tokens: Int?
    /// Cost in US dollars, nil when unknown.
    public var costUSD: Double?

    public init(
        runID: RunID, iteration: Int? = nil, state: RunState? = nil, bist: String? = nil,
        model: String? = nil, tokens: Int? = nil, costUSD: Double? = nil
    ) {
        self.runID = runID
        self.iteration = iteration
        self.state = state
        self.bist = bist
        self.model = model
        self.tokens = tokens
        self.costUSD = costUSD
    }

    static let runKey = "Conductor-Run"

    /// The note's text, keys in a fixed order, one line each, ending with a newline.
    public var text: String {
        var lines = ["\(Self.runKey): \(runID)"]
        if let iteration { lines.append("Iteration: \(iteration)") }
        if let state { lines.append("State: \(state.rawValue)") }
        if let bist { lines.append("BIST: \(Self.singleLine(bist))") }
        if let model { lines.append("Model: \(Self.singleLine(model))") }
        if let tokens { lines.append("Tokens: \(tokens)") }
        if tokens != nil || costUSD != nil { lines.append("Cost: \(costUSD.map(CostFormat.dollars) ?? "unknown")") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Reads a note written by ``text``. Unknown keys are ignored; nil when there is no run id.
    public init?(text: String) {
        var fields: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = String(String(line[..<colon]).trimmingBlanks)
            let value = String(String(line[line.index(after: colon)...]).trimmingBlanks)
            if fields[key] == nil { fields[key] = value }
        }
        guard let run = fields[Self.runKey].flatMap(RunID.init) else { return nil }
        self.init(
            runID: run,
            iteration: fields["Iteration"].flatMap { Int($0) },
            state: fields["State"].flatMap(RunState.init(rawValue:)),
            bist: fields["BIST"],
            model: fields["Model"],
            tokens: fields["Tokens"].flatMap { Int($0) },
            costUSD: fields["Cost"].flatMap(CostFormat.parseDollars)
        )
    }

    private static func singleLine(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }
}

/// How costs are written for people: `$0.0123`, four decimals below a dollar, two above.
/// Costs are never negative; a negative input is shown as zero.
public enum CostFormat {
    public static func dollars(_ value: Double) -> String {
        let decimals = value < 1 ? 4 : 2
        let scale = decimals == 4 ? 10_000.0 : 100.0
        let scaled = Int64(max(0, value) * scale + 0.5)
        let whole = scaled / Int64(scale)
        let fraction = String(scaled % Int64(scale))
        return "$\(whole).\(String(repeating: "0", count: decimals - fraction.count))\(fraction)"
    }

    static func parseDollars(_ text: String) -> Double? {
        guard text.hasPrefix("$") else { return nil }
        return Double(text.dropFirst())
    }
}
