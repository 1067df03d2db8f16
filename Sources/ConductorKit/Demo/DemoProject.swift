import ConductorDomain
import Foundation
import GitKit

/// The throw-away project `git conductor demo` works on: a real repository with a tiny shell
/// program whose test fails, and a script of model answers that gets it wrong once and right
/// the second time, so one demo shows the whole loop offline in well under a second.
public enum DemoProject {
    public static let prompt = "Fix add.sh so that it adds its two arguments"
    public static let verifyCommand = "sh test.sh"

    static let files: [String: String] = [
        "README.md": "# calculator\n\n`sh add.sh A B` prints A + B. `sh test.sh` checks it.\n",
        "add.sh": "#!/bin/sh\n# Prints the sum of its two arguments.\necho $(( $1 - $2 ))\n",
        "test.sh": """
            #!/bin/sh
            passed=0; failed=0
            check() {
                got=$(sh add.sh "$1" "$2")
                if [ "$got" = "$3" ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: add $1 $2 gave $got, expected $3"; fi
            }
            check 2 3 5
            check 2 2 4
            check -1 1 0
            echo "$passed passed, $failed failed"
            [ "$failed" = 0 ]

            """,
    ]

    static let script = """
        # Canned answers for the demo: a wrong fix first, then the right one.
        model: demo-model
        responses:
          - purpose: build
            text: |
              add.sh should combine its arguments; multiplication looks right.

              add.sh
              ```sh
              <<<<<<< SEARCH
              echo $(( $1 - $2 ))
              =======
              echo $(( $1 * $2 ))
              >>>>>>> REPLACE
              ```
            tokens_in: 850
            tokens_out: 64
            cost_usd: 0.0031
          - purpose: repair
            text: |
              The test expects a sum, not a product.

              add.sh
              ```sh
              <<<<<<< SEARCH
              echo $(( $1 * $2 ))
              =======
              echo $(( $1 + $2 ))
              >>>>>>> REPLACE
              ```
              <promise>DONE</promise>
            tokens_in: 1210
            tokens_out: 58
            cost_usd: 0.0042
        """

    /// Creates the repository at `directory` (which must be empty or absent) with one commit,
    /// and returns the path of the answer script, kept inside `.git` out of the work tree.
    public static func create(at directory: String, clock: any Clock) throws(ConductorError) -> String {
        try prepare(directory)
        for (path, contents) in files {
            try write(Array(contents.utf8), to: "\(directory)/\(path)")
        }
        let scriptPath = "\(directory)/.git/conductor/demo-script.yml"
        try gitCall { () throws(GitError) in
            let repository = try Repository.create(at: directory)
            let config = try repository.localConfig()
            try config.set("user.name", to: "Demo User")
            try config.set("user.email", to: "demo@example.com")
            let index = try repository.index()
            try index.stageAll()
            try index.write()
            let signature = Signature(name: "Demo User", email: "demo@example.com", time: clock.now().milliseconds / 1000)
            let commit = try repository.createCommit(
                tree: try index.writeTree(), parents: [], message: "A calculator whose add is broken\n",
                author: signature, committer: signature
            )
            let branch = try repository.symbolicTarget(of: "HEAD") ?? "refs/heads/main"
            try repository.updateReference(branch, to: commit, expected: nil, logMessage: "demo: initial commit")
        }
        try write(Array(script.utf8), to: scriptPath)
        return scriptPath
    }

    private static func prepare(_ directory: String) throws(ConductorError) {
        let manager = FileManager.default
        if let contents = try? manager.contentsOfDirectory(atPath: directory), !contents.isEmpty {
            throw .fileSystem(path: directory, detail: "is not empty; the demo needs an empty or new directory")
        }
        do {
            try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .fileSystem(path: directory, detail: error.localizedDescription)
        }
    }

    private static func write(_ bytes: [UInt8], to path: String) throws(ConductorError) {
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        } catch {
            throw .fileSystem(path: path, detail: error.localizedDescription)
        }
    }
}
