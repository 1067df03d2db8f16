import ConductorKit
import GitKit

/// One file the engine put in the prompt, as the recall benchmark reports it.
struct EnginePickedFile {
    let path: String
    let isWhole: Bool
    let tokens: Int
    /// Form, tokens, score and reasons, for the details file.
    let summary: String
}

/// What the engine put in a prompt.
struct EnginePick {
    let files: [EnginePickedFile]
    /// The symbol scanner that built the map (`universal-ctags 5.9.0`, `built-in`).
    let scanner: String
}

/// The context engine as the benchmarks call it.
///
/// Placeholder until `ContextEngine` (issue 11) is on main: not available, so the engine
/// rows print n/a and only the old rule is measured.
struct EnginePicker {
    static let isAvailable = false

    /// Where the time of one map build goes, in nanoseconds.
    struct MapSteps {
        var read: UInt64 = 0
        var facts: UInt64 = 0
        var rank: UInt64 = 0
        var render: UInt64 = 0
    }

    init(repository: ConductorRepository) {}

    func pick(task: String, budgetTokens: Int, at revision: ObjectID) throws -> EnginePick {
        throw BenchError("the context engine is not built yet")
    }

    @discardableResult
    func map(at revision: ObjectID, budgetTokens: Int) throws -> MapSteps {
        throw BenchError("the context engine is not built yet")
    }
}
