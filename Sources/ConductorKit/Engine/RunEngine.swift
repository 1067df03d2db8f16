import ConductorDomain
import Foundation
import GitKit

/// Runs a task end to end (DESIGN.md §5): PRECHECK, then BUILDING → VERIFYING →
/// (REPAIRING → BUILDING)* until the project's own checks pass or the loop guardian stops
/// the run. Each attempt that changes files is one commit on the task branch, with
/// `Conductor-Run` and `Conductor-Iteration` trailers and a note; every request, response
/// and BIST report is recorded under the run's `iterations/<n>/` on the state branch.
///
/// `streamlined` mode plans first (``Planner``); `fast` goes straight to building. `full`
/// mode's approvals, resume and steering build on the same session and loop.
public final class RunEngine {
    let repository: ConductorRepository
    let provider: any Provider
    let verifier: any Verifier
    let report: @Sendable (EngineUpdate) -> Void

    /// `verifier` defaults to real processes in an environment without credentials
    /// (``VerifyEnvironment``).
    public init(
        repository: ConductorRepository, provider: any Provider, verifier: (any Verifier)? = nil,
        report: @escaping @Sendable (EngineUpdate) -> Void = { _ in }
    ) {
        self.repository = repository
        self.provider = provider
        self.verifier = verifier ?? ProcessVerifier(environment: VerifyEnvironment.scrubbed(repository.environment), clock: repository.clock)
        self.report = report
    }

    public func start(_ request: RunRequest) async throws(ConductorError) -> RunOutcome {
        let store = try repository.stateStore()
        // A first run needs no separate `init`: the state branch is created on demand (git
        // configuration for remotes stays `init`'s job).
        try store.initialize()
        let base = try resolveBase(request.base)
        let record = makeRecord(request, base: base, machine: store.machine)
        let session = RunSession(record: record, store: store, report: report)
        try session.begin()
        let lock = try RunLock.acquire(record.id, in: repository.privateDirectory)
        defer { lock.release() }
        let problems = try precheck(request, record: record)
        if !problems.isEmpty {
            return try session.fail(.precheck, problems.joined(separator: "; "), iterations: 0)
        }
        var checklist: PlanChecklist?
        if request.mode != .fast {
            try session.move(to: .planning)
            switch try await Planner(engine: self, session: session, request: request, rules: PlanRules(paths: request.paths)).run() {
            case .accepted(let plan): checklist = plan
            case .ended(let outcome): return outcome
            }
        }
        try session.move(to: .building)
        let workspace: RunWorkspace
        do {
            workspace = try WorktreeManager(repository: repository).create(for: record)
        } catch {
            // A run that cannot get its worktree ends FAILED with the reason, rather than
            // being left in BUILDING for `log` to call interrupted.
            return try session.fail(.internal, error.description, iterations: 0)
        }
        let loop = BuildLoop(engine: self, session: session, request: request, workspace: workspace, base: base, checklist: checklist)
        let outcome = try await loop.run()
        do {
            _ = try WorktreeManager(repository: repository).finish(workspace, state: outcome.state, retention: request.retention)
        } catch {
            // The run's outcome stands; a worktree left behind is for `git conductor gc`.
            report(.warning("could not remove the worktree at \(workspace.path): \(error.description)"))
        }
        return outcome
    }

    private func resolveBase(_ revision: String) throws(ConductorError) -> ObjectID {
        guard let id = try gitCall({ () throws(GitError) in try repository.git.resolveCommit(revision) }) else {
            throw .baseCommitMissing(revision)
        }
        return id
    }

    private func makeRecord(_ request: RunRequest, base: ObjectID, machine: MachineID) -> RunRecord {
        var generator = SystemRandomNumberGenerator()
        let now = repository.clock.now()
        let id = RunID.generate(atMilliseconds: UInt64(now.milliseconds), using: &generator)
        return RunRecord(
            id: id, prompt: request.prompt, mode: request.mode, baseCommit: base.hex,
            taskBranch: TaskBranchName(prompt: request.prompt, run: id).rawValue,
            provider: provider.name, model: nil, createdAt: now, machine: machine
        )
    }

    /// One clear message per problem; an empty list means the run may start.
    private func precheck(_ request: RunRequest, record: RunRecord) throws(ConductorError) -> [String] {
        var problems: [String] = []
        if request.mode == .full {
            problems.append("mode full waits for approvals, which this version cannot give yet; use --mode streamlined or --mode fast")
        }
        if request.verifyCommands.isEmpty { problems.append("no verify command is configured") }
        let directory = repository.git.workingDirectory ?? repository.git.commonDirectory
        for command in request.verifyCommands {
            let availability = CommandAvailability.check(command.commandLine, in: directory, environment: repository.environment)
            if !availability.isRunnable { problems.append("verify command '\(command.commandLine)': \(availability)") }
        }
        let branch = try WorktreeManager.taskBranch(of: record)
        if try !WorktreeManager(repository: repository).isTaskBranchFree(branch) {
            problems.append("task branch \(branch) already exists")
        }
        if access(repository.git.commonDirectory, W_OK) != 0 {
            problems.append("\(repository.git.commonDirectory) is not writable")
        }
        return problems
    }
}
