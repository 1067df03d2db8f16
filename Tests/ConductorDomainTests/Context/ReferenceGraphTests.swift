import ConductorDomain
import Testing

@Suite("ReferenceGraph and RepositoryMap")
struct ReferenceGraphTests {
    func facts(_ files: [String: String]) -> [String: FileFacts] {
        files.mapValues { _ in FileFacts(symbols: [], mentions: [:]) }.merging(
            files.map { ($0.key, FileFacts.scanned(Array($0.value.utf8), path: $0.key)) }
        ) { _, new in new }
    }

    /// A core file everyone uses, two users of it, and an unrelated file.
    var repository: [String: FileFacts] {
        facts([
            "Sources/Core/EventLoop.swift": "public protocol EventLoopScheduler {\n    func scheduleTask(in delay: Int)\n}\npublic final class EventLoopGroup {\n    func next() -> EventLoopScheduler { fatalError() }\n}\n",
            "Sources/Net/Server.swift": "final class HTTPServer {\n    let group: EventLoopGroup\n    func start() { group.next().scheduleTask(in: 1) }\n}\n",
            "Sources/Net/Client.swift": "final class HTTPClient {\n    let group: EventLoopGroup\n    func connect(to server: HTTPServer) { }\n}\n",
            "Sources/Tools/Banner.swift": "func printBanner() {\n    print(\"hello\")\n}\n",
        ])
    }

    @Test("mentions count identifiers like IdentifierTerms, on bytes")
    func mentions() {
        let text = "let retryDelay = retry_delay + 2x3 + é_name // retryDelay _x a"
        let mentions = FileFacts.mentions(in: Array(text.utf8))
        var expected: [String: Int] = [:]
        for identifier in IdentifierTerms.identifiers(in: text) { expected[String(identifier), default: 0] += 1 }
        #expect(mentions == expected)
        #expect(mentions["retryDelay"] == 2)
    }

    @Test("the file everything depends on ranks first; an unrelated file last; ranks sum to 1")
    func uniformRank() {
        let graph = ReferenceGraph(facts: repository)
        let rank = graph.rank(seedFiles: [:], seedIdentifiers: [])
        let order = rank.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map(\.key)
        #expect(order.first == "Sources/Core/EventLoop.swift")
        #expect(order.last == "Sources/Tools/Banner.swift")
        #expect(abs(rank.values.reduce(0, +) - 1) < 1e-9)
        #expect(graph.referenceCounts["EventLoopGroup"] == 2)
        #expect(graph.referenceCounts["printBanner"] == nil)
    }

    @Test("seeds pull the ranking: a seed file, or the file defining a seed identifier, comes first")
    func seeded() {
        let graph = ReferenceGraph(facts: repository)
        let bySeedFile = graph.rank(seedFiles: ["Sources/Tools/Banner.swift": 1], seedIdentifiers: [])
        #expect(bySeedFile.max { $0.value < $1.value }?.key == "Sources/Tools/Banner.swift")
        let byIdentifier = graph.rank(seedFiles: [:], seedIdentifiers: ["HTTPClient"])
        #expect(byIdentifier.max { $0.value < $1.value }?.key == "Sources/Net/Client.swift")
        let ignoringCase = graph.rank(seedFiles: [:], seedIdentifiers: ["printbanner"])
        #expect(ignoringCase.max { $0.value < $1.value }?.key == "Sources/Tools/Banner.swift")
    }

    @Test("deterministic: the same facts give the same ranks and the same map")
    func deterministic() {
        let first = ReferenceGraph(facts: repository).rank(seedFiles: [:], seedIdentifiers: ["start"])
        let second = ReferenceGraph(facts: repository).rank(seedFiles: [:], seedIdentifiers: ["start"])
        #expect(first == second)
        #expect(RepositoryMap.render(rank: first, facts: repository, budgetTokens: 500, exclude: [])
            == RepositoryMap.render(rank: second, facts: repository, budgetTokens: 500, exclude: []))
    }

    @Test("self-references and names defined everywhere add no edges")
    func commonNames() {
        var files: [String: String] = [:]
        for index in 0..<(ReferenceGraph.maximumDefiners + 1) { files["f\(index).py"] = "def run():\n    pass\n" }
        files["main.py"] = "run()\nrun()\n"
        let graph = ReferenceGraph(facts: facts(files))
        #expect(graph.referenceCounts["run"] == nil)
        let rank = graph.rank(seedFiles: [:], seedIdentifiers: [])
        let values = Set(rank.values.map { ($0 * 1e9).rounded() })
        #expect(values.count == 1, "all files rank alike without edges: \(rank)")
    }

    @Test("the map: paths in rank order, signatures with line numbers, types first, excluded files left out, within the budget")
    func map() {
        let facts = repository
        let rank = ReferenceGraph(facts: facts).rank(seedFiles: [:], seedIdentifiers: [])
        let map = RepositoryMap.render(rank: rank, facts: facts, budgetTokens: 2000, exclude: ["Sources/Net/Client.swift"])
        let lines = map.split(separator: "\n").map(String.init)
        #expect(lines.first == "Sources/Core/EventLoop.swift:")
        #expect(lines.contains("   4│ public final class EventLoopGroup {"))
        #expect(lines.contains("   2│ func scheduleTask(in delay: Int)"))
        #expect(lines.firstIndex(of: "   1│ public protocol EventLoopScheduler {")! < lines.firstIndex(of: "   2│ func scheduleTask(in delay: Int)")!)
        #expect(!map.contains("Client.swift"))
        #expect(map.contains("Sources/Tools/Banner.swift:"))

        for budget in [0, 10, 25, 40, 80] {
            let cut = RepositoryMap.render(rank: rank, facts: facts, budgetTokens: budget, exclude: [])
            #expect(TokenUsage.estimateTokens(in: cut) <= budget, "budget \(budget): \(cut)")
        }
        let small = RepositoryMap.render(rank: rank, facts: facts, budgetTokens: 25, exclude: [])
        #expect(small.hasPrefix("Sources/Core/EventLoop.swift:\n"), "\(small)")
        #expect(!small.contains("Banner"))
    }
}
