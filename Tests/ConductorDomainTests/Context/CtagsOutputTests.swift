import ConductorDomain
import Testing

@Suite("CtagsOutput")
struct CtagsOutputTests {
    @Test("tags become symbols by path: kinds mapped, scopes shortened, patterns unescaped, pseudo-tags skipped")
    func parsesTags() {
        let output = """
        {"_type": "ptag", "name": "JSON_OUTPUT_VERSION", "path": "0.0", "pattern": "in development"}
        {"_type": "tag", "name": "Client", "path": "app/client.py", "pattern": "/^class Client:$/", "line": 3, "kind": "class", "end": 9}
        {"_type": "tag", "name": "fetch", "path": "app/client.py", "pattern": "/^    def fetch(self, url):$/", "line": 5, "kind": "member", "signature": "(self, url)", "scope": "Client", "scopeKind": "class", "end": 9}
        {"_type": "tag", "name": "count", "path": "src/a.c", "pattern": "/^  int count;$/", "line": 4, "kind": "member", "scope": "struct:buf", "scopeKind": "struct"}
        {"_type": "tag", "name": "run", "path": "src/a.c", "pattern": "/^int run(char *a\\/b) {$/", "line": 9, "kind": "function", "signature": "(char *a/b)", "end": 12}
        {"_type": "tag", "name": "Start", "path": "srv.go", "pattern": "/^func (s *Server) Start() error {$/", "line": 7, "kind": "func", "scope": "Server", "scopeKind": "struct", "end": 9}
        {"_type": "tag", "name": "x", "path": "srv.go", "pattern": "/^\\tx := 1$/", "line": 8, "kind": "local"}
        {"_type": "tag", "name": "Limit", "path": "srv.go", "pattern": "/^\\tLimit = 1$/", "line": 12, "kind": "const", "scope": "main", "scopeKind": "package"}
        {"_type": "tag", "name": "Inner", "path": "A.java", "line": 2, "kind": "class", "scope": "com.example.Outer", "scopeKind": "class", "pattern": "/^  class Inner {$/"}
        """
        let parsed = CtagsOutput.parse(Array(output.utf8))
        #expect(parsed.junkLines == 0)
        #expect(parsed.tagLines == 8)
        #expect(parsed.ignoredTags == 1)
        #expect(parsed.symbols["app/client.py"] == [
            CodeSymbol(name: "Client", kind: .type, line: 3, endLine: 9, signature: "class Client:"),
            CodeSymbol(name: "fetch", kind: .method, line: 5, endLine: 9, signature: "def fetch(self, url):", scope: "Client"),
        ])
        #expect(parsed.symbols["src/a.c"] == [
            CodeSymbol(name: "count", kind: .property, line: 4, signature: "int count;", scope: "buf"),
            CodeSymbol(name: "run", kind: .function, line: 9, endLine: 12, signature: "int run(char *a/b) {"),
        ])
        #expect(parsed.symbols["srv.go"] == [
            CodeSymbol(name: "Start", kind: .method, line: 7, endLine: 9, signature: "func (s *Server) Start() error {", scope: "Server"),
            CodeSymbol(name: "Limit", kind: .variable, line: 12, signature: "Limit = 1"),
        ])
        #expect(parsed.symbols["A.java"]?.first?.scope == "Outer")
    }

    @Test("junk lines are skipped and counted, whatever they are; escapes and unicode decode")
    func junk() {
        let output = """
        ctags: Warning: cannot open input file "gone.c"
        {"_type": "tag", "name": "ok", "path": "a.py", "line": 1, "kind": "function"}
        {"_type": "tag", "name": "broken", "path": "a.py", "line":
        not json at all
        {"_type": "tag", "name": "noLine", "path": "a.py", "kind": "function"}
        [1, 2, 3]
        {"_type": "tag", "name": "caf\\u00e9", "path": "a.py", "line": 2, "kind": "function", "extras": {"a": [1, "}"]}, "file": true}
        {"_type": "tag", "name": "trailing", "path": "a.py", "line": 3, "kind": "function"} garbage

        """
        let parsed = CtagsOutput.parse(Array(output.utf8))
        #expect(parsed.junkLines == 6)
        #expect(parsed.symbols["a.py"]?.map(\.name) == ["ok", "café"])
    }

    @Test("garbage only: no tags, every line junk")
    func garbageOnly() {
        let parsed = CtagsOutput.parse(Array("Segmentation fault\n\u{1}\u{2}\u{3}\n".utf8))
        #expect(parsed.tagLines == 0)
        #expect(parsed.junkLines == 2)
        #expect(parsed.symbols.isEmpty)
    }

    @Test("kinds map per language: Python members are methods, C members fields, scoped functions methods")
    func kinds() {
        #expect(CtagsOutput.kind("member", scopeKind: "class", language: .python) == .method)
        #expect(CtagsOutput.kind("member", scopeKind: "struct", language: .c) == .property)
        #expect(CtagsOutput.kind("function", scopeKind: "class", language: .javascript) == .method)
        #expect(CtagsOutput.kind("function", scopeKind: nil, language: .c) == .function)
        #expect(CtagsOutput.kind("macro", scopeKind: nil, language: .c) == .macro)
        #expect(CtagsOutput.kind("namespace", scopeKind: nil, language: .cpp) == .module)
        #expect(CtagsOutput.kind("local", scopeKind: nil, language: .c) == nil)
        #expect(CtagsOutput.kind("parameter", scopeKind: nil, language: .c) == nil)
        #expect(CtagsOutput.kind("package", scopeKind: nil, language: .go) == nil)
    }

    @Test("signatures can be retaken from the file's own lines (ctags cuts patterns at 96 characters)")
    func sourceSignatures() {
        let contents = Array("x = 1\n    def f(self, a, b):\n".utf8)
        let symbols = CtagsOutput.withSourceSignatures([CodeSymbol(name: "f", kind: .method, line: 2, signature: "def f(self")], contents: contents)
        #expect(symbols.first?.signature == "def f(self, a, b):")
    }
}

@Suite("SourceLanguage")
struct SourceLanguageTests {
    @Test("languages by extension, case-insensitively")
    func languages() {
        #expect(SourceLanguage(path: "Sources/App/main.swift") == .swift)
        #expect(SourceLanguage(path: "lib/x.PY") == .python)
        #expect(SourceLanguage(path: "web/app.tsx") == .typescript)
        #expect(SourceLanguage(path: "web/app.mjs") == .javascript)
        #expect(SourceLanguage(path: "include/x.h") == .c)
        #expect(SourceLanguage(path: "src/x.hpp") == .cpp)
        #expect(SourceLanguage(path: "A.java") == .java)
        #expect(SourceLanguage(path: "cmd/main.go") == .go)
        #expect(SourceLanguage(path: "src/lib.rs") == .rust)
        #expect(SourceLanguage(path: "README.md") == nil)
        #expect(SourceLanguage(path: "Makefile") == nil)
        #expect(SourceLanguage(path: ".swift") == nil)
        #expect(SourceLanguage.swift.ctagsName == nil)
        #expect(SourceLanguage.cpp.ctagsName == "C++")
    }

    @Test("vendored, generated, minified and binary paths are not source")
    func excluded() {
        #expect(SourceLanguage.isSource(path: "src/app.js"))
        #expect(!SourceLanguage.isSource(path: "node_modules/left-pad/index.js"))
        #expect(!SourceLanguage.isSource(path: "web/node_modules/x/y.ts"))
        #expect(!SourceLanguage.isSource(path: ".build/checkouts/nio/Sources/a.swift"))
        #expect(!SourceLanguage.isSource(path: "vendor/github.com/pkg/errors/errors.go"))
        #expect(!SourceLanguage.isSource(path: "dist/bundle.js"))
        #expect(!SourceLanguage.isSource(path: "static/jquery.min.js"))
        #expect(!SourceLanguage.isSource(path: "api/service.pb.go"))
        #expect(!SourceLanguage.isSource(path: "proto/service_pb2.py"))
        #expect(!SourceLanguage.isSource(path: "docs/guide.md"))
        #expect(SourceLanguage.isExcluded(path: "assets/logo.png"))
        #expect(!SourceLanguage.isExcluded(path: "docs/guide.md"))
        #expect(SourceLanguage.looksUnreadable([0x89, 0x50, 0x4E, 0x47, 0, 1]))
        #expect(SourceLanguage.looksUnreadable(Array(String(repeating: "var a=1;", count: 1000).utf8)))
        #expect(!SourceLanguage.looksUnreadable(Array(String(repeating: "let a = 1\n", count: 1000).utf8)))
    }
}
