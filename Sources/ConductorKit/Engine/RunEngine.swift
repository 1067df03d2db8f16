import ConductorDomain
import Foundation
import GitKit

/// Runs a task end to end (DESIGN.md §5): PRECHECK, then PLANNING (and, in `full` mode,
/// AWAITING_APPROVAL), then BUILDING → VERIFYING → (REPAIRING → BUILDING)* until the
/// project's own checks pass or the loop guardian stops the run. Each attempt that changes
/// files is one commit on the task branch, with `Conductor-Run` and `Conductor-Iteration`
/// trailers and a note; every request, response and BIST report is recorded under the run's
/// folder on the state branch.
///
/// Every phase can be entered from the state branch alone (``resume(_:)``): the run's
/// configuration is recorded when it starts, and the loop's checkpoint with each of its
/// transitions, so a run continues in a new process from wherever the last one stopped.
public final class RunEngine {
    let repository: ConductorRepository
    let verifier: any Verifier
    let report: @Sendable (EngineUpdate) -> Void
    /// How often a run waiting in AWAITING_APPROVAL looks for the approval.
    let approvalPollMilliseconds: Int

    /// `verifier` defaults to real processes in an environment without credentials
    /// (``VerifyEnvironment``).
    public init(
        repository: ConductorRepository, verifier: (any Verifier)? = nil, approvalPollMilliseconds: Int = 500,
        report: @escaping @Sendable (EngineUpdate) -> Void = { _ in }
    ) {
        self.repository = repository
        self.verifier = verifier ?? ProcessVerifier(environment: VerifyEnvironment.scrubbed(repository.environment), clock: repository.clock)
        self.approvalPollMilliseconds = approvalPollMilliseconds
        self.report = report
    }

    /// Starts a new run.
    public func start(_ request: RunRequest) async throws(ConductorError) -> RunOutcome {
        let store = try repository.stateStore()
        // A first run needs no separate `init`: the state branch is created on demand (git
        // configuration for remotes stays `init`'s job).
        try store.initialize()
        let base = try resolveBase(request.base)
        let record = makeRecord(request, base: base, machine: store.machine)
        let session = RunSession(record: record, store: store, environment: repository.environment, redactor: redactor(for: request), report: report)
        // A provider that cannot be set up is one of PRECHECK's problems, reported with the others.
        let provider: Result<any Provider, ConductorError>
        do {
            provider = .success(try makeProvider(request, for: session, answered: 0))
        } catch {
            provider = .failure(error)
        }
        try session.begin(configuration: request)
        let lock = try RunLock.acquire(record.id, in: repository.privateDirectory)
        defer { lock.release() }
        switch provider {
        case .success(let provider):
            return try await proceed(RunContext(engine: self, session: session, request: request, provider: provider), from: .precheck)
        case .failure(let error):
            let problems = [error.description] + (try precheck(request, record: record))
            return try session.fail(.precheck, problems.joined(separator: "; "), iterations: 0)
        }
    }

    /// The run's provider, built from its spec; tries are reported to the session.
    private func makeProvider(_ request: RunRequest, for session: RunSession, answered: Int) throws(ConductorError) -> any Provider {
        try request.provider.makeProvider(ProviderSpec.Context(
            repository: repository, answered: answered,
            workingDirectory: WorktreeManager(repository: repository).path(for: session.id), observer: session.attempts.observer
        ))
    }

    /// Knows the keys of this environment and of the run's provider profiles.
    private func redactor(for request: RunRequest) -> SecretRedactor {
        let variables = if case .configured(let chain) = request.provider { chain.keyVariables } else { [String]() }
        return SecretRedactor(environment: repository.environment, keyVariables: variables)
    }

    /// Continues a run that was interrupted or paused, in this process, from its last
    /// recorded state. `text` is a run id or a unique prefix of one.
    public func resume(_ text: String) async throws(ConductorError) -> RunOutcome {
        let store = try repository.stateStore()
        let snapshot = try store.requireSnapshot()
        _ = try snapshot.format()
        let id = try snapshot.resolve(text)
        let history = try snapshot.history(of: id)
        guard let record = history.record, let state = history.summary.state else {
            throw .runNotResumable(id, detail: "its run.json or its events cannot be read: \(history.problems.joined(separator: "; "))")
        }
        if state.isFinal { throw .runFinished(id, state: state) }
        guard let configuration = try snapshot.artifact(StateLayout.configurationFile, of: id) else {
            throw .runNotResumable(id, detail: "it has no \(StateLayout.configurationFile) (an older git-conductor started it)")
        }
        let request = try StateCoding.decode(RunRequest.self, from: configuration, path: StateLayout.artifact(id, StateLayout.configurationFile) ?? "")
        let lock = try RunLock.acquire(id, in: repository.privateDirectory)
        defer { lock.release() }
        let session = RunSession(
            resuming: history, record: record, store: store, environment: repository.environment, redactor: redactor(for: request), report: report
        )
        let provider = try makeProvider(request, for: session, answered: session.answers)
        report(.resumed(id, state: state, taskBranch: record.taskBranch))
        var from = state
        if state == .paused {
            from = Self.stateBeforePause(history)
            try session.move(to: from, detail: "resumed")
        }
        return try await proceed(RunContext(engine: self, session: session, request: request, provider: provider), from: from)
    }

    /// Starts a new run that repeats the recorded run `text` names: the same task, mode,
    /// verify commands and base commit, answered by ``ReplayProvider`` with the recorded
    /// run's responses, its approvals given automatically.
    public func replay(_ text: String) async throws(ConductorError) -> RunOutcome {
        let snapshot = try repository.requireStateSnapshot()
        let id = try snapshot.resolve(text)
        guard let record = try snapshot.history(of: id).record,
              let configuration = try snapshot.artifact(StateLayout.configurationFile, of: id) else {
            throw .runNotResumable(id, detail: "it has no \(StateLayout.configurationFile) to replay from (an older git-conductor started it)")
        }
        var request = try StateCoding.decode(RunRequest.self, from: configuration, path: StateLayout.artifact(id, StateLayout.configurationFile) ?? "")
        request.provider = .replay(run: id)
        request.base = record.baseCommit
        request.autoApprove = true
        return try await start(request)
    }

    /// The state a paused run was in when it paused.
    static func stateBeforePause(_ history: RunHistory) -> RunState {
        for event in history.events.reversed() {
            if case let .transition(from?, .paused, _, _) = event.payload { return from }
        }
        return .precheck
    }

    /// Runs the phases from `state` on: the whole run for a new one, the rest for a resumed one.
    private func proceed(_ run: RunContext, from state: RunState) async throws(ConductorError) -> RunOutcome {
        switch state {
        case .precheck:
            let problems = try precheck(run.request, record: run.session.record)
            if !problems.isEmpty {
                return try run.session.fail(.precheck, problems.joined(separator: "; "), iterations: 0)
            }
            if run.request.mode == .fast { return try await build(run, checklist: nil) }
            try run.session.move(to: .planning)
            return try await plan(run, from: .planning)
        case .planning, .awaitingApproval:
            return try await plan(run, from: state)
        case .building, .verifying, .repairing:
            guard let bytes = try run.session.recorded(StateLayout.checkpointFile) else {
                throw .runNotResumable(run.session.id, detail: "it has no \(StateLayout.checkpointFile) (an older git-conductor started it)")
            }
            let checkpoint = try StateCoding.decode(LoopCheckpoint.self, from: bytes, path: StateLayout.checkpointFile)
            return try await loop(run, from: checkpoint, resumingAt: state)
        case .paused, .complete, .failed, .cancelled:
            throw .internalInconsistency("a run cannot proceed from \(state.rawValue)")
        }
    }

    private func plan(_ run: RunContext, from state: RunState) async throws(ConductorError) -> RunOutcome {
        switch try await Planner(run: run, rules: PlanRules(paths: run.request.paths)).run(from: state) {
        case .accepted(let checklist): try await build(run, checklist: checklist)
        case .ended(let outcome): outcome
        }
    }

    /// Enters BUILDING for the first time, with the loop's first checkpoint and the plan's
    /// steps marked in progress: all of them, or the first alone when building step by step.
    private func build(_ run: RunContext, checklist: PlanChecklist?) async throws(ConductorError) -> RunOutcome {
        var checklist = checklist
        var artifacts: [String: [UInt8]] = [:]
        if var marked = checklist {
            let steps = run.request.mode == .full ? [0] : Array(marked.plan.steps.indices)
            for step in steps { marked.mark(step: step, .inProgress) }
            checklist = marked
            artifacts["plan.md"] = Array(marked.markdown.utf8)
        }
        let checkpoint = LoopCheckpoint(base: run.session.record.baseCommit, limits: run.request.limits, checklist: checklist)
        artifacts[StateLayout.checkpointFile] = StateCoding.document(checkpoint)
        try run.session.move(to: .building, artifacts: artifacts)
        return try await loop(run, from: checkpoint, resumingAt: nil)
    }

    /// The build loop in the run's worktree: made for a new run, reopened (or recreated from
    /// the task branch) for a resumed one. Failed runs keep their worktree for inspection.
    private func loop(_ run: RunContext, from checkpoint: LoopCheckpoint, resumingAt state: RunState?) async throws(ConductorError) -> RunOutcome {
        let manager = WorktreeManager(repository: repository)
        let workspace: RunWorkspace
        do {
            let branch = try WorktreeManager.taskBranch(of: run.session.record)
            workspace = try manager.isTaskBranchFree(branch) ? manager.create(for: run.session.record) : manager.open(for: run.session.record)
        } catch {
            // A run that cannot get its worktree ends FAILED with the reason, rather than
            // being left in BUILDING for `log` to call interrupted.
            return try run.session.fail(.internal, error.description, iterations: checkpoint.iterations)
        }
        let outcome = try await BuildLoop(run: run, workspace: workspace).run(from: checkpoint, resumingAt: state)
        do {
            _ = try manager.finish(workspace, state: outcome.state, retention: run.request.retention)
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
            provider: request.provider.name, model: nil, createdAt: now, machine: machine,
            toolVersion: ConductorVersion.current
        )
    }

    /// One clear message per problem; an empty list means the run may start.
    private func precheck(_ request: RunRequest, record: RunRecord) throws(ConductorError) -> [String] {
        var problems: [String] = []
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

/// What every phase of one run works with.
struct RunContext {
    let engine: RunEngine
    let session: RunSession
    let request: RunRequest
    let provider: any Provider
    /// Chooses what of the repository each prompt shows; one per process, so unchanged
    /// files are read once.
    let context: ContextEngine

    init(engine: RunEngine, session: RunSession, request: RunRequest, provider: any Provider) {
        self.engine = engine
        self.session = session
        self.request = request
        self.provider = provider
        context = ContextEngine(repository: engine.repository)
    }

    /// What a prompt shows of the repository at `revision`; nil when the context cannot be
    /// read, which is reported and costs the prompt its files, never the run.
    func pick(_ query: ContextQuery, at revision: ObjectID) -> ContextPick? {
        do {
            let pick = try context.pick(query, at: revision)
            for warning in pick.warnings { engine.report(.warning("context: \(warning)")) }
            return pick
        } catch {
            engine.report(.warning("context: \(error.description); this prompt carries no repository files"))
            return nil
        }
    }
}
