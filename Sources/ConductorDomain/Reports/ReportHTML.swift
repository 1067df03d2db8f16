/// `report --html`: one self-contained page (no scripts, no external assets) that reads in a
/// browser and prints. It is well-formed XML (XHTML with inline SVG), so that any XML
/// parser can check it, and every recorded text in it is escaped.
public enum ReportHTML {
    /// The page for one run: its facts, an SVG timeline of states and iterations, an SVG bar
    /// chart of tokens and cost per iteration, and the tables behind them.
    public static func page(for digest: RunDigest, redact: (String) -> String) -> String {
        let body = [
            "<h1>\(escape(redact(digest.title)))</h1>",
            facts(digest),
            "<h2>Timeline</h2>", timelineChart(digest),
            "<h2>Tokens and cost per iteration</h2>", iterationChart(digest.iterations),
            "<h2>Iterations</h2>", iterationTable(digest.iterations, redact: redact),
            "<h2>States</h2>", stateTable(digest.timeline, redact: redact),
        ]
        return document(title: "Run \(digest.run)", body: body.joined(separator: "\n"))
    }

    /// The page for many runs: totals, tokens per run, and one row per run.
    public static func page(for report: RunsReport, redact: (String) -> String) -> String {
        let totals = report.totals
        let facts: [(String, String)] = [
            ("Runs", String(totals.runs)),
            ("By outcome", list(totals.byOutcome)),
            ("Success rate", totals.successRate.map(percent) ?? "–"),
            ("Median iterations to complete", totals.medianIterationsToComplete.map { number($0) } ?? "–"),
            ("Tokens per completed run", totals.tokensPerCompletedRun.map { number($0) } ?? "–"),
            ("Cost per completed run", totals.completedCost),
            ("Failure reasons", list(totals.failureReasons)),
        ]
        var body = ["<h1>git-conductor runs</h1>", "<dl>"]
        body += facts.map { name, value in "<dt>\(escape(name))</dt><dd>\(escape(value.isEmpty ? "–" : value))</dd>" }
        body.append("</dl>")
        body += ["<h2>Tokens per run</h2>", bars(report.rows.map { (escape(String($0.run.rawValue.suffix(6))), Double($0.tokens ?? 0)) }, kind: "tokens")]
        body.append("<h2>Runs</h2>")
        let rows = report.rows.map { row -> [String] in
            let status = row.status + (row.failureReason.map { " (\($0.rawValue))" } ?? "")
            let tokens = row.tokens.map(String.init) ?? ""
            return [row.run.rawValue, status, redact(row.title), String(row.iterations), tokens, PullRequestView.cost(row.costUSD)]
        }
        body.append(table(["Run", "Status", "Task", "Iterations", "Tokens", "Cost"], rows))
        if !report.skipped.isEmpty {
            body.append("<h2>Skipped</h2><ul>" + report.skipped.map { "<li>\(escape($0))</li>" }.joined() + "</ul>")
        }
        return document(title: "git-conductor runs", body: body.joined(separator: "\n"))
    }

    // MARK: Parts

    static func facts(_ digest: RunDigest) -> String {
        let rows = [
            ("Run", digest.run.rawValue), ("State", digest.state?.rawValue ?? "unknown"),
            ("Mode", digest.mode.rawValue), ("Provider / model", "\(digest.provider ?? "unknown") / \(digest.model ?? "unknown")"),
            ("Tokens", "\(digest.tokensIn + digest.tokensOut) (\(digest.tokensIn) in, \(digest.tokensOut) out)"),
            ("Cost", PullRequestView.cost(digest.costUSD)), ("Verification", digest.verification.history),
            ("Task branch", digest.taskBranch), ("Base", digest.baseCommit),
        ]
        return "<dl>" + rows.map { "<dt>\(escape($0))</dt><dd>\(escape($1))</dd>" }.joined() + "</dl>"
    }

    /// States as consecutive bars along the run's time, iterations as ticks above them.
    static func timelineChart(_ digest: RunDigest) -> String {
        guard let first = digest.timeline.first else { return "<p>No states recorded.</p>" }
        let start = first.start.milliseconds
        let end = max(start + 1, digest.timeline.map { $0.start.milliseconds + Int64($0.durationMilliseconds ?? 0) }.max() ?? start)
        let width = 760.0
        func x(_ time: Int64) -> Double { 20 + width * Double(time - start) / Double(end - start) }
        var shapes: [String] = []
        for span in digest.timeline {
            let left = x(span.start.milliseconds)
            let right = max(left + 2, x(span.start.milliseconds + Int64(span.durationMilliseconds ?? 0)))
            shapes.append("<rect class=\"state \(span.state.displayName)\" x=\"\(number(left))\" y=\"40\" width=\"\(number(right - left))\" height=\"24\" fill=\"\(colour(span.state))\"><title>\(escape(span.state.rawValue))\(span.durationMilliseconds.map { " " + PullRequestView.duration($0) } ?? "")</title></rect>")
        }
        for iteration in digest.iterations {
            guard let started = iteration.startedAt else { continue }
            let position = number(x(started.milliseconds))
            shapes.append("<line class=\"iteration\" x1=\"\(position)\" y1=\"22\" x2=\"\(position)\" y2=\"66\" stroke=\"#333\"/><text x=\"\(position)\" y=\"18\" font-size=\"11\">\(iteration.number)</text>")
        }
        return svg(height: 90, shapes.joined(separator: "\n") + "\n" + legend(digest.timeline.map(\.state)))
    }

    /// One pair of bars per iteration: tokens, and cost scaled to the most expensive one.
    static func iterationChart(_ iterations: [RunDigest.Iteration]) -> String {
        guard !iterations.isEmpty else { return "<p>No iterations.</p>" }
        let maxTokens = Double(max(1, iterations.map { $0.tokensIn + $0.tokensOut }.max() ?? 1))
        let maxCost = max(0.000001, iterations.compactMap(\.costUSD).max() ?? 0)
        let slot = 760.0 / Double(iterations.count)
        var shapes: [String] = []
        for (index, iteration) in iterations.enumerated() {
            let left = 20 + slot * Double(index)
            let tokens = Double(iteration.tokensIn + iteration.tokensOut)
            let height = 150 * tokens / maxTokens
            shapes.append("<rect class=\"bar tokens\" x=\"\(number(left))\" y=\"\(number(170 - height))\" width=\"\(number(slot * 0.45))\" height=\"\(number(height))\" fill=\"#4a78c2\"><title>iteration \(iteration.number): \(Int(tokens)) tokens</title></rect>")
            if let cost = iteration.costUSD {
                let costHeight = 150 * cost / maxCost
                shapes.append("<rect class=\"bar cost\" x=\"\(number(left + slot * 0.5))\" y=\"\(number(170 - costHeight))\" width=\"\(number(slot * 0.35))\" height=\"\(number(costHeight))\" fill=\"#d08c2b\"><title>iteration \(iteration.number): \(CostFormat.dollars(cost))</title></rect>")
            }
            if iterations.count <= 60 {
                shapes.append("<text x=\"\(number(left))\" y=\"186\" font-size=\"10\">\(iteration.number)</text>")
            }
        }
        shapes.append("<text x=\"20\" y=\"12\" font-size=\"11\" fill=\"#4a78c2\">tokens (max \(Int(maxTokens)))</text>")
        shapes.append("<text x=\"220\" y=\"12\" font-size=\"11\" fill=\"#d08c2b\">cost (max \(CostFormat.dollars(maxCost)); unknown costs have no bar)</text>")
        return svg(height: 195, shapes.joined(separator: "\n"))
    }

    static func bars(_ values: [(label: String, value: Double)], kind: String) -> String {
        guard !values.isEmpty else { return "<p>No runs.</p>" }
        let largest = max(1, values.map(\.value).max() ?? 1)
        let slot = 760.0 / Double(values.count)
        let shapes = values.enumerated().map { index, item in
            let height = 150 * item.value / largest
            return "<rect class=\"bar \(kind)\" x=\"\(number(20 + slot * Double(index)))\" y=\"\(number(170 - height))\" width=\"\(number(max(1, slot * 0.8)))\" height=\"\(number(height))\" fill=\"#4a78c2\"><title>\(item.label): \(Int(item.value))</title></rect>"
        }
        return svg(height: 180, shapes.joined(separator: "\n"))
    }

    static func iterationTable(_ iterations: [RunDigest.Iteration], redact: (String) -> String) -> String {
        table(["#", "Outcome", "BIST", "Tokens in", "Tokens out", "Cost", "Duration"], iterations.map { row in
            [String(row.number), row.outcome, redact(row.bist ?? ""), String(row.tokensIn), String(row.tokensOut),
             PullRequestView.cost(row.costUSD), row.durationMilliseconds.map(PullRequestView.duration) ?? ""]
        })
    }

    static func stateTable(_ spans: [RunDigest.StateSpan], redact: (String) -> String) -> String {
        table(["State", "Started", "Duration", "Detail"], spans.map { span in
            [span.state.rawValue, span.start.description, span.durationMilliseconds.map(PullRequestView.duration) ?? "", redact(span.detail ?? "")]
        })
    }

    static func table(_ header: [String], _ rows: [[String]]) -> String {
        let head = "<tr>" + header.map { "<th>\(escape($0))</th>" }.joined() + "</tr>"
        let body = rows.map { "<tr>" + $0.map { "<td>\(escape($0))</td>" }.joined() + "</tr>" }.joined(separator: "\n")
        return "<table>\n<thead>\(head)</thead>\n<tbody>\n\(body)\n</tbody>\n</table>"
    }

    static func list(_ counts: [RunsReport.Count]) -> String {
        counts.map { "\($0.name): \($0.count)" }.joined(separator: ", ")
    }

    static func legend(_ states: [RunState]) -> String {
        var seen: [RunState] = []
        for state in states where !seen.contains(state) { seen.append(state) }
        return seen.enumerated().map { index, state in
            let x = 20 + index * 110
            return "<rect x=\"\(x)\" y=\"74\" width=\"10\" height=\"10\" fill=\"\(colour(state))\"/><text x=\"\(x + 14)\" y=\"83\" font-size=\"10\">\(state.rawValue)</text>"
        }.joined(separator: "\n")
    }

    static func svg(height: Int, _ content: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"800\" height=\"\(height)\" viewBox=\"0 0 800 \(height)\">\n\(content)\n</svg>"
    }

    static func document(title: String, body: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE html>
        <html xmlns="http://www.w3.org/1999/xhtml" lang="en">
        <head>
        <meta charset="utf-8"/>
        <title>\(escape(title))</title>
        <style>
        body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; }
        table { border-collapse: collapse; margin: 1em 0; }
        th, td { border: 1px solid #ccc; padding: 2px 8px; text-align: left; vertical-align: top; }
        dl { display: grid; grid-template-columns: max-content auto; gap: 2px 12px; }
        dt { font-weight: bold; }
        svg { max-width: 100%; height: auto; }
        @media print { body { margin: 0; } h2 { break-after: avoid; } table, svg { break-inside: avoid; } }
        </style>
        </head>
        <body>
        \(body)
        </body>
        </html>

        """
    }

    static func colour(_ state: RunState) -> String {
        switch state {
        case .precheck: "#9e9e9e"
        case .planning: "#7e57c2"
        case .awaitingApproval: "#ab47bc"
        case .building: "#42a5f5"
        case .verifying: "#26a69a"
        case .repairing: "#ffa726"
        case .paused: "#bdbdbd"
        case .complete: "#43a047"
        case .failed: "#e53935"
        case .cancelled: "#757575"
        }
    }

    /// Text for XML: `&`, `<`, `>`, quotes escaped; control characters XML forbids dropped.
    public static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value >= 0x20, scalar.value != 0xFFFE, scalar.value != 0xFFFF { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    static func number(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    static func percent(_ value: Double) -> String {
        "\(number(value * 100)) %"
    }
}

extension RunsReport.Totals {
    /// The cost per completed run for people: unknown, never $0, when a price was unknown.
    var completedCost: String {
        guard tokensPerCompletedRun != nil else { return "–" }
        return PullRequestView.cost(costPerCompletedRun)
    }
}
