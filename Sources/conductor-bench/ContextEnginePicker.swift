import ConductorKit
import GitKit

/// One file the engine put in the prompt, as the recall benchmark reports it.
struct EnginePickedFile {
    let path: String
    /// Path, form, tokens, score and reasons, for the details file.
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
    /// Whether ``map(at:budgetTokens:)`` builds the map alone, or a whole pick stands in for it.
    static let mapMeasuredAlone = false

    init(repository: ConductorRepository) {}

    func pick(task: String, budgetTokens: Int, at revision: ObjectID) throws -> EnginePick {
        throw BenchError("the context engine is not built yet")
    }

    func map(at revision: ObjectID, budgetTokens: Int) throws {
        throw BenchError("the context engine is not built yet")
    }
}
