import ConductorTesting
import Foundation
import Testing

/// `doctor`'s "symbol scanner" check: which scanner the repository map uses.
@Suite("git conductor doctor: symbol scanner")
struct DoctorSymbolScannerTests {
    func scannerCheck(_ sandbox: Sandbox, environment: [String: String], sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        let result = try sandbox.conductor("doctor", "--json", environment: environment)
        #expect(result.status == 0, "\(result)", sourceLocation: sourceLocation)
        let checks = try DoctorCommandTests.checks(result, sourceLocation: sourceLocation)
        return try #require(checks["symbol scanner"], "\(result)", sourceLocation: sourceLocation)
    }

    @Test("a universal-ctags (named by CONDUCTOR_CTAGS) is reported with its version")
    func ctagsFound() throws {
        let sandbox = try Sandbox()
        let scripts = try TemporaryDirectory(prefix: "fake-ctags")
        let fake = scripts.appending("ctags")
        try "#!/bin/sh\necho 'Universal Ctags 9.8.7(p9.8.7.0), Copyright (C) 2015 Universal Ctags Team'\n".write(toFile: fake, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake)
        let check = try scannerCheck(sandbox, environment: ["CONDUCTOR_CTAGS": fake])
        #expect(check["level"] as? String == "ok")
        #expect(check["message"] as? String == "universal-ctags 9.8.7")
    }

    @Test("no ctags on PATH: the built-in scanner, which is fine")
    func ctagsMissing() throws {
        let sandbox = try Sandbox()
        let bin = try TemporaryDirectory(prefix: "empty-bin")
        let check = try scannerCheck(sandbox, environment: ["PATH": bin.path])
        #expect(check["level"] as? String == "ok")
        #expect(check["message"] as? String == "built-in scanner (ctags not found)")
    }

    @Test("a CONDUCTOR_CTAGS that is not universal-ctags: a warning naming it, with a fix")
    func notUniversal() throws {
        let sandbox = try Sandbox()
        let scripts = try TemporaryDirectory(prefix: "fake-ctags")
        let fake = scripts.appending("ctags")
        try "#!/bin/sh\necho 'Exuberant Ctags 5.8, Copyright (C) 1996-2009 Darren Hiebert'\n".write(toFile: fake, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake)
        let check = try scannerCheck(sandbox, environment: ["CONDUCTOR_CTAGS": fake])
        #expect(check["level"] as? String == "warning")
        let message = check["message"] as? String ?? ""
        #expect(message.hasPrefix("built-in scanner (CONDUCTOR_CTAGS=\(fake) is not universal-ctags"), "\(message)")
        #expect((check["fix"] as? String)?.contains("universal-ctags") == true)
    }
}
