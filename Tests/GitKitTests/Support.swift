import ConductorTesting
import Foundation
import GitKit
import Testing

extension GitFixture {
    /// Opens the fixture in-process with libgit2, the way the conductor does.
    func open() throws -> Repository {
        try Repository.discover(from: path, environment: environment)
    }
}

/// Runs `body`, expecting a ``GitError``; records an issue (and returns nil) for success or
/// any other error. Also checks that the error explains itself.
@discardableResult
func expectGitError(
    _ comment: Comment? = nil,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> Void
) -> GitError? {
    let error = #expect(throws: GitError.self, comment, sourceLocation: sourceLocation) { try body() }
    if let error {
        #expect(!error.message.isEmpty, sourceLocation: sourceLocation)
        #expect(error.code < 0, sourceLocation: sourceLocation)
        #expect(error.description.contains(error.message), sourceLocation: sourceLocation)
        #expect(error.description.hasPrefix(error.operation), sourceLocation: sourceLocation)
    }
    return error
}

func oid(_ hex: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> ObjectID {
    try #require(ObjectID(hex: hex), sourceLocation: sourceLocation)
}

let testSignature = Signature(name: "Test Committer", email: "committer@example.com", time: 1_700_000_000, offsetMinutes: 0)
