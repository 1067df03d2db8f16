import ConductorDomain
import ConductorKit
import ConductorTesting
import Foundation
import GitKit
import Testing

/// The symbol index over a real repository: ctags and the built-in scanner agree on what
/// matters, a broken ctags falls back, and the cache is keyed by blob and never trusted blindly.
@Suite("SymbolIndex", .serialized)
struct SymbolIndexTests {
    /// A small Python and C project where `app/models.py` is what everything uses.
    static let project: [String: String] = [
        "app/models.py": """
        class Order:
            def __init__(self, customer, total):
                self.customer = customer
                self.total = total

            def discounted_total(self, rate):
                return self.total * (1 - rate)


        class Customer:
            def __init__(self, name):
                self.name = name


        def load_orders(rows):
            return [Order(row[0], row[1]) for row in rows]

        """,
        "app/service.py": """
        from app.models import Order, Customer, load_orders


        class OrderService:
            def __init__(self, store):
                self.store = store

            def orders_for(self, customer: Customer):
                return [o for o in load_orders(self.store.rows()) if o.customer == customer]

            def revenue(self):
                return sum(order.discounted_total(0.1) for order in load_orders(self.store.rows()))

        """,
        "app/api.py": """
        from app.service import OrderService
        from app.models import Order


        def list_orders(request):
            service = OrderService(request.store)
            return [Order.discounted_total(o, 0) for o in service.orders_for(request.customer)]

        """,
        "app/text_util.py": """
        def slugify_title(text):
            return text.lower().replace(" ", "-")

        """,
        "native/checksum.c": """
        #include "checksum.h"

        static unsigned int table[256];

        unsigned int checksum_bytes(const unsigned char *data, int length)
        {
            unsigned int sum = 0;
            for (int i = 0; i < length; i++) { sum += table[data[i]]; }
            return sum;
        }

        """,
        "native/checksum.h": "unsigned int checksum_bytes(const unsigned char *data, int length);\n",
        "docs/notes.md": "Orders are loaded by load_orders.\n",
    ]

    /// The fixture with the project committed, and its files at HEAD.
    static func makeRepository() throws -> GitFixture {
        let fixture = try GitFixture()
        for (path, text) in project { try fixture.write(path, text) }
        try fixture.git("add", "-A")
        try fixture.git("commit", "-q", "-m", "Project")
        return fixture
    }

    static func files(_ repository: ConductorRepository) throws -> [TreeFile] {
        let head = try #require(try repository.git.referenceTarget("HEAD"))
        return try repository.git.files(inTree: repository.git.commit(head).tree)
    }

    static func table(_ repository: ConductorRepository, useCtags: Bool = true, timeout: Double = 20) throws -> SymbolTable {
        let index = SymbolIndex(repository: repository, useCtags: useCtags, ctagsTimeoutSeconds: timeout)
        return index.facts(for: try files(repository)) { try? repository.git.readBlob($0.blob) }
    }

    static func topFiles(_ table: SymbolTable, count: Int = 3) -> [String] {
        let rank = ReferenceGraph(facts: table.facts).rank(seedFiles: [:], seedIdentifiers: [])
        return Array(rank.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map(\.key).prefix(count))
    }

    /// A fake ctags that says it is Universal Ctags, then does `body` when asked to scan.
    static func fakeCtags(_ directory: TemporaryDirectory, _ body: String) throws -> String {
        let path = directory.appending("fake-ctags")
        let script = """
        #!/bin/sh
        case "$1" in --version) echo "Universal Ctags 5.9.0, Copyright (C) 2015 Universal Ctags Team"; exit 0;; esac
        \(body)

        """
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return path
    }

    static var ctagsInstalled: Bool {
        if case .success = CtagsRunner.locate(environment: ProcessInfo.processInfo.environment) { return true }
        return false
    }

    @Test("ctags and the built-in scanner give the same top-ranked files", .enabled(if: ctagsInstalled))
    func scannersAgree() throws {
        let fixture = try Self.makeRepository()
        let repository = try fixture.conductor()
        let withCtags = try Self.table(repository)
        guard case .ctags = withCtags.scanner else {
            Issue.record("ctags was not used: \(withCtags.warnings)")
            return
        }
        #expect(withCtags.warnings.isEmpty, "\(withCtags.warnings)")
        let builtIn = try Self.table(repository, useCtags: false)
        #expect(builtIn.scanner == .builtIn)
        #expect(Self.topFiles(withCtags) == Self.topFiles(builtIn))
        #expect(Self.topFiles(builtIn).first == "app/models.py")
        #expect(withCtags.facts["app/models.py"]?.symbols.map(\.name).contains("discounted_total") == true)
        #expect(withCtags.facts["native/checksum.c"]?.symbols.map(\.name).contains("checksum_bytes") == true)
        #expect(builtIn.facts["native/checksum.c"]?.symbols.map(\.name).contains("checksum_bytes") == true)
        // Switching scanner rescans the files of ctags' languages (not the Markdown).
        #expect(builtIn.scannedFiles == 6, "\(builtIn.scannedFiles)")
        #expect(builtIn.cachedFiles == 2, "\(builtIn.cachedFiles)")
    }

    @Test("a fake ctags that fails, hangs or prints garbage: the built-in scanner takes over, with a warning, and the cache is written",
          arguments: [("exit 1", "echo 'ctags: exploded' >&2; exit 1", "exited with status 1: ctags: exploded"),
                      ("hang", "exec sleep 30", "timed out after 1 s"),
                      ("garbage", "echo 'this is not json'; echo '{\"_type\": \"tag\"'", "printed no tags, only 2 unreadable lines"),
                      ("crash", "kill -SEGV $$", "was killed by signal 11")])
    func brokenCtags(name: String, body: String, reason: String) throws {
        let fixture = try Self.makeRepository()
        let scripts = try TemporaryDirectory(prefix: "fake-ctags")
        let repository = try fixture.conductor(adding: ["CONDUCTOR_CTAGS": try Self.fakeCtags(scripts, body)])
        let table = try Self.table(repository, timeout: 1)
        #expect(table.scanner == .builtIn, "\(name)")
        #expect(table.warnings.contains { $0.contains(reason) && $0.contains("built-in scanner was used instead") }, "\(name): \(table.warnings)")
        #expect(table.facts["app/models.py"]?.symbols.map(\.name).contains("Order") == true)
        #expect(Self.topFiles(table).first == "app/models.py")
        let index = SymbolIndex(repository: repository)
        #expect(FileManager.default.fileExists(atPath: index.cachePath))
        #expect(table.scannedFiles == 8)
    }

    @Test("CONDUCTOR_CTAGS naming a missing program: a warning naming it, and the built-in scanner")
    func missingOverride() throws {
        let fixture = try Self.makeRepository()
        let repository = try fixture.conductor(adding: ["CONDUCTOR_CTAGS": "/nonexistent/ctags"])
        let table = try Self.table(repository)
        #expect(table.scanner == .builtIn)
        #expect(table.warnings.contains { $0.contains("CONDUCTOR_CTAGS=/nonexistent/ctags not found") }, "\(table.warnings)")
    }

    @Test("no ctags on PATH: the built-in scanner, silently")
    func noCtags() throws {
        let fixture = try Self.makeRepository()
        let repository = try fixture.conductor(adding: ["PATH": "/nonexistent"])
        let table = try Self.table(repository)
        #expect(table.scanner == .builtIn)
        #expect(table.warnings.isEmpty, "\(table.warnings)")
    }

    @Test("a corrupt cache is discarded with a warning and rebuilt; the rebuilt one serves the next map")
    func corruptCache() throws {
        let fixture = try Self.makeRepository()
        let repository = try fixture.conductor()
        let index = SymbolIndex(repository: repository, useCtags: false)
        let first = index.facts(for: try Self.files(repository)) { try? repository.git.readBlob($0.blob) }
        #expect(first.scannedFiles == 8)

        for junk in ["garbage\n", "conductor-context-facts 1\nE\tkey\n", ""] {
            try junk.write(toFile: index.cachePath, atomically: true, encoding: .utf8)
            let rebuilt = index.facts(for: try Self.files(repository)) { try? repository.git.readBlob($0.blob) }
            #expect(rebuilt.warnings.contains { $0.contains("did not decode") && $0.contains("rebuilt") }, "\(rebuilt.warnings)")
            #expect(rebuilt.scannedFiles == 8)
            #expect(rebuilt.facts == first.facts)
        }
        // Truncating a good cache anywhere is noticed too.
        let good = try Data(contentsOf: URL(fileURLWithPath: index.cachePath))
        try good.prefix(good.count - 3).write(to: URL(fileURLWithPath: index.cachePath))
        let afterTruncation = index.facts(for: try Self.files(repository)) { try? repository.git.readBlob($0.blob) }
        #expect(afterTruncation.warnings.contains { $0.contains("did not decode") }, "\(afterTruncation.warnings)")

        let warm = index.facts(for: try Self.files(repository)) { _ in Issue.record("a cached file was read"); return nil }
        #expect(warm.warnings.isEmpty, "\(warm.warnings)")
        #expect(warm.scannedFiles == 0)
        #expect(warm.cachedFiles == 8)
        #expect(warm.facts == first.facts)
    }

    @Test("changing one file rescans only its blob")
    func incremental() throws {
        let fixture = try Self.makeRepository()
        let repository = try fixture.conductor()
        let cold = try Self.table(repository)
        #expect(cold.scannedFiles == 8)
        try fixture.write("app/text_util.py", "def slugify_title(text):\n    return text.lower()\n\n\ndef title_case(text):\n    return text.title()\n")
        try fixture.git("commit", "-q", "-am", "Add title_case")
        var read: [String] = []
        let warm = SymbolIndex(repository: repository).facts(for: try Self.files(repository)) { file in
            read.append(file.path)
            return try? repository.git.readBlob(file.blob)
        }
        #expect(read == ["app/text_util.py"])
        #expect(warm.scannedFiles == 1)
        #expect(warm.cachedFiles == 7)
        #expect(warm.facts["app/text_util.py"]?.symbols.map(\.name) == ["slugify_title", "title_case"])
        #expect(warm.facts["app/models.py"] == cold.facts["app/models.py"])
    }
}
