import ArgumentParser
import ConductorDomain
import ConductorKit

/// `git conductor context show [file]`.
struct ContextShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "List the context documents, or print one.",
        discussion: """
            Without a file, lists the documents with their size and the build and test
            commands workflow.md states; with one (product.md, tech-stack.md, workflow.md,
            with or without .md), prints it as stored.

            --json prints {"documents": [{"name", "path", "bytes", "lines"}], "build_command",
            "test_command"} for the list, and {"name", "path", "text"} for one document.
            Without setup the list is empty and a hint says how to create it; printing a
            document that was never written exits with 3.

            Examples:
              $ git conductor context show
              $ git conductor context show workflow
              $ git conductor context show --json | jq -r .test_command
            """
    )

    @Argument(help: ArgumentHelp("The document to print: product.md, tech-stack.md or workflow.md.", valueName: "file"))
    var file: String?

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        try reportingErrors { () throws(ConductorError) in
            let name = try file.map { (file) throws(ConductorError) -> String in try ContextFileName.resolve(file) }
            let store = ContextStore(repository: try ConductorRepository.open())
            let documents = try store.documents()
            if let name {
                guard let document = documents.first(where: { $0.name == name }) else { throw .contextDocumentMissing(name) }
                if json { return Terminal.json(DocumentOutput(name: document.name, path: "context/\(document.name)", text: document.text)) }
                return Terminal.write(document.text.hasSuffix("\n") || document.text.isEmpty ? document.text : document.text + "\n")
            }
            let workflow = documents.first { $0.name == ContextDocuments.workflow }?.text
            let list = ListOutput(
                documents: documents.map { .init(name: $0.name, path: "context/\($0.name)", bytes: $0.text.utf8.count, lines: $0.text.split(separator: "\n", omittingEmptySubsequences: false).count - ($0.text.hasSuffix("\n") ? 1 : 0)) },
                buildCommand: workflow.flatMap(ContextDocuments.buildCommand(inWorkflow:)),
                testCommand: workflow.flatMap(ContextDocuments.testCommand(inWorkflow:))
            )
            if json { return Terminal.json(list) }
            if documents.isEmpty {
                return Terminal.standardError("No project context yet; 'git conductor setup' writes it.")
            }
            Terminal.standardOutput(Display.table([["DOCUMENT", "LINES", "BYTES"]] + list.documents.map { [$0.path, String($0.lines), String($0.bytes)] }))
            Terminal.standardOutput("")
            Terminal.standardOutput("Build: " + (list.buildCommand.map { "`\($0)`" } ?? "none"))
            Terminal.standardOutput("Test: " + (list.testCommand.map { "`\($0)`" } ?? "none"))
        }
    }

    struct DocumentOutput: Encodable {
        let name: String
        let path: String
        let text: String
    }

    struct ListOutput: Encodable {
        struct Entry: Encodable {
            let name: String
            let path: String
            let bytes: Int
            let lines: Int
        }

        let documents: [Entry]
        let buildCommand: String?
        let testCommand: String?

        enum CodingKeys: String, CodingKey {
            case documents
            case buildCommand = "build_command", testCommand = "test_command"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(documents, forKey: .documents)
            try container.encode(buildCommand, forKey: .buildCommand)
            try container.encode(testCommand, forKey: .testCommand)
        }
    }
}

/// Turns a document name from the command line into its stored name.
enum ContextFileName {
    /// `workflow` and `workflow.md` (also `context/workflow.md`) name the same document; any
    /// other name is a usage error naming the valid ones.
    static func resolve(_ text: String) throws(ConductorError) -> String {
        var name = text
        if name.hasPrefix("context/") { name.removeFirst("context/".count) }
        guard let canonical = ContextDocuments.canonicalName(name) else {
            throw .unknownContextDocument(text, valid: ContextDocuments.names)
        }
        return canonical
    }
}
