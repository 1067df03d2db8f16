import ArgumentParser
import ConductorDomain
import ConductorKit
import Foundation

/// What `run`, `resume` and `replay` share: an engine that prints as it goes, the outcome
/// printed last, and errors reported with their documented exit codes.
enum RunDriver {
    /// Runs `body` with an engine in the current repository; returns the run's outcome.
    static func drive(
        json: Bool, _ body: (RunEngine) async throws(ConductorError) -> RunOutcome
    ) async throws(ExitCode) -> RunOutcome {
        let printer = RunPrinter(json: json)
        var result: RunOutcome?
        try await reportingErrorsAsync { () async throws(ConductorError) in
            let engine = RunEngine(repository: try ConductorRepository.open(), report: printer.print)
            result = try await body(engine)
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
