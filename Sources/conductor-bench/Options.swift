import Glibc

/// The command line. Parsed by hand: the benchmark depends on nothing but the package's own
/// libraries, and three options do not justify more.
struct Options {
    static let usage = """
        usage: conductor-bench [--quick] [--bin-dir <dir>] [--json <file>] [--only context]
                               [--context-corpus <file>] [--context-repositories <dir>]
                               [--context-details <file>] [--context-speed-repo <dir>]
                               [--context-budget <tokens>]

        Measures the budgets of DESIGN.md §7 in temporary repositories and prints a table.
        A missed budget is reported as MISS; the exit status is still 0 (this is a
        benchmark, not a test). Exit status 1 means the benchmark itself could not run.

          --quick            fewer samples, for a fast sanity run (same state sizes)
          --bin-dir <dir>    where the git-conductor binary is (default: this program's directory)
          --json <file>      also write the results as JSON to <file>
          --only context     measure only the context engine (recall and speed); needs
                             no git-conductor binary

        The context engine's recall corpus (docs/benchmarks.md, "Context engine"):
          --context-corpus <file>        the manifest (default: bench/context-corpus.tsv
                                         of this package)
          --context-repositories <dir>   where its repositories are, as owner+name/repo,
                                         owner+name, owner/name or name (default:
                                         $CONDUCTOR_BENCH_REPOSITORIES, else /work/.mirror);
                                         a repository not found is skipped and said to be
          --context-details <file>       write every task's gold and picks to <file>
          --context-speed-repo <dir>     the git clone the speed rows use (default:
                                         .build/checkouts/swift-nio of this package)
          --context-budget <tokens>      the prompt budget (default 8000)
          -h, --help         show this help
        """

    var quick = false
    var binDirectory: String
    var jsonPath: String?
    var help = false
    /// `context` measures the context engine alone; nil measures everything.
    var only: String?
    var contextCorpus: String?
    var contextRepositories: String?
    var contextDetails: String?
    var contextSpeedRepository: String?
    var contextBudget = ContextRecallBenchmark.defaultBudgetTokens

    static let groups = ["context"]

    /// Parses the arguments after the program name.
    init(_ arguments: some Sequence<String>) throws {
        binDirectory = Self.executableDirectory()
        var remaining = arguments.makeIterator()
        while let argument = remaining.next() {
            switch argument {
            case "--quick":
                quick = true
            case "--bin-dir":
                binDirectory = try Self.value(of: argument, from: &remaining)
            case "--json":
                jsonPath = try Self.value(of: argument, from: &remaining)
            case "-h", "--help":
                help = true
            case "--only", "--context-corpus", "--context-repositories", "--context-details", "--context-speed-repo", "--context-budget":
                try set(argument, to: try Self.value(of: argument, from: &remaining))
            default:
                if let equals = argument.firstIndex(of: "="), argument.hasPrefix("--") {
                    let name = String(argument[..<equals])
                    let value = String(argument[argument.index(after: equals)...])
                    switch name {
                    case "--bin-dir": binDirectory = value
                    case "--json": jsonPath = value
                    default: try set(name, to: value)
                    }
                } else {
                    throw BenchError("unknown argument '\(argument)'")
                }
            }
        }
    }

    /// The options that take a value and are spelled the same with a space or `=`.
    private mutating func set(_ option: String, to value: String) throws {
        switch option {
        case "--only":
            guard Self.groups.contains(value) else {
                throw BenchError("--only takes one of: \(Self.groups.joined(separator: ", ")); got '\(value)'")
            }
            only = value
        case "--context-corpus": contextCorpus = value
        case "--context-repositories": contextRepositories = value
        case "--context-details": contextDetails = value
        case "--context-speed-repo": contextSpeedRepository = value
        case "--context-budget":
            guard let tokens = Int(value), tokens > 0 else { throw BenchError("--context-budget takes a positive number of tokens; got '\(value)'") }
            contextBudget = tokens
        default: throw BenchError("unknown option '\(option)'")
        }
    }

    private static func value(of option: String, from arguments: inout some IteratorProtocol<String>) throws -> String {
        guard let value = arguments.next(), !value.isEmpty else { throw BenchError("\(option) needs a value") }
        return value
    }

    /// The directory of the running executable, from `/proc/self/exe` (argv[0] may be a
    /// bare name found on `PATH`, or relative to a directory we no longer know).
    private static func executableDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        let path = length > 0
            ? String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            : CommandLine.arguments[0]
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return String(path[..<slash])
    }
}

/// How many times each measurement is repeated.
struct SampleCounts {
    var appendWarmup: Int
    var appends: Int
    var plumbingWarmup: Int
    var plumbing: Int
    var logRuns: Int
    /// Repetitions of each in-process step of a listing; a full read takes seconds.
    var logSteps: Int

    static let full = SampleCounts(appendWarmup: 20, appends: 200, plumbingWarmup: 2, plumbing: 20, logRuns: 10, logSteps: 3)
    static let quick = SampleCounts(appendWarmup: 5, appends: 40, plumbingWarmup: 1, plumbing: 5, logRuns: 3, logSteps: 1)
}
