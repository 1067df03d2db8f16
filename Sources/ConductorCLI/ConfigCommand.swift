import ArgumentParser
import ConductorDomain
import ConductorKit
import Foundation

/// `git conductor config`: what the configuration says, and where each value comes from.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Show and check the configuration: every key, its value and the layer it came from.",
        discussion: """
            Layers, lowest first; a higher one overrides a lower one key by key:
              default     built into git-conductor
              user        $XDG_CONFIG_HOME/git-conductor/config.yml (else ~/.config/…)
              repository  conductor.yml at the repository root
              git         git config conductor.* (conductor.budgets.max-tokens)
              env         CONDUCTOR_* variables (CONDUCTOR_BUDGETS_MAX_TOKENS)
              flag        options of the command that runs

            Outside a repository only the defaults, the user file and the environment
            apply. Every key is described in docs/configuration.md.

            Examples:
              $ git conductor config show
              $ git conductor config show --effective
              $ git conductor config show --json | jq -r '.[].key'
              $ git conductor config validate
            """,
        subcommands: [Show.self, Validate.self]
    )

    /// `git conductor config show`.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print configured keys with their values and origins.",
            discussion: """
                Without --effective, only the keys a file, git config or the environment sets;
                with it, every key, defaults included. Each line shows the key, its value and
                its origin: the layer and the file (with line and column), the git key (with
                its level) or the variable. Key variables (api_key_env) show the variable's
                name, never a key.

                --json prints an array of {"key", "value", "origin": {"layer", "source",
                "line", "column", "scope"}}; "source" is null for defaults, "line" and
                "column" appear for files and "scope" (local, global…) for git config.

                Problems are printed on standard error after the table; errors make the
                command exit with 15. With --effective and no provider configured, a note
                says which provider a run would detect (docs/configuration.md).

                Examples:
                  $ git conductor config show
                  $ git conductor config show --effective
                  $ CONDUCTOR_MODE=fast git conductor config show --effective --json
                """
        )

        @Flag(help: "Show every key, with the defaults.")
        var effective = false

        @Flag(help: "Print a JSON array of {key, value, origin}.")
        var json = false

        func run() throws {
            let context = try ConfigContext.load()
            let secrets = context.loader.secretValues(in: context.report)
            let settings = context.report.settings
                .filter { effective || $0.origin.layer != .defaults }
                .map { EffectiveSetting(key: $0.key, value: $0.value.redacting(secrets), origin: $0.origin) }
            if json {
                Terminal.json(settings)
            } else if settings.isEmpty {
                Terminal.standardOutput("No key is set outside the defaults; 'git conductor config show --effective' lists them all.")
            } else {
                Terminal.standardOutput(Self.render(settings))
            }
            context.printProblems()
            if effective, let configuration = context.report.configuration, configuration.provider == nil {
                Self.printDetection(configuration)
            }
            if !context.report.errors.isEmpty { throw ExitCode(ConductorExitCode.configInvalid.rawValue) }
        }

        /// With no provider configured, says which one a run would detect, and why.
        static func printDetection(_ configuration: Configuration) {
            let detector = ProviderDetector(environment: ProcessInfo.processInfo.environment)
            if let choice = detector.provider(for: configuration) {
                Terminal.standardError("note: no provider is configured; a run would choose \(choice.provider) (\(choice.reason))")
            } else {
                Terminal.standardError("note: \(ProviderDetection.noneFound)")
            }
        }

        /// KEY, VALUE, ORIGIN columns.
        static func render(_ settings: [EffectiveSetting]) -> String {
            Display.table([["KEY", "VALUE", "ORIGIN"]] + settings.map { [$0.key.description, $0.value.description, $0.origin.description] })
        }
    }

    /// `git conductor config validate`.
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every layer of the configuration and list every problem.",
            discussion: """
                Prints "configuration is valid" and exits 0 when nothing is wrong. Otherwise
                every problem is printed on standard error, one a line, naming where it was
                written (file:line:column, the git key or the variable), the key, and what is
                wrong: a value of the wrong type or out of range, a provider that names no
                profile, an incomplete profile, a secret written into configuration. An
                unknown key is a warning with a "did you mean" suggestion: it is ignored, and
                the configuration stays valid unless --strict is given. Exits with 15 when
                there is an error (docs/exit-codes.md).

                --json prints {"valid": bool, "problems": [{"severity", "key", "origin",
                "message"}]} on standard output instead.

                Examples:
                  $ git conductor config validate
                  $ git conductor config validate --strict
                  $ git conductor config validate --json | jq '.problems[].message'
                """
        )

        @Flag(help: "Count warnings (unknown keys) as errors.")
        var strict = false

        @Flag(help: "Print the verdict and the problems as JSON.")
        var json = false

        struct Verdict: Encodable {
            let valid: Bool
            let problems: [ConfigurationProblem]
        }

        func run() throws {
            let context = try ConfigContext.load()
            let report = context.report
            let valid = report.errors.isEmpty && (!strict || report.warnings.isEmpty)
            if json {
                Terminal.json(Verdict(valid: valid, problems: report.problems))
                context.printLocationNote()
            } else {
                context.printProblems()
                if valid {
                    let warnings = report.warnings.count
                    Terminal.standardOutput("configuration is valid" + (warnings == 0 ? "" : " (\(warnings) \(warnings == 1 ? "warning" : "warnings"))"))
                } else {
                    let count = strict ? report.problems.count : report.errors.count
                    Terminal.standardError("configuration is invalid: \(count) \(count == 1 ? "problem" : "problems")")
                }
            }
            if !valid { throw ExitCode(ConductorExitCode.configInvalid.rawValue) }
        }
    }
}

/// The configuration as both subcommands see it: loaded from the repository when there is
/// one, from the defaults, the user file and the environment otherwise.
private struct ConfigContext {
    let loader: ConfigurationLoader
    let report: ConfigurationReport

    static func load() throws -> ConfigContext {
        let environment = ProcessInfo.processInfo.environment
        var repository: ConductorRepository?
        try reportingErrors { () throws(ConductorError) in
            do throws(ConductorError) {
                repository = try ConductorRepository.open(environment: environment)
            } catch .notARepository {
                repository = nil
            }
        }
        let loader = ConfigurationLoader(repository: repository, environment: environment)
        return ConfigContext(loader: loader, report: loader.report())
    }

    /// Says, on standard error, that the repository layers were left out.
    func printLocationNote() {
        guard loader.repository == nil else { return }
        Terminal.standardError("note: not in a git repository: only the defaults, the user file and CONDUCTOR_* variables apply")
    }

    /// Every problem on standard error, warnings first, then the note.
    func printProblems() {
        for problem in report.warnings { Terminal.warning(problem.description) }
        for problem in report.errors { Terminal.error(problem.description) }
        printLocationNote()
    }
}
