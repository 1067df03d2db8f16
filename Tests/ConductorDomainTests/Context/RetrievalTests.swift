import ConductorDomain
import Testing

@Suite("Code tokenizer")
struct CodeTokenizerTests {
    @Test("camelCase, acronyms, snake_case and digits split as a reader would; compounds kept whole")
    func splitting() {
        #expect(CodeTokenizer.terms(in: "parseHTTPResponse") == ["parse", "http", "response", "parsehttpresponse"])
        #expect(CodeTokenizer.terms(in: "retry_delay_ms") == ["retry", "delay", "ms", "retry_delay_ms"])
        #expect(CodeTokenizer.terms(in: "a x 0x1F utf8 v2Name") == ["utf8", "v2", "name", "v2name"])
        #expect(CodeTokenizer.terms(in: "URLSession") == ["url", "session", "urlsession"])
    }

    @Test("terms carry the 0-based line they are on")
    func lines() {
        var seen: [(String, Int)] = []
        Array("let one = 1\n\nfunc twoThree()".utf8).withUnsafeBufferPointer { bytes in
            CodeTokenizer.forEachTerm(in: bytes) { term, line in seen.append((String(decoding: term, as: UTF8.self), line)) }
        }
        #expect(seen.map(\.0) == ["let", "one", "func", "two", "three", "twothree"])
        #expect(seen.map(\.1) == [0, 0, 2, 2, 2, 2])
    }

    @Test("IdentifierTerms and the tokenizer agree on where identifiers begin and end")
    func agreement() {
        let text = "Fix retryDelay in HTTPClient.send_request when maxRetries is 0x1F or v2Name"
        let terms = Set(CodeTokenizer.terms(in: text))
        #expect(Set(IdentifierTerms.identifiers(in: text).map(String.init)) == ["Fix", "retryDelay", "in", "HTTPClient", "send_request", "when", "maxRetries", "is", "or", "v2Name"])
        // Each compound identifier IdentifierTerms finds is a whole term of the tokenizer.
        for identifier in ["retrydelay", "httpclient", "send_request", "maxretries", "v2name"] {
            #expect(terms.contains(identifier), "\(identifier)")
        }
    }
}

@Suite("Lexical search")
struct LexicalSearchTests {
    private func search(_ files: [(String, String)], query: String) -> [LexicalSearch.FileMatch] {
        var search = LexicalSearch(query: ContextQueryTerms.weights(task: query, failure: nil))
        for (path, text) in files {
            Array(text.utf8).withUnsafeBufferPointer { search.add(path: path, bytes: $0) }
        }
        return search.results()
    }

    @Test("the file whose code holds the task's rare words ranks first; glue words count for nothing")
    func ranking() {
        let results = search([
            ("src/retry.py", "def backoff_delay(attempt):\n    return base_delay * 2 ** attempt\n"),
            ("src/http.py", "def send(request):\n    return request.body\n"),
            ("README.md", "This is the project. When it should work, it works.\n"),
        ], query: "The backoff delay should double with each attempt")
        #expect(results.first?.path == "src/retry.py")
        #expect(results.allSatisfy { $0.path != "README.md" })
        #expect(results.first?.terms.contains("backoff") == true)
    }

    @Test("a long file is found by the chunk that matches, and the chunk's lines are reported")
    func chunks() {
        let filler = (1...200).map { "value\($0) = compute(\($0))" }.joined(separator: "\n")
        let text = filler + "\ndef tokenize_header(line):\n    return line.split(':')\n" + filler
        let results = search([("big.py", text), ("small.py", "def other(): pass\n")], query: "tokenize_header breaks on colons")
        let match = try! #require(results.first)
        #expect(match.path == "big.py")
        #expect(match.chunks.first?.lines.contains(201) == true)
    }
}

@Suite("Failure locations")
struct FailureLocationTests {
    let paths = ["src/x.py", "src/app/server.py", "Sources/App/Server.swift", "lib/Parser.java", "tests/test_x.py", "cmd/main.go"]

    @Test("path:line forms from common tools resolve to repository files, in order of first mention")
    func forms() {
        let output = """
            FAILED tests/test_x.py::test_parse - AssertionError
            tests/test_x.py:10: in test_parse
            src/x.py:42: AssertionError
            /tmp/conductor/worktrees/01abc/Sources/App/Server.swift:7:5: error: cannot find 'port' in scope
              File "/home/me/repo/src/app/server.py", line 88, in handle
            \tat com.example.Parser.parse(Parser.java:31)
            --> cmd/main.go:3:1
            12:30:01 started at version 1.2.3
            """
        let found = FailureLocations.find(in: output, paths: paths)
        #expect(found.map(\.path) == ["tests/test_x.py", "src/x.py", "Sources/App/Server.swift", "src/app/server.py", "lib/Parser.java", "cmd/main.go"])
        #expect(found[0].lines == [10])
        #expect(found[1].lines == [42])
        #expect(found[3].lines == [88])
    }

    @Test("a name two files share is not guessed; a path that is no repository file is ignored")
    func ambiguity() {
        let found = FailureLocations.find(in: "x.py:3 failed; other/thing.rb:9", paths: ["a/x.py", "b/x.py"])
        #expect(found.isEmpty)
    }

    @Test("a task naming a file by path or unique name names it")
    func named() {
        #expect(FailureLocations.paths(namedIn: "Make Server.swift log the port (see src/x.py).", among: paths) == ["Sources/App/Server.swift", "src/x.py"])
    }
}

@Suite("Excerpts and packing")
struct ExcerptTests {
    static let bigFile: String = {
        var lines: [String] = []
        for index in 1...600 { lines.append("    filler_\(index) = \(index)") }
        lines[299] = "def parse_header(line):"
        lines[300] = "    name, value = line.split(':')"
        lines[301] = "    return name.strip(), value.strip()"
        return lines.joined(separator: "\n")
    }()

    @Test("a file bigger than the whole budget is shown as an excerpt holding the failing line, within budget")
    func excerptOfLargeFile() {
        let ranked = [ContextRanker.RankedFile(path: "src/x.py", score: 1000, reasons: ["named in the failure (line 301)"], focus: [301])]
        let symbols = [CodeSymbol(name: "parse_header", kind: .function, line: 300, endLine: 302, signature: "def parse_header(line):")]
        let budget = 800
        #expect(TokenUsage.estimateTokens(in: Self.bigFile) > budget)
        let picked = ContextPacker.pack(ranked, budgetTokens: budget) { _ in ContextPacker.Source(text: Self.bigFile, symbols: symbols) }
        let file = try! #require(picked.first)
        guard case let .excerpt(ranges, total) = file.form else { Issue.record("expected an excerpt"); return }
        #expect(total == 600)
        #expect(ranges.contains { $0.contains(301) })
        #expect(file.text.contains("    name, value = line.split(':')"))
        #expect(file.text.contains("lines 300–302"))
        #expect(file.tokens <= budget)
    }

    @Test("small files are shown whole, in rank order, until the budget runs out")
    func wholeFiles() {
        let ranked = (1...40).map { ContextRanker.RankedFile(path: "f\($0).py", score: Double(100 - $0), reasons: [], focus: []) }
        let text = String(repeating: "x = 1\n", count: 60)
        let picked = ContextPacker.pack(ranked, budgetTokens: 1000) { _ in ContextPacker.Source(text: text, symbols: []) }
        #expect(picked.first?.path == "f1.py")
        #expect(picked.first?.isWhole == true)
        #expect(picked.reduce(0) { $0 + $1.tokens } <= 1000)
        #expect(picked.count < 40)
    }

    @Test("regions merge when they touch, and the outline lists what is not shown")
    func outline() {
        let lines = Self.bigFile.split(separator: "\n", omittingEmptySubsequences: false)
        let symbols = [
            CodeSymbol(name: "parse_header", kind: .function, line: 300, endLine: 302, signature: "def parse_header(line):"),
            CodeSymbol(name: "Other", kind: .type, line: 10, endLine: 20, signature: "class Other:"),
        ]
        let excerpt = try! #require(Excerpt.make(path: "src/x.py", lines: lines, focus: [301, 302], symbols: symbols, budgetTokens: 500))
        #expect(excerpt.ranges == [300...302])
        #expect(excerpt.text.contains("  10│ class Other:"))
    }
}

@Suite("Context ranker")
struct ContextRankerTests {
    @Test("failure files first, then named, then changed, then the rest by combined score")
    func order() {
        var signals = ContextRanker.Signals()
        signals.failure = [(path: "src/x.py", lines: [42])]
        signals.named = ["docs/guide.md"]
        signals.touched = ["src/y.py"]
        signals.lexical = [
            .init(path: "src/z.py", score: 9, chunks: [.init(lines: 1...30, score: 9)], terms: ["retry"]),
            .init(path: "tests/test_z.py", score: 9, chunks: [.init(lines: 1...30, score: 9)], terms: ["retry"]),
        ]
        let ranked = ContextRanker.rank(signals)
        #expect(ranked.map(\.path) == ["src/x.py", "docs/guide.md", "src/y.py", "src/z.py", "tests/test_z.py"])
        #expect(ranked[0].reasons.first == "named in the failure (line 42)")
        #expect(ranked[0].focus == [42])
    }
}

@Suite("File requests")
struct FileRequestTests {
    @Test("a <read> block lists files, line ranges and symbols; bullets, backticks and ./ are tolerated")
    func parse() {
        let request = FileRequest.find(in: """
            I need to see more first.
            <read>
            - `./src/x.py`
            Sources/App/Server.swift:10-40
            symbol RetryPolicy
            ../etc/passwd
            /etc/passwd
            </read>
            """)
        #expect(request?.items == [.file(path: "src/x.py", lines: nil), .file(path: "Sources/App/Server.swift", lines: 10...40), .symbol("RetryPolicy")])
        #expect(request?.summary == "src/x.py, Sources/App/Server.swift:10-40, symbol RetryPolicy")
    }

    @Test("no block, or an empty one, is no request")
    func none() {
        #expect(FileRequest.find(in: "src/x.py\n```\nprint(1)\n```") == nil)
        #expect(FileRequest.find(in: "<read>\n</read>") == nil)
    }
}
