import ConductorDomain
import Testing

@Suite("Secrets: redaction")
struct SecretRedactorTests {
    static let openAI = "sk-proj-Abc123XyZ789qwertyUIOP456asdfGHJK"
    static let anthropic = "sk-ant-api03-Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0-PpOoNnMm_LlKk"
    static let google = "AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY"
    static let azure = "0123abcd4567efgh8901ijkl2345mnop"
    /// A key of no known shape: only the known-value net can catch it.
    static let shapeless = "plain-looking-secret-value"

    let redactor = SecretRedactor(environment: [
        "OPENAI_API_KEY": openAI,
        "ANTHROPIC_API_KEY": anthropic,
        "AZURE_OPENAI_API_KEY": azure,
        "MY_PROVIDER_KEY": shapeless,
        "HOME": "/home/someone",
        "SHORT_TOKEN": "abc",
    ], keyVariables: ["MY_PROVIDER_KEY"])

    let keys = [openAI, anthropic, google, azure, shapeless]

    func expectClean(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for key in keys {
            #expect(!text.contains(key), "a key survived in: \(text)", sourceLocation: sourceLocation)
        }
        #expect(text.contains(SecretRedactor.placeholder), "nothing was redacted in: \(text)", sourceLocation: sourceLocation)
    }

    @Test("known keys never survive in plain text, error messages or prompts")
    func knownKeysInText() {
        for key in keys {
            expectClean(redactor.redact("the key is \(key), really"))
            expectClean(redactor.redact(key))
            expectClean(redactor.redact("invalid API key for anthropic (HTTP 401): key \(key) was rejected"))
            expectClean(redactor.redact("line one\n\(key)\nline three"))
        }
        #expect(redactor.redact("uses \(Self.shapeless) here") == "uses [REDACTED] here")
    }

    @Test("keys nobody told us about are caught by their shape")
    func shapes() {
        let blank = SecretRedactor()
        #expect(blank.redact("export OPENAI_API_KEY=\(Self.openAI)") == "export OPENAI_API_KEY=[REDACTED]")
        #expect(blank.redact("key \(Self.anthropic) leaked") == "key [REDACTED] leaked")
        #expect(blank.redact("google: \(Self.google).") == "google: [REDACTED].")
        #expect(blank.redact("AZURE_OPENAI_API_KEY=\(Self.azure)") == "AZURE_OPENAI_API_KEY=[REDACTED]")
    }

    @Test("headers: Authorization keeps its scheme, x-api-key, api-key and x-goog-api-key lose their value, others are left alone")
    func headersInText() {
        let blank = SecretRedactor()
        #expect(blank.redact("Authorization: Bearer \(Self.openAI)") == "Authorization: Bearer [REDACTED]")
        #expect(blank.redact("authorization: Basic dXNlcjpwYXNz") == "authorization: Basic [REDACTED]")
        #expect(blank.redact("x-api-key: abc\r\nanthropic-version: 2023-06-01") == "x-api-key: [REDACTED]\r\nanthropic-version: 2023-06-01")
        #expect(blank.redact("api-key: 0123abcd\ncontent-type: application/json") == "api-key: [REDACTED]\ncontent-type: application/json")
        #expect(blank.redact("X-Goog-Api-Key: whatever") == "X-Goog-Api-Key: [REDACTED]")
        #expect(blank.redact(#"["Authorization": "Bearer tok", "Accept": "text/event-stream"]"#)
            == #"["Authorization": "Bearer [REDACTED]", "Accept": "text/event-stream"]"#)
        #expect(blank.redact("curl -H 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig'")
            == "curl -H 'Authorization: Bearer [REDACTED]'")
    }

    @Test("a header dictionary: credential headers replaced whole (scheme kept), other values redacted as text, names kept")
    func headerDictionary() {
        let headers = redactor.redact(headers: [
            "Authorization": "Bearer \(Self.openAI)",
            "x-api-key": Self.anthropic,
            "api-key": Self.azure,
            "Proxy-Authorization": "Basic dXNlcjpwYXNz",
            "Cookie": "session=abc",
            "X-Custom-Token": "short",
            "anthropic-version": "2023-06-01",
            "X-Echo": "the key was \(Self.shapeless)",
        ])
        #expect(headers["Authorization"] == "Bearer [REDACTED]")
        #expect(headers["x-api-key"] == "[REDACTED]")
        #expect(headers["api-key"] == "[REDACTED]")
        #expect(headers["Proxy-Authorization"] == "Basic [REDACTED]")
        #expect(headers["Cookie"] == "[REDACTED]")
        #expect(headers["X-Custom-Token"] == "[REDACTED]")
        #expect(headers["anthropic-version"] == "2023-06-01")
        #expect(headers["X-Echo"] == "the key was [REDACTED]")
    }

    @Test("URLs: key=, api-key=, token= and access_token= query parameters, and known keys anywhere in a URL")
    func urls() {
        let blank = SecretRedactor()
        #expect(blank.redact("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-pro:generateContent?key=abc123&alt=sse")
            == "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-pro:generateContent?key=[REDACTED]&alt=sse")
        #expect(blank.redact("https://x.openai.azure.com/openai/deployments/d/chat/completions?api-version=2024-10-21&api-key=zzz")
            == "https://x.openai.azure.com/openai/deployments/d/chat/completions?api-version=2024-10-21&api-key=[REDACTED]")
        #expect(blank.redact("GET /stream?token=t0k3n#frag") == "GET /stream?token=[REDACTED]#frag")
        #expect(blank.redact("see (https://h/p?access_token=abc) here") == "see (https://h/p?access_token=[REDACTED]) here")
        expectClean(redactor.redact("https://proxy.example/\(Self.shapeless)/v1"))
    }

    @Test("JSON bodies: api_key fields, escaped and percent-encoded spellings of known keys")
    func jsonBodies() {
        let slashy = "abc/def+ghi=jkl0123"
        let redactor = SecretRedactor(secrets: [slashy])
        #expect(redactor.redact(#"{"api_key": "abc"}"#) == #"{"api_key": "[REDACTED]"}"#)
        #expect(redactor.redact(#"{"apiKey":"abc","model":"m"}"#) == #"{"apiKey":"[REDACTED]","model":"m"}"#)
        #expect(redactor.redact(#"{"k": "abc\/def+ghi=jkl0123"}"#) == #"{"k": "[REDACTED]"}"#)
        #expect(redactor.redact("u?x=abc%2Fdef%2Bghi%3Djkl0123") == "u?x=[REDACTED]")
        let body = #"{"error": {"message": "Incorrect API key provided: \#(Self.openAI). You can find your API key at https://platform.openai.com/account/api-keys."}}"#
        expectClean(self.redactor.redact(body))
    }

    @Test("overlapping and adjacent known keys are removed whole, never leaving a piece")
    func overlaps() {
        let first = "aaaa1111bbbb2222"
        let second = "bbbb2222cccc3333"
        let redactor = SecretRedactor(secrets: [first, second, "aaaa1111"])
        #expect(redactor.redact("x aaaa1111bbbb2222cccc3333 y") == "x [REDACTED] y")
        #expect(redactor.redact("\(first)\(first)") == "[REDACTED]")
        #expect(redactor.redact("aaaa1111 alone") == "[REDACTED] alone")
        // A secret that contains another: the longer one is removed whole.
        let nested = SecretRedactor(secrets: ["inner-secret-1", "outer-inner-secret-1-outer"])
        #expect(nested.redact("<outer-inner-secret-1-outer>") == "<[REDACTED]>")
    }

    @Test("redacting twice changes nothing more")
    func idempotent() {
        let texts = [
            "Authorization: Bearer \(Self.openAI)", "x-api-key: \(Self.anthropic)", "?key=\(Self.google)&a=b",
            #"{"api_key": "\#(Self.azure)"}"#, "plain \(Self.shapeless)",
        ]
        for text in texts {
            let once = redactor.redact(text)
            #expect(redactor.redact(once) == once)
        }
    }

    @Test("no false positives: commit ids, hex digests, code, prose about keys, short environment values", arguments: [
        "commit 3f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39 fixed the parser",
        "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904",
        "sha256:9f86d081884c7d659a2fa0ea35a2b4e2b5c7a1f96e5b3c2a1d0e9f8a7b6c5d4e",
        "Merge branch 'task-manager-refactoring-2024' into main",
        "let key = dictionary[index]; let token = lexer.next()",
        "no API key for anthropic: set ANTHROPIC_API_KEY",
        "api_key_env: MY_PROVIDER_KEY",
        "Bearer tokens are sent in the Authorization header.",
        "pip install scikit-learn; import sk-learn-compat",
        "risk-assessment-for-the-whole-project-2024 is done",
        "https://example.com/search?q=monkey&page=2",
        "HOME=/home/someone abc",
        "UUID 123e4567-e89b-12d3-a456-426614174000",
    ])
    func noFalsePositives(text: String) {
        #expect(redactor.redact(text) == text)
    }

    @Test("only credential-named variables are read from the environment; short values are not secrets")
    func environmentSelection() {
        #expect(SecretRedactor.namesCredential("OPENAI_API_KEY"))
        #expect(SecretRedactor.namesCredential("GITHUB_TOKEN"))
        #expect(SecretRedactor.namesCredential("db_password"))
        #expect(!SecretRedactor.namesCredential("HOME"))
        #expect(!SecretRedactor.namesCredential("TOKENIZERS_PARALLELISM"))
        let redactor = SecretRedactor(environment: ["HOME": "/home/someone-long", "SHORT_TOKEN": "abc", "GITHUB_TOKEN": "ghp_0123456789abcdefXYZ"])
        #expect(redactor.redact("/home/someone-long abc") == "/home/someone-long abc")
        #expect(redactor.redact("token ghp_0123456789abcdefXYZ") == "token [REDACTED]")
        #expect(SecretRedactor(secrets: ["  padded-secret-9\n"]).redact("x padded-secret-9 y") == "x [REDACTED] y")
    }

    @Test("text around a key keeps its non-ASCII characters intact")
    func unicode() {
        #expect(redactor.redact("clé « \(Self.openAI) » — fini ✓") == "clé « [REDACTED] » — fini ✓")
        #expect(SecretRedactor(secrets: ["sécret-ünïcode-ключ"]).redact("a sécret-ünïcode-ключ b") == "a [REDACTED] b")
    }
}
