/// The states of a run's state machine (DESIGN.md §5). Raw values are what the state branch stores.
public enum RunState: String, Codable, Sendable, CaseIterable {
    case precheck = "PRECHECK"
    case planning = "PLANNING"
    case awaitingApproval = "AWAITING_APPROVAL"
    case building = "BUILDING"
    case verifying = "VERIFYING"
    case repairing = "REPAIRING"
    case paused = "PAUSED"
    case complete = "COMPLETE"
    case failed = "FAILED"
    case cancelled = "CANCELLED"

    /// Whether no transition can leave this state.
    public var isFinal: Bool {
        switch self {
        case .complete, .failed, .cancelled: true
        default: false
        }
    }

    /// The lowercase spelling used in listings and filters (`awaiting_approval`, `complete`).
    public var displayName: String { rawValue.lowercased() }
}

/// How much ceremony a run goes through (DESIGN.md §5).
public enum RunMode: String, Codable, Sendable, CaseIterable {
    case fast, streamlined, full
}
