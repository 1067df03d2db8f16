import ArgumentParser
import ConductorDomain
import ConductorKit

/// `git conductor show <run>`: one run's header and event timeline.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one run: its header and its event timeline.",
        discussion: """
            The run may be named by its full id or by any unique prefix, as with git show.
            An ambiguous prefix lists the runs it matches.

            With --iteration N it prints that iteration instead: what the prompt carried of the
            repository, the request and the answer of every round (a file request adds a
            round), why its edits were refused, and its verification. --request or --response
            prints only that side. Secrets are redacted.

            Examples:
              $ git conductor show 01k9x2
              $ git conductor show 01k9x2 --json
              $ git conductor show 01k9x2 --iteration 2 --response
            """
    )

    @Argument(help: ArgumentHelp("A run id or a unique prefix of one.", valueName: "run"))
    var runID: String

    @Option(help: ArgumentHelp("Show this iteration: its prompt, answers, feedback and verification.", valueName: "n"))
    var iteration: Int?

    @Flag(help: "With --iteration, print only the requests sent to the model.")
    var request = false

    @Flag(help: "With --iteration, print only the model's answers.")
    var response = false

    @Flag(help: "Print the run (or the iteration) as JSON.")
    var json = false

    func validate() throws {
        if let iteration, iteration < 1 { throw ValidationError("--iteration must be 1 or more, not \(iteration)") }
        if iteration == nil, request || response { throw ValidationError("--request and --response need --iteration N") }
    }

    func run() throws {
        try reportingErrors { () throws(ConductorError) in
            let repository = try ConductorRepository.open()
            let snapshot = try repository.requireStateSnapshot()
            _ = try snapshot.format()
            let id = try snapshot.resolve(runID)
            if let iteration {
                let redactor = SecretRedactor(environment: repository.environment)
                guard let view = try IterationTranscript.read(iteration, of: id, in: snapshot, redactor: redactor) else {
                    throw .iterationNotFound(id, iteration: iteration)
                }
                if json { return Terminal.json(view) }
                let both = request == response
                return Terminal.standardOutput(view.render(requests: both || request, responses: both || response))
            }
            let history = try snapshot.history(of: id)
            let now = repository.clock.now()
            let status = repository.displayStatus(history.summary)
            if json { return Terminal.json(ShowOutput(history, status: status, now: now)) }
            for problem in history.problems { Terminal.warning(problem) }
            Terminal.standardOutput(Self.render(history, status: status, now: now))
        }
    }

    static func render(_ history: RunHistory, status: String? = nil, now: Timestamp) -> String {
        let summary = LogEntry(history.summary, status: status, now: now)
        var header: [[String]] = [["Status:", summary.status + (summary.status == RunState.failed.displayName ? summary.failureReason.map { " (\($0))" } ?? "" : "")]]
        if let record = history.record {
            header += [
                ["Prompt:", record.title],
                ["Mode:", record.mode.rawValue],
                ["Branch:", record.taskBranch],
                ["Base:", record.baseCommit],
                ["Model:", [record.provider, record.model].compactMap { $0 }.joined(separator: " / ")],
                ["Created:", "\(record.createdAt) (\(Display.age(of: record.createdAt, now: now))) on \(record.machine)"],
            ]
        }
        header.append(["Iterations:", String(summary.iterations)])
        header.append(["Tokens:", summary.tokens.map(String.init) ?? "-"])
        header.append(["Cost:", summary.cost ?? "-"])
        if let url = summary.pullRequest { header.append(["Pull request:", url]) }
        let timeline = history.events.map { event in
            ["  \(event.time)", "#\(event.stamp.clock)", event.payload.kind, EventText.describe(event.payload)]
        }
        var sections = ["run \(history.id)", Display.table(header)]
        sections.append("Timeline (\(history.events.count) event\(history.events.count == 1 ? "" : "s")):" + (timeline.isEmpty ? "" : "\n" + Display.table(timeline)))
        if !history.problems.isEmpty {
            sections.append("Problems:\n" + history.problems.map { "  \(TerminalText.line($0))" }.joined(separator: "\n"))
        }
        return sections.joined(separator: "\n\n")
    }
}

/// One-line descriptions of events for people.
enum EventText {
    static func describe(_ payload: EventPayload) -> String {
        switch payload {
        case let .transition(from, to, reason, detail):
            var text = "\(from?.rawValue ?? "START") -> \(to.rawValue)"
            if let reason { text += " (\(reason.rawValue))" }
            if let detail { text += ": \(detail)" }
            return text
        case .iterationStarted(let number):
            return "iteration \(number) started"
        case .usage(let usage):
            let cost = usage.costUSD.map(CostFormat.dollars) ?? "cost unknown"
            return "\(usage.model ?? "model") \(usage.tokensIn) in, \(usage.tokensOut) out, \(cost)"
        case let .steering(action, text):
            return action == .message ? "user guidance: \(text ?? "")" : "user asked to \(action.rawValue)"
        case .pullRequest(let url):
            return "pull request \(url)"
        case .providerAttempt(let attempt):
            let error = attempt.error.map { ": \($0)" } ?? ""
            return "\(attempt.provider) try \(attempt.attempt) \(attempt.outcome.description) in \(attempt.latencyMilliseconds) ms\(error)"
        case let .syncConflict(path, keptAs):
            return "two clones wrote \(path) differently; the remote's copy stays there, this clone's is \(keptAs)"
        case let .fileRequest(iteration, round, request, shown, missing):
            let absent = missing.isEmpty ? "" : "; not found: \(missing.joined(separator: ", "))"
            return "iteration \(iteration) round \(round): the model asked for \(request); shown \(shown.count)\(absent)"
        case let .contextPicked(iteration, files, tokens):
            let list = files.isEmpty ? "" : ": " + files.joined(separator: "; ")
            return "iteration \(iteration) prompt carries \(files.count) file\(files.count == 1 ? "" : "s"), \(tokens) tokens of context\(list)"
        case .contextProposal(let proposal):
            let count = proposal.changes.count
            return "context sync proposes \(count) line\(count == 1 ? "" : "s") for \(Set(proposal.changes.map(\.document)).sorted().joined(separator: ", ")) ('git conductor context sync')"
        case .unknown(let kind):
            return "(\(kind) event from a newer git-conductor)"
        }
    }
}

/// `show --json`: the record, the folded summary and every event.
struct ShowOutput: Encodable {
    struct EventEntry: Encodable {
        let event: Event
        let text: String

        func encode(to encoder: any Encoder) throws {
            try event.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(text, forKey: Key(stringValue: "text"))
            try container.encode(event.stamp.fileName, forKey: Key(stringValue: "file"))
        }
    }

    struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    let run: RunRecord?
    let summary: LogEntry
    let events: [EventEntry]
    let problems: [String]

    init(_ history: RunHistory, status: String, now: Timestamp) {
        run = history.record
        summary = LogEntry(history.summary, status: status, now: now)
        events = history.events.map { EventEntry(event: $0, text: EventText.describe($0.payload)) }
        problems = history.problems
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(run, forKey: Key(stringValue: "run"))
        try container.encode(summary, forKey: Key(stringValue: "summary"))
        try container.encode(events, forKey: Key(stringValue: "events"))
        try container.encode(problems, forKey: Key(stringValue: "problems"))
    }
}
