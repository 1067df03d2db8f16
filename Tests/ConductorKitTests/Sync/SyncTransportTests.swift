@testable import ConductorKit
import Foundation
import Testing

/// Reading what `git push --porcelain` says, and the pre-push hook the binary carries.
@Suite("Sync transport and hook")
struct SyncTransportTests {
    @Test("porcelain lines: pushed, up to date, rejected with the reason; remote lock errors are carried over")
    func porcelain() {
        let output = """
            To /tmp/R.git
            =\trefs/notes/conductor:refs/notes/conductor\t[up to date]
            *\trefs/heads/conductor/x-abc123:refs/heads/conductor/x-abc123\t[new branch]
             \trefs/heads/main:refs/heads/main\t1234567..89abcde
            !\trefs/heads/orchestrator-state:refs/heads/orchestrator-state\t[remote rejected] (failed to update ref)
            Done

            """
        let stderr = "remote: error: cannot lock ref 'refs/heads/orchestrator-state': is at 1 but expected 2\nerror: failed to push some refs\n"
        let refs = GitTransport.parsePorcelain(output, standardError: stderr)
        #expect(refs.map(\.destination) == ["refs/notes/conductor", "refs/heads/conductor/x-abc123", "refs/heads/main", "refs/heads/orchestrator-state"])
        #expect(refs[0].status == .upToDate && refs[1].status == .updated && refs[2].status == .updated)
        let reason = refs[3].rejection ?? ""
        #expect(reason.hasPrefix("[remote rejected] (failed to update ref): remote: error: cannot lock ref"), "\(reason)")
    }

    @Test("rejections that mean the remote moved on are retried; others are not",
          arguments: [
              ("[rejected] (fetch first)", true), ("[rejected] (non-fast-forward)", true),
              ("[remote rejected] (failed to update ref)", true),
              ("[remote rejected] (cannot lock ref 'refs/heads/orchestrator-state': Unable to create '/r/refs/heads/orchestrator-state.lock': File exists.)", true),
              ("[remote rejected] (pre-receive hook declined)", false), ("[remote rejected] (shallow update not allowed)", false),
              ("[rejected] (stale info)", false),
          ])
    func retryable(reason: String, expected: Bool) {
        #expect(GitTransport.isRetryable(reason) == expected)
    }

    @Test("the hook the binary installs is hooks/pre-push, byte for byte")
    func embeddedHook() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let file = try String(contentsOf: root.appendingPathComponent("hooks/pre-push"), encoding: .utf8)
        #expect(PrePushHook.script == file)
        #expect(file.contains(PrePushHook.marker) && file.contains(PrePushHook.fallbackLine))
        let filled = PrePushHook.script(fallback: "/opt/it's here/git-conductor")
        #expect(filled.contains(#"conductor_fallback='/opt/it'\''s here/git-conductor'"#))
        let attributes = try FileManager.default.attributesOfItem(atPath: root.appendingPathComponent("hooks/pre-push").path)
        #expect((attributes[.posixPermissions] as? Int ?? 0) & 0o111 != 0, "hooks/pre-push is executable")
    }
}
