import ConductorTesting
import Foundation
import Testing

@Suite("--help and --version")
struct HelpAndVersionTests {
    static let subcommands: [(name: String, mentions: [String])] = [
        ("run", ["--script", "--verify", "--max-iterations", "--mode", "--yes", "--no-progress", "--json"]),
        ("resume", ["<run>", "--json", "--no-progress"]),
        ("replay", ["<run>", "--json", "--no-progress"]),
        ("demo", ["--dir"]),
        ("steer", ["<run>", "<message>"]),
        ("pause", ["<run>"]),
        ("cancel", ["<run>"]),
        ("approve", ["<run>"]),
        ("init", ["--json"]),
        ("log", ["--limit", "--status", "--oneline", "--json"]),
        ("show", ["<run>", "--json"]),
        ("doctor", ["--json"]),
        ("fsm", ["--format"]),
        ("gc", ["--dry-run", "--json"]),
    ]

    @Test("the root --help lists every subcommand, also outside a repository")
    func rootHelp() throws {
        let sandbox = try Sandbox()
        let outside = try TemporaryDirectory(prefix: "conductor-cli-outside")
        for directory in [sandbox.path, outside.path] {
            for arguments in [["--help"], ["-h"], ["help"]] {
                let result = try sandbox.run(Tool.conductor, arguments, in: directory)
                #expect(result.status == 0, "\(arguments): \(result)")
                #expect(result.stdout.contains("git conductor"), "\(arguments): \(result)")
                for (name, _) in Self.subcommands {
                    #expect(result.stdout.contains("  \(name) "), "\(arguments) does not list \(name)")
                }
                #expect(result.stdout.contains("--version"))
            }
        }
    }

    @Test("each subcommand's --help exits 0 and names its options", arguments: subcommands.map(\.name))
    func subcommandHelp(_ name: String) throws {
        let sandbox = try Sandbox()
        let mentions = Self.subcommands.first { $0.name == name }?.mentions ?? []
        for arguments in [[name, "--help"], ["help", name]] {
            let result = try sandbox.run(Tool.conductor, arguments)
            #expect(result.status == 0, "\(arguments): \(result)")
            #expect(result.stdout.contains("git conductor \(name)"), "\(arguments): \(result)")
            for option in mentions + ["--help"] {
                #expect(result.stdout.contains(option), "\(arguments) does not mention \(option):\n\(result.stdout)")
            }
        }
        #expect(try sandbox.stateTip() == nil, "--help must not do anything")
    }

    @Test("--version prints a version number")
    func version() throws {
        let sandbox = try Sandbox()
        let result = try sandbox.conductor("--version")
        #expect(result.status == 0, "\(result)")
        let parts = result.output.split(separator: ".")
        #expect(parts.count >= 2 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) }, "'\(result.output)' is not a version")
        #expect(lines(result.stdout).count == 1)
    }
}
