import ArgumentParser
import ConductorDomain
import ConductorKit
import Foundation
import Logging

/// What `run`, `resume` and `replay` share: an engine that prints as it goes, the outcome
/// printed last, and errors reported with their documented exit codes.
enum RunDriver {
    /// Runs `body` with an engine in the current repository that reports through `printer`,
    /// then announces the outcome (`notify`, default: the configuration's); returns the outcome.
    static func drive(
        _ printer: RunPrinter, logging: RunLogOptions = RunLogOptions(), notify: NotifySettings? = nil,
        _ body: (RunEngine) async throws(ConductorError) -> RunOutcome
    ) async throws(ExitCode) -> RunOutcome {
        var result: RunOutcome?
        try await reportingErrorsAsync { () async throws(ConductorError) in
            // The status line goes before anything else is printed, an error included.
            defer { printer.close() }
            let repository = try ConductorRepository.open()
            let log = RunLog(logger: ConductorLogHandler.logger(for: repository, format: logging.logFormat.handlerFormat, level: logging.logLevel.level))
            do throws(ConductorError) {
                result = try await body(RunEngine(repository: repository) { update in
                    printer.print(update)
                    log.record(update)
                })
            } catch {
                log.failed(error)
                throw error
            }
            if let result { log.finished(result) }
            if let warning = RepositoryMaintenance.collectGarbage(in: repository) { printer.print(.warning(warning)) }
            if let outcome = result {
                let notifier = RunNotifier(settings: notify ?? RunConfiguration.notifySettings(in: repository), redactor: SecretRedactor(environment: repository.environment))
                if let warning = await notifier.notify(outcome) { printer.print(.warning(warning)) }
            }
        }
        guard let result else { throw ExitCode(ConductorExitCode.gitFailure.rawValue) }
        printer.finish(result)
        return result
    }

    /// A path as given on the command line, made absolute: the run records it, and `resume`
    /// may run in another directory.
    static func absolute(_ path: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        guard !expanded.hasPrefix("/") else { return expanded }
        return FileManager.default.currentDirectoryPath + "/" + expanded
    }
}

/// How `run`, `resume` and `replay` show a run as it happens.
struct RunOutputOptions: ParsableArguments {
    @Flag(help: "Print one JSON object per event instead of plain lines.")
    var json = false

    @Flag(help: "No live status line or colour on a terminal: only the plain lines, as in a pipe or a log.")
    var noProgress = false

    @OptionGroup var logging: RunLogOptions

    /// A printer in the style these flags, the terminal and the environment call for;
    /// `maxIterations` is shown as "iteration N/M" when known.
    func printer(maxIterations: Int?) -> RunPrinter {
        let style = RunOutputStyle.choose(
            json: json, noProgress: noProgress, standardOutputIsTerminal: Terminal.standardOutputIsTerminal,
            environment: ProcessInfo.processInfo.environment
        )
        return RunPrinter(style: style, maxIterations: maxIterations)
    }
}

/// `--log-level` and `--log-format`: what goes into `.git/conductor/logs/conductor.log`.
struct RunLogOptions: ParsableArguments {
    enum Level: String, ExpressibleByArgument, CaseIterable {
        case trace, debug, info, notice, warning, error, critical

        var level: Logger.Level { Logger.Level(rawValue: rawValue) ?? .info }
    }

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json

        var handlerFormat: ConductorLogHandler.Format { self == .json ? .json : .text }
    }

    @Option(help: "The least severe messages written to .git/conductor/logs/conductor.log: trace, debug, info, notice, warning, error or critical.")
    var logLevel: Level = .info

    @Option(help: "The log's format: text, or json (one object a line).")
    var logFormat: Format = .text
}

/// How a run's end maps to the documented exit codes.
enum RunExitCode: Int32 {
    case complete = 0, failed = 10, precheckFailed = 11, loopDetected = 12, stopped = 14

    init(_ outcome: RunOutcome) {
        self = switch (outcome.state, outcome.reason) {
        case (.complete, _): .complete
        case (.paused, _), (.cancelled, _): .stopped
        case (_, .precheck): .precheckFailed
        case (_, .loopDetected): .loopDetected
        default: .failed
        }
    }
}
