import ConductorTesting
import Foundation
import Testing

/// Nothing the conductor does may touch the user's work tree, index, HEAD or branches.
@Suite("the user's checkout is never touched")
struct CheckoutSafetyTests {
    @Test("init, log, show, doctor and synthetic writes leave the checkout byte-identical")
    func checkoutIsByteIdentical() throws {
        let sandbox = try Sandbox()
        // A dirty checkout: a modified tracked file, a staged new file, a staged modification
        // with further unstaged edits, an untracked file and an ignored one.
        try sandbox.fixture.commit("Second commit", files: ["src/app.txt": "one\n", ".gitignore": "*.log\n"])
        try sandbox.fixture.write("README.md", "# Fixture\n\nEdited but not staged.\n")
        try sandbox.fixture.write("staged.txt", "staged content\n")
        try sandbox.git("add", "staged.txt")
        try sandbox.fixture.write("src/app.txt", "two\n")
        try sandbox.git("add", "src/app.txt")
        try sandbox.fixture.write("src/app.txt", "three\n")
        try sandbox.fixture.write("untracked.txt", "untracked\n")
        try sandbox.fixture.write("debug.log", "ignored\n")

        let view = try sandbox.gitView()
        #expect(view.staged.contains("staged.txt") && view.staged.contains("src/app.txt"), "\(view.staged)")
        #expect(view.status.contains(" M README.md") && view.status.contains("?? untracked.txt"), "\(view.status)")
        let before = try sandbox.fixture.fingerprint()
        #expect(before.entries[".git/index"] != nil)

        var id = ""
        let steps: [(label: String, body: () throws -> Void)] = [
            ("init --no-config-file", { try sandbox.conductorOK("init", "--no-config-file") }),
            ("init --json --no-config-file", { try sandbox.conductorOK("init", "--json", "--no-config-file") }),
            ("synth populate", { try sandbox.synth("populate", "6", "4") }),
            ("synth create-run", { id = try sandbox.createRun("Checkout safety") }),
            ("synth append", { try sandbox.synth("append", id, "3") }),
            ("log", { try sandbox.conductorOK("log") }),
            ("log --json", { try sandbox.conductorOK("log", "--json") }),
            ("log --status failed --oneline", { try sandbox.conductorOK("log", "--status", "failed", "--oneline") }),
            ("show", { try sandbox.conductorOK("show", id) }),
            ("show --json", { try sandbox.conductorOK("show", String(id.prefix(20)), "--json") }),
            ("doctor", { try sandbox.conductorOK("doctor") }),
            ("doctor --json", { try sandbox.conductorOK("doctor", "--json") }),
            ("failing show", { _ = try sandbox.conductor("show", "7zzzzzzz") }),
        ]
        for (label, body) in steps {
            try body()
            let after = try sandbox.fixture.fingerprint()
            #expect(after == before, "\(label) changed the checkout:\n\(after.describeDifferences(from: before))")
        }

        #expect(try sandbox.gitView() == view, "git sees a different HEAD, branch, status or index")

        // Plain init adds the commented conductor.yml template and nothing else, once.
        try sandbox.conductorOK("init")
        let withTemplate = try sandbox.fixture.fingerprint()
        #expect(Set(withTemplate.entries.keys).subtracting(before.entries.keys) == ["conductor.yml"])
        #expect(withTemplate.entries.filter { $0.key != "conductor.yml" } == before.entries)
        try sandbox.conductorOK("init")
        #expect(try sandbox.fixture.fingerprint() == withTemplate, "a second init leaves the template alone")
        #expect(try sandbox.runIDsOnBranch().count == 7)
        #expect(try sandbox.git("for-each-ref", "--format=%(refname)", "refs/heads/").output
            == "refs/heads/main\n\(stateBranch)")
    }
}
