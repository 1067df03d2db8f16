import ArgumentParser
import ConductorDomain
import ConductorKit
import Foundation

/// `git conductor context edit <file>`.
struct ContextEditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit",
        abstract: "Edit a context document in your editor and commit it on the state branch.",
        discussion: """
            Opens a temporary copy of the document in $VISUAL, else $EDITOR, else vi (the
            variable may hold arguments, as git allows: EDITOR="code --wait"). When the
            editor exits 0 and the text changed, the new text is committed on
            orchestrator-state as one state commit; unchanged text commits nothing. The
            working tree is never touched. A document that was never written starts from what
            setup would infer for it.

            The file is product.md, tech-stack.md or workflow.md (with or without .md); any
            other name is an error (exit 64). An editor that fails exits 8 and changes nothing.

            Examples:
              $ git conductor context edit workflow.md
              $ EDITOR=nano git conductor context edit product
            """
    )

    @Argument(help: ArgumentHelp("The document: product.md, tech-stack.md or workflow.md.", valueName: "file"))
    var file: String

    func run() throws {
        try reportingErrors { () throws(ConductorError) in
            let name = try ContextFileName.resolve(file)
            let repository = try ConductorRepository.open()
            _ = try repository.requireStateSnapshot()
            let store = ContextStore(repository: repository)
            let stored = try store.document(named: name)
            let original: String
            if let document = stored {
                original = document.text
            } else {
                let profile = try ProjectInspector(repository: repository).inspect()
                original = ContextDocuments.render(profile).first { $0.name == name }?.text ?? ""
            }
            let edited = try Editor.edit(original, named: name, environment: repository.environment)
            guard edited != original || stored == nil else {
                return Terminal.standardOutput("context/\(name) unchanged; nothing committed.")
            }
            try store.write([ContextDocument(name: name, text: edited)], message: "Context: edit \(name)")
            Terminal.standardOutput("Committed context/\(name) on orchestrator-state.")
        }
    }
}

/// Runs the user's editor on a temporary file, the way git does for commit messages.
enum Editor {
    /// `$VISUAL`, else `$EDITOR`, else `vi`.
    static func command(in environment: [String: String]) -> String {
        for key in ["VISUAL", "EDITOR"] {
            if let value = environment[key], !value.allSatisfy(\.isWhitespace) { return value }
        }
        return "vi"
    }

    /// The text after the user edited `text`: written to a file called `name` in a private
    /// temporary directory (so the editor sees the `.md` extension), edited through
    /// `/bin/sh -c '<editor> "$@"'` with the terminal inherited, read back, removed.
    static func edit(_ text: String, named name: String, environment: [String: String]) throws(ConductorError) -> String {
        let editor = command(in: environment)
        let directory = NSTemporaryDirectory() + "git-conductor-context-\(UUID().uuidString)"
        let path = directory + "/" + name
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        } catch {
            throw .fileSystem(path: path, detail: error.localizedDescription)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "\(editor) \"$@\"", editor, path]
        process.environment = environment
        do {
            try process.run()
        } catch {
            throw .editorFailed(command: editor, detail: error.localizedDescription)
        }
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            throw .editorFailed(command: editor, detail: "exited with status \(process.terminationStatus)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .editorFailed(command: editor, detail: "\(path) is gone after editing")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
