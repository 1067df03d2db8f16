import ArgumentParser
import ConductorKit

/// `git conductor init`: create the state branch and configure git to carry it.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create the state branch and configure git to carry state and notes.",
        discussion: """
            Creates refs/heads/orchestrator-state with its format.json, and sets:
              remote.<name>.fetch   +refs/heads/orchestrator-state*:refs/conductor/remotes/<name>/state*
                                    +refs/notes/conductor*:refs/conductor/remotes/<name>/notes*
              notes.rewriteRef      refs/notes/conductor   (notes follow rebase and amend)
              notes.conductor.mergeStrategy  cat_sort_uniq

            It also writes a commented conductor.yml (every key at its default) at the root of
            the working tree when there is none, to edit and commit; --no-config-file skips it.

            The refspecs are patterns so that a plain git fetch still works while a remote has
            no state yet. Remote state lands in remote-tracking refs only, never in local refs,
            and remote.<name>.push is never set. Running init again changes nothing; run it
            again after adding a remote.

            Example:
              $ git conductor init
            """
    )

    @Flag(help: "Print what was done as JSON.")
    var json = false

    @Flag(help: "Do not write a conductor.yml template.")
    var noConfigFile = false

    func run() throws {
        try reportingErrors { () throws(ConductorError) in
            let repository = try ConductorRepository.open()
            let report = try RepositorySetup.run(repository)
            let template = noConfigFile ? nil : try ConfigurationFile.writeTemplate(in: repository)
            if json { return Terminal.json(InitOutput(report: report, configFile: template)) }
            Terminal.standardOutput(Self.describe(report, template: template))
        }
    }

    static func describe(_ report: SetupReport, template: String? = nil) -> String {
        var lines = [report.stateBranchCreated ? "Created orchestrator-state (state format 1)." : "orchestrator-state already exists."]
        lines += report.configured.map { "Set \($0.key) = \($0.value)" }
        if let template { lines.append("Wrote \(template): every setting, commented out at its default.") }
        if !report.changedAnything && template == nil { lines.append("Nothing to change: this repository is already set up.") }
        return lines.joined(separator: "\n")
    }
}

/// `init --json`: the setup report, and the template file written, if any.
struct InitOutput: Encodable {
    let report: SetupReport
    let configFile: String?

    enum CodingKeys: String, CodingKey {
        case configFile = "config_file"
    }

    func encode(to encoder: any Encoder) throws {
        try report.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(configFile, forKey: .configFile)
    }
}
