// conductor-synth: fills a repository's state branch with synthetic runs and events.
// A test and benchmark tool, not a user command: the engine writes real runs.
//
//   conductor-synth init
//   conductor-synth populate <count> [<per-commit>]     prints nothing; creates finished runs
//   conductor-synth create-run [<prompt>]               prints the new run id
//   conductor-synth append <run-id> <count>             one commit per event
import ConductorDomain
import ConductorKit
import Foundation

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("conductor-synth: \(message)\n".utf8))
    exit(2)
}

func run(_ arguments: [String]) throws(ConductorError) {
    let repository = try ConductorRepository.open()
    let store = try repository.stateStore()
    let synthetic = SyntheticRuns(store: store, repository: repository)
    switch arguments.first {
    case "init":
        try store.initialize()
    case "populate":
        guard arguments.count >= 2, let count = Int(arguments[1]) else { fail("usage: populate <count> [<per-commit>]") }
        try synthetic.populate(count: count, perCommit: arguments.count > 2 ? Int(arguments[2]) ?? 500 : 500)
    case "create-run":
        let record = synthetic.record(prompt: arguments.count > 1 ? arguments[1] : "Synthetic task")
        try store.createRun(record, events: [.transition(from: nil, to: .precheck, reason: nil, detail: nil)])
        print(record.id)
    case "append":
        guard arguments.count == 3, let id = RunID(arguments[1]), let count = Int(arguments[2]) else {
            fail("usage: append <run-id> <count>")
        }
        for number in 1...max(1, count) {
            try store.append([.iterationStarted(number: number)], to: id)
        }
    default:
        fail("usage: conductor-synth init | populate <count> [<per-commit>] | create-run [<prompt>] | append <run-id> <count>")
    }
}

do {
    try run(Array(CommandLine.arguments.dropFirst()))
} catch {
    fail(error.description)
}
