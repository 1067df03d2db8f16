import ArgumentParser
import ConductorDomain
import ConductorKit
import Foundation

/// `git conductor pr-body [<run>]`: a pull-request description of a run, on standard output.
struct PrBodyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pr-body",
        abstract: "Print a pull-request description of a run: plan, changes, verification, iterations, provenance.",
        discussion: """
            Reads only the state branch, the notes and the task branch, so it works in any
            clone that pulled the state, a CI job included. Without a run, it describes the
            run that made the current branch (or --branch): found through the notes on its
            commits, then their Conductor-Run trailers (which survive a rebase or a squash),
            then the state branch; the body says which.

            Recorded text (the task, test output, the model's words) is escaped so that it
            cannot break the Markdown or mention anyone, and secrets are redacted. The body
            stays under GitHub's 65 536 characters; a section that had to be cut says so.

            Examples:
              $ git conductor pr-body 01k9x2
              $ git conductor pr-body --branch conductor/fix-add-1a2b3c
              $ git conductor pr-body --format json | jq .verification
              $ git conductor pr-body --print-template > pr.mustache   # edit, then:
              $ git conductor pr-body --template pr.mustache

            The variables a template may use are listed in docs/pr-body.md.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case markdown, json
    }

    @Argument(help: ArgumentHelp("A run id or a unique prefix of one; by default the run of the current branch.", valueName: "run"))
    var runID: String?

    @Option(help: ArgumentHelp("Describe the run that made this branch.", valueName: "name"))
    var branch: String?

    @Option(help: "markdown (the default) or json (the schema in docs/pr-body.md).")
    var format: Format = .markdown

    @Option(help: ArgumentHelp("Render through this Mustache template instead of the built-in one.", valueName: "file"))
    var template: String?

    @Flag(help: "Print the built-in template and exit.")
    var printTemplate = false

    func validate() throws {
        if runID != nil, branch != nil { throw ValidationError("name a run or --branch, not both.") }
        if template != nil, format == .json { throw ValidationError("--template applies to --format markdown only.") }
    }

    func run() throws {
        if printTemplate { return Terminal.write(PullRequestBody.builtInTemplate) }
        try reportingErrors { () throws(ConductorError) in
            let repository = try ConductorRepository.open()
            let body = try Self.body(run: runID, branch: branch, format: format, templatePath: template, in: repository).body
            Terminal.write(body.hasSuffix("\n") ? body : body + "\n")
        }
    }

    /// The body and the run it describes; `pr create` writes the same body.
    static func body(
        run: String?, branch: String?, format: Format, templatePath: String?, in repository: ConductorRepository
    ) throws(ConductorError) -> (run: RunDigest, body: String) {
        let (id, source) = try RunLocator(repository: repository).locate(run: run, branch: branch)
        let digest = try RunDigestReader(repository: repository).digest(of: id, foundThrough: source)
        let redactor = SecretRedactor(environment: repository.environment)
        let renderer: PullRequestBody
        if let templatePath {
            guard let data = FileManager.default.contents(atPath: templatePath) else {
                throw .fileSystem(path: templatePath, detail: "cannot read the template")
            }
            renderer = try PullRequestBody(templateText: String(decoding: data, as: UTF8.self), source: templatePath, redact: redactor.redact)
        } else {
            renderer = try PullRequestBody(redact: redactor.redact)
        }
        return (digest, format == .json ? renderer.json(for: digest) : renderer.markdown(for: digest))
    }
}
