/// What a run is, fixed at creation: the content of `run.json`, written once and never changed.
public struct RunRecord: Sendable, Equatable, Codable {
    public let id: RunID
    public let prompt: String
    public let mode: RunMode
    /// The commit the task branch starts from, as a 40-character hex id.
    public let baseCommit: String
    public let taskBranch: String
    public let provider: String?
    public let model: String?
    public let createdAt: Timestamp
    public let machine: MachineID
    /// The git-conductor version that started the run (absent in runs of older versions),
    /// for the provenance of what reviewers read.
    public let toolVersion: String?

    public init(
        id: RunID, prompt: String, mode: RunMode, baseCommit: String, taskBranch: String,
        provider: String?, model: String?, createdAt: Timestamp, machine: MachineID, toolVersion: String? = nil
    ) {
        self.id = id
        self.prompt = prompt
        self.mode = mode
        self.baseCommit = baseCommit
        self.taskBranch = taskBranch
        self.provider = provider
        self.model = model
        self.createdAt = createdAt
        self.machine = machine
        self.toolVersion = toolVersion
    }

    /// The first line of the prompt, for one-line listings.
    public var title: String {
        String(prompt.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: true).first ?? "")
    }

    enum CodingKeys: String, CodingKey {
        case id, prompt, mode, provider, model, machine
        case baseCommit = "base_commit", taskBranch = "task_branch", createdAt = "created_at", toolVersion = "tool_version"
    }
}
