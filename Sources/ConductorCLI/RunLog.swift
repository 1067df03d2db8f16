import ConductorDomain
import ConductorKit
import Logging

/// Writes what happens to a run into the clone's log, with the run's id on every line.
final class RunLog: @unchecked Sendable {
    private var logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    func record(_ update: EngineUpdate) {
        switch update {
        case let .started(run, branch):
            logger[metadataKey: "run"] = "\(run)"
            logger.info("run started", metadata: ["task_branch": "\(branch)"])
        case let .resumed(run, state, branch):
            logger[metadataKey: "run"] = "\(run)"
            logger.info("run resumed", metadata: ["task_branch": "\(branch)", "state": "\(state.rawValue)"])
        case let .transition(from, to, detail):
            logger.info("\(from?.rawValue ?? "START") -> \(to.rawValue)", metadata: detail.map { ["detail": "\($0)"] })
        case .iteration(let number):
            logger.debug("iteration \(number)")
        case let .verified(iteration, summary):
            logger.info("verification", metadata: ["iteration": "\(iteration)", "result": "\(summary)"])
        case let .usage(tokens, cost):
            logger.debug("usage", metadata: ["tokens": "\(tokens)", "cost_usd": "\(cost.map { String($0) } ?? "unknown")"])
        case .warning(let message):
            logger.warning("\(message)")
        case let .awaitingApproval(_, what):
            logger.notice("waiting for approval of the \(what)")
        case .attempt(let attempt):
            let metadata: Logger.Metadata = [
                "provider": "\(attempt.provider)", "attempt": "\(attempt.attempt)", "outcome": "\(attempt.outcome)",
                "latency_ms": "\(attempt.latencyMilliseconds)",
            ]
            if attempt.outcome == .ok { logger.info("provider call", metadata: metadata) } else { logger.warning("provider call failed", metadata: metadata.merging(["error": "\(attempt.error ?? "")"]) { $1 }) }
        }
    }

    func finished(_ outcome: RunOutcome) {
        logger.notice("run ended \(outcome.state.rawValue)", metadata: [
            "iterations": "\(outcome.iterations)", "reason": "\(outcome.reason?.rawValue ?? "")", "detail": "\(outcome.detail ?? "")",
        ])
    }

    func failed(_ error: ConductorError) {
        logger.error("\(error.description)")
    }
}
