/// The environment verify commands run in: the conductor's own, minus credentials. The code
/// under test was written by a model, so it must not be able to read provider keys or tokens
/// from its environment.
enum VerifyEnvironment {
    /// Variable names that hold credentials by convention.
    static func isSecret(_ name: String) -> Bool {
        let upper = name.uppercased()
        return ["_API_KEY", "_TOKEN", "_SECRET", "_PASSWORD"].contains { upper.hasSuffix($0) }
            || upper.contains("SECRET") || upper == "GIT_ASKPASS" || upper == "SSH_AUTH_SOCK"
    }

    static func scrubbed(_ environment: [String: String]) -> [String: String] {
        environment.filter { !isSecret($0.key) }
    }
}
