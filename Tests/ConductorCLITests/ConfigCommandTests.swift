import ConductorTesting
import Foundation
import Testing

/// `git conductor config` against real files, real git configuration and variables, run as
/// a child process in a ``Sandbox`` whose home directory holds the user file.
@Suite("git conductor config")
struct ConfigCommandTests {
    /// Variables of the host that would leak into the configuration under test.
    static func hostVariables() -> [String] {
        ProcessInfo.processInfo.environment.keys.filter { $0.hasPrefix("CONDUCTOR_") || $0.hasSuffix("_API_KEY") }
    }

    static func config(
        _ sandbox: Sandbox, _ arguments: String..., in directory: String? = nil, environment: [String: String] = [:]
    ) throws -> ProcessResult {
        try sandbox.run(Tool.conductor, ["config"] + arguments, in: directory, environment: environment, removing: hostVariables())
    }

    static func userFile(_ sandbox: Sandbox) -> String {
        sandbox.home.appending(".config/git-conductor/config.yml")
    }

    static func writeUserFile(_ sandbox: Sandbox, _ text: String) throws {
        try FileManager.default.createDirectory(atPath: sandbox.home.appending(".config/git-conductor"), withIntermediateDirectories: true)
        try text.write(toFile: userFile(sandbox), atomically: true, encoding: .utf8)
    }

    static func repositoryFile(_ sandbox: Sandbox) -> String { sandbox.path + "/conductor.yml" }

    /// The rows of `config show`: key → (value, origin), from the aligned table.
    static func table(_ output: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: (value: String, origin: String)] {
        let rows = lines(output)
        let header = try #require(rows.first, "no output", sourceLocation: sourceLocation)
        #expect(header.split(separator: " ").map(String.init) == ["KEY", "VALUE", "ORIGIN"], sourceLocation: sourceLocation)
        // Columns are aligned: VALUE and ORIGIN start at the same offset on every line.
        let valueColumn = try #require(header.range(of: "VALUE")).lowerBound.utf16Offset(in: header)
        let originColumn = try #require(header.range(of: "ORIGIN")).lowerBound.utf16Offset(in: header)
        var table: [String: (String, String)] = [:]
        for row in rows.dropFirst() {
            let characters = Array(row)
            let key = String(characters[..<valueColumn]).trimmingCharacters(in: .whitespaces)
            let value = String(characters[valueColumn..<originColumn]).trimmingCharacters(in: .whitespaces)
            let origin = String(characters[originColumn...])
            #expect(characters[valueColumn - 1] == " " && characters[originColumn - 1] == " ", "misaligned: \(row)", sourceLocation: sourceLocation)
            table[key] = (value, origin)
        }
        return table
    }

    // MARK: show

    @Test("show --effective: each layer overrides the one below, and says where each value came from")
    func effective() throws {
        let sandbox = try Sandbox()
        // Each layer sets one key of its own and overrides one key of the layer below.
        try Self.writeUserFile(sandbox, "provider: anthropic\nmode: full\n")
        try sandbox.fixture.write("conductor.yml", "mode: fast\nverify:\n  - swift build\nbudgets:\n  max_tokens: 3000\n")
        try sandbox.git("config", "--add", "conductor.verify", "swift test")
        try sandbox.git("config", "conductor.budgets.max-wall-seconds", "900")
        let result = try Self.config(sandbox, "show", "--effective", environment: [
            "CONDUCTOR_BUDGETS_MAX_WALL_SECONDS": "1200", "CONDUCTOR_MODEL": "claude-opus-4-1",
        ])
        #expect(result.status == 0, "\(result)")
        let table = try Self.table(result.stdout)
        let user = Self.userFile(sandbox), repository = Self.repositoryFile(sandbox)
        #expect(table["provider"]! == ("anthropic", "user \(user):1:1"))
        #expect(table["mode"]! == ("fast", "repository \(repository):1:1"))
        #expect(table["verify"]! == ("[\"swift test\"]", "git conductor.verify (local)"))
        #expect(table["budgets.max_tokens"]! == ("3000", "repository \(repository):5:3"))
        #expect(table["budgets.max_wall_seconds"]! == ("1200", "env CONDUCTOR_BUDGETS_MAX_WALL_SECONDS"))
        #expect(table["model"]! == ("claude-opus-4-1", "env CONDUCTOR_MODEL"))
        // Fast mode's own default for the iteration limit, and plain defaults.
        #expect(table["budgets.max_iterations"]! == ("3", "default fast mode"))
        #expect(table["retry.max_attempts"]! == ("4", "default"))
        #expect(table["providers.openai.base_url"]! == ("https://api.openai.com/v1", "default"))
        #expect(table.count > 40)
        #expect(result.stderr.contains("ANTHROPIC_API_KEY is not set"), "\(result)")
    }

    @Test("show without --effective lists only keys a file, git or the environment sets")
    func setKeysOnly() throws {
        let sandbox = try Sandbox()
        let empty = try Self.config(sandbox, "show")
        #expect(empty.status == 0)
        #expect(empty.stdout.contains("No key is set outside the defaults"), "\(empty)")
        try sandbox.fixture.write("conductor.yml", "diff_limits:\n  max_files: 5\n")
        try sandbox.git("config", "conductor.worktree.retention", "always")
        let result = try Self.config(sandbox, "show", environment: ["CONDUCTOR_CONTEXT_BUDGET_TOKENS": "4000"])
        #expect(result.status == 0, "\(result)")
        let table = try Self.table(result.stdout)
        #expect(Set(table.keys) == ["diff_limits.max_files", "worktree.retention", "context_budget_tokens"])
    }

    @Test("show --json: an array of {key, value, origin: {layer, source, …}} with typed values")
    func json() throws {
        let sandbox = try Sandbox()
        try sandbox.fixture.write("conductor.yml", "protect: [\"secrets/**\"]\nbudgets:\n  max_cost_usd: 2.5\n")
        try sandbox.git("config", "conductor.providers.openai.stream", "false")
        let result = try Self.config(sandbox, "show", "--effective", "--json", environment: ["CONDUCTOR_BUDGETS_MAX_ITERATIONS": "4"])
        #expect(result.status == 0, "\(result)")
        let entries = try jsonArray(result.stdout)
        let byKey = Dictionary(entries.map { ($0["key"] as? String ?? "", $0) }) { first, _ in first }
        for entry in entries {
            #expect(Set(entry.keys) == ["key", "value", "origin"], "\(entry)")
            let origin = try #require(entry["origin"] as? [String: Any])
            #expect(["default", "user", "repository", "git", "env", "flag"].contains(origin["layer"] as? String ?? ""), "\(entry)")
            #expect(origin["source"] is String || origin["source"] is NSNull, "\(entry)")
        }
        #expect(byKey["protect"]?["value"] as? [String] == ["secrets/**"])
        #expect(byKey["budgets.max_cost_usd"]?["value"] as? Double == 2.5)
        let costOrigin = try #require(byKey["budgets.max_cost_usd"]?["origin"] as? [String: Any])
        #expect(costOrigin["layer"] as? String == "repository")
        #expect(costOrigin["source"] as? String == Self.repositoryFile(sandbox))
        #expect(costOrigin["line"] as? Int == 3 && costOrigin["column"] as? Int == 3)
        let streamOrigin = try #require(byKey["providers.openai.stream"]?["origin"] as? [String: Any])
        #expect(byKey["providers.openai.stream"]?["value"] as? Bool == false)
        #expect(streamOrigin["layer"] as? String == "git" && streamOrigin["scope"] as? String == "local")
        #expect(streamOrigin["source"] as? String == "conductor.providers.openai.stream")
        #expect(byKey["budgets.max_iterations"]?["value"] as? Int == 4)
        #expect((byKey["budgets.max_iterations"]?["origin"] as? [String: Any])?["source"] as? String == "CONDUCTOR_BUDGETS_MAX_ITERATIONS")
        #expect(byKey["budgets.max_tokens"]?["value"] is NSNull)
        #expect((byKey["mode"]?["origin"] as? [String: Any])?["source"] is NSNull)
    }

    @Test("a key is never printed: key variables show their names, and a pasted key is redacted")
    func noSecrets() throws {
        let sandbox = try Sandbox()
        let key = "sk-test-0123456789abcdefghij"
        try sandbox.fixture.write("conductor.yml", """
            provider: openai
            providers:
              openai:
                api_key_env: MY_OPENAI_KEY
              command:
                command: [llm, --key, \(key)]
            """)
        let environment = ["MY_OPENAI_KEY": key]
        let show = try Self.config(sandbox, "show", "--effective", environment: environment)
        #expect(show.status == 0, "\(show)")
        let table = try Self.table(show.stdout)
        #expect(table["providers.openai.api_key_env"]?.value == "MY_OPENAI_KEY")
        #expect(table["providers.command.command"]?.value == "[\"llm\", \"--key\", \"<redacted>\"]")
        let json = try Self.config(sandbox, "show", "--json", environment: environment)
        let validate = try Self.config(sandbox, "validate", environment: environment)
        for result in [show, json, validate] {
            #expect(!result.stdout.contains(key) && !result.stderr.contains(key), "\(result)")
        }
    }

    @Test("show --effective with no provider configured says which one a run would detect")
    func detection() throws {
        let sandbox = try Sandbox()
        let key = "sk-ant-test-0123456789"
        let result = try Self.config(sandbox, "show", "--effective", environment: ["ANTHROPIC_API_KEY": key])
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.contains("note: no provider is configured; a run would choose anthropic (ANTHROPIC_API_KEY is set)"), "\(result)")
        #expect(!result.output.contains(key))
        try sandbox.fixture.write("conductor.yml", "provider: ollama\n")
        let configured = try Self.config(sandbox, "show", "--effective", environment: ["ANTHROPIC_API_KEY": key])
        #expect(!configured.stderr.contains("a run would choose"), "\(configured)")
    }

    // MARK: validate

    @Test("validate: a valid configuration exits 0")
    func valid() throws {
        let sandbox = try Sandbox()
        try sandbox.fixture.write("conductor.yml", "mode: fast\nverify: [\"swift test\"]\n")
        let result = try Self.config(sandbox, "validate")
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == "configuration is valid\n")
        #expect(result.stderr.isEmpty, "\(result)")
    }

    @Test("validate: every problem of a bad conductor.yml names file, line, column and key; exit 15")
    func invalidFile() throws {
        let sandbox = try Sandbox()
        try sandbox.fixture.write("conductor.yml", """
            mode: slow
            budgets:
              max_iterations: 0
              max_tokens: lots
            provider: antropic
            """)
        let result = try Self.config(sandbox, "validate")
        #expect(result.status == 15, "\(result)")
        let file = Self.repositoryFile(sandbox)
        #expect(lines(result.stderr) == [
            "error: \(file):1:7: mode: must be one of fast, streamlined, full, not \"slow\"",
            "error: \(file):3:19: budgets.max_iterations: must be at least 1, not 0",
            "error: \(file):4:15: budgets.max_tokens: expected a whole number or null, found \"lots\"",
            "error: \(file):5:1: provider: names no provider profile: antropic; did you mean 'anthropic'? (profiles: openai, anthropic, ollama, azure, command, script; define others under providers)",
            "configuration is invalid: 4 problems",
        ])
        #expect(result.stdout.isEmpty)
    }

    @Test("validate: YAML that does not parse names the file, line and column")
    func syntaxError() throws {
        let sandbox = try Sandbox()
        try sandbox.fixture.write("conductor.yml", "mode: fast\nverify: [swift test\n")
        let result = try Self.config(sandbox, "validate")
        #expect(result.status == 15, "\(result)")
        #expect(result.stderr.hasPrefix("error: \(Self.repositoryFile(sandbox)):3:1: is not valid YAML: "), "\(result)")
    }

    @Test("validate: an unknown key is a warning with a suggestion; --strict makes it an error")
    func unknownKey() throws {
        let sandbox = try Sandbox()
        try sandbox.fixture.write("conductor.yml", "verfy: [\"swift test\"]\n")
        let result = try Self.config(sandbox, "validate")
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr == "warning: \(Self.repositoryFile(sandbox)):1:1: verfy: unknown key, ignored; did you mean 'verify'?\n")
        #expect(result.stdout == "configuration is valid (1 warning)\n")
        let strict = try Self.config(sandbox, "validate", "--strict")
        #expect(strict.status == 15, "\(strict)")
        #expect(strict.stderr.contains("configuration is invalid: 1 problem"))
    }

    @Test("validate: a literal api_key is refused, pointing at api_key_env, without repeating it")
    func literalKey() throws {
        let sandbox = try Sandbox()
        try sandbox.fixture.write("conductor.yml", "providers:\n  anthropic:\n    api_key: sk-ant-do-not-print\n")
        let result = try Self.config(sandbox, "validate")
        #expect(result.status == 15, "\(result)")
        #expect(result.stderr.contains("error: \(Self.repositoryFile(sandbox)):3:5: providers.anthropic.api_key: secrets are not accepted in configuration"))
        #expect(result.stderr.contains("set providers.anthropic.api_key_env to the name of the environment variable"))
        #expect(!result.output.contains("do-not-print"))
    }

    @Test("validate --json: {valid, problems[{severity, key, origin, message}]}")
    func validateJSON() throws {
        let sandbox = try Sandbox()
        let result = try Self.config(sandbox, "validate", "--json", environment: ["CONDUCTOR_MODE": "slow", "CONDUCTOR_MOD": "x"])
        #expect(result.status == 15, "\(result)")
        let verdict = try jsonObject(result.stdout)
        #expect(verdict["valid"] as? Bool == false)
        let problems = try #require(verdict["problems"] as? [[String: Any]])
        #expect(problems.map { $0["severity"] as? String } == ["warning", "error"])
        #expect(problems.map { $0["key"] as? String } == [nil, "mode"])
        #expect((problems[1]["origin"] as? [String: Any])?["source"] as? String == "CONDUCTOR_MODE")
        #expect((problems[0]["message"] as? String)?.contains("did you mean CONDUCTOR_MODE?") == true)
    }

    @Test("git config and environment errors name the git key or the variable")
    func otherLayers() throws {
        let sandbox = try Sandbox()
        try sandbox.git("config", "conductor.retry.max-attempts", "zero")
        let result = try Self.config(sandbox, "validate", environment: ["CONDUCTOR_TIMEOUTS_TOTAL_SECONDS": "-1"])
        #expect(result.status == 15, "\(result)")
        #expect(lines(result.stderr).prefix(2) == [
            "error: git conductor.retry.max-attempts (local): retry.max_attempts: expected a whole number, found \"zero\"",
            "error: env CONDUCTOR_TIMEOUTS_TOTAL_SECONDS: timeouts.total_seconds: must be greater than 0, not -1",
        ])
    }

    // MARK: Outside a repository

    @Test("outside a repository: defaults, the user file and the environment, and a note saying so")
    func outsideRepository() throws {
        let sandbox = try Sandbox()
        try Self.writeUserFile(sandbox, "mode: full\n")
        let elsewhere = sandbox.scratch.path
        let show = try Self.config(sandbox, "show", in: elsewhere, environment: ["CONDUCTOR_VERIFY": "make"])
        #expect(show.status == 0, "\(show)")
        let table = try Self.table(show.stdout)
        #expect(Set(table.keys) == ["mode", "verify"])
        #expect(show.stderr.contains("note: not in a git repository: only the defaults, the user file and CONDUCTOR_* variables apply"))
        let validate = try Self.config(sandbox, "validate", in: elsewhere)
        #expect(validate.status == 0, "\(validate)")
        #expect(validate.stdout == "configuration is valid\n")
    }

    @Test("--help shows the layers and examples")
    func help() throws {
        let sandbox = try Sandbox()
        let help = try Self.config(sandbox, "--help")
        #expect(help.status == 0)
        #expect(help.stdout.contains("git config conductor.*") && help.stdout.contains("$ git conductor config show --effective"))
        let validate = try Self.config(sandbox, "validate", "--help")
        #expect(validate.stdout.contains("$ git conductor config validate --strict") && validate.stdout.contains("15"))
    }
}
