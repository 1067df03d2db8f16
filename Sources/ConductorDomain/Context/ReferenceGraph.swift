/// Which files refer to which: an edge A → B for each name A mentions that B defines, ranked
/// with a personalised PageRank, the way Aider ranks its repository map. A file many others
/// lean on ranks high; the task's own words pull the ranking towards the files they name.
///
/// Edge weights follow Aider's: a name counts `sqrt(mentions)`, times 10 when it is long and
/// compound (`camelCase`, `snake_case`, 8 characters or more) or one of the task's
/// identifiers, a tenth when it starts with `_`, and is divided among the files that define
/// it, so `init` or `run` defined everywhere says little. Names defined in more than
/// ``maximumDefiners`` files and self-edges are left out. Pure and deterministic: nodes and
/// edges are visited in sorted path order.
public struct ReferenceGraph: Sendable {
    /// Paths, sorted; a node is its index here.
    public let paths: [String]
    /// Files defining each name (node indices, ascending).
    let definers: [String: [Int]]
    /// The same, by lowercased name, for seed words that do not match a name's case.
    let definersByLowercase: [String: [Int]]
    /// How many files other than its definers mention each defined name.
    public let referenceCounts: [String: Int]
    /// For each node, the names it mentions that others define, with the mention count.
    private let mentions: [[(name: String, count: Int)]]

    /// A name defined in more files than this is too common to say anything.
    public static let maximumDefiners = 64
    /// Names that are defined in many files by convention and never point anywhere in particular.
    static let conventionalNames: Set<String> = [
        "init", "deinit", "subscript", "main", "constructor", "__init__", "__str__", "__repr__",
        "__eq__", "__hash__", "toString", "equals", "hashCode", "description", "body", "new", "default",
        "fmt", "from", "into", "drop", "clone", "String", "Error", "test", "setUp", "tearDown",
    ]

    public init(facts: [String: FileFacts]) {
        let paths = facts.keys.sorted()
        var definers: [String: [Int]] = [:]
        for (node, path) in paths.enumerated() {
            var seen = Set<String>()
            for symbol in facts[path]!.symbols where symbol.name.count >= 2 && !Self.conventionalNames.contains(symbol.name) {
                if seen.insert(symbol.name).inserted { definers[symbol.name, default: []].append(node) }
            }
        }
        definers = definers.filter { $0.value.count <= Self.maximumDefiners }
        var references: [String: Int] = [:]
        var mentions: [[(name: String, count: Int)]] = []
        mentions.reserveCapacity(paths.count)
        for (node, path) in paths.enumerated() {
            var list: [(name: String, count: Int)] = []
            for (name, count) in facts[path]!.mentions {
                guard let files = definers[name] else { continue }
                if files.count == 1, files[0] == node { continue }
                list.append((name, count))
                if !files.contains(node) { references[name, default: 0] += 1 }
            }
            list.sort { $0.name < $1.name }
            mentions.append(list)
        }
        self.paths = paths
        self.definers = definers
        var lowercased: [String: [Int]] = [:]
        for (name, files) in definers { lowercased[name.lowercased(), default: []].append(contentsOf: files) }
        definersByLowercase = lowercased.mapValues { Array(Set($0)).sorted() }
        referenceCounts = references
        self.mentions = mentions
    }

    /// Aider's weight of a name, before the split among its definers.
    static func weight(of name: String, seeded: Bool) -> Double {
        var weight = 1.0
        let compound = name.contains("_") || (name.contains { $0.isUppercase } && name.contains { $0.isLowercase })
        if compound, name.count >= 8 { weight *= 10 }
        if name.hasPrefix("_") { weight *= 0.1 }
        if seeded { weight *= 10 }
        return weight
    }

    /// Personalised PageRank over the files (damping 0.85, at most 100 iterations, stopping
    /// once the ranks move less than 1e-10 in total). The teleport goes to `seedFiles` (with
    /// their weights) and to the files defining any of `seedIdentifiers`; with neither, it is
    /// uniform. Ranks sum to 1 over the files of the graph.
    public func rank(seedFiles: [String: Double], seedIdentifiers: Set<String>) -> [String: Double] {
        let count = paths.count
        guard count > 0 else { return [:] }
        // Edges, as (target, weight) lists per source, with out-weights summed.
        var edges: [[(target: Int, weight: Double)]] = Array(repeating: [], count: count)
        var outWeight = [Double](repeating: 0, count: count)
        for source in 0..<count {
            var byTarget: [Int: Double] = [:]
            for (name, mentionCount) in mentions[source] {
                let files = definers[name]!
                let share = Self.weight(of: name, seeded: seedIdentifiers.contains(name)) * Double(mentionCount).squareRoot() / Double(files.count)
                for target in files where target != source { byTarget[target, default: 0] += share }
            }
            let list = byTarget.sorted { $0.key < $1.key }.map { (target: $0.key, weight: $0.value) }
            edges[source] = list
            outWeight[source] = list.reduce(0) { $0 + $1.weight }
        }
        let teleport = personalisation(seedFiles: seedFiles, seedIdentifiers: seedIdentifiers)
        let damping = 0.85
        var ranks = teleport
        for _ in 0..<100 {
            var next = [Double](repeating: 0, count: count)
            var dangling = 0.0
            for source in 0..<count {
                let rank = ranks[source]
                guard outWeight[source] > 0 else {
                    dangling += rank
                    continue
                }
                let scale = damping * rank / outWeight[source]
                for edge in edges[source] { next[edge.target] += scale * edge.weight }
            }
            // What does not follow an edge (the 15 %, and all of a dangling file's rank) teleports.
            let teleported = 1 - damping + damping * dangling
            var change = 0.0
            for node in 0..<count {
                next[node] += teleported * teleport[node]
                change += abs(next[node] - ranks[node])
            }
            ranks = next
            if change < 1e-10 { break }
        }
        var result: [String: Double] = [:]
        result.reserveCapacity(count)
        for (node, path) in paths.enumerated() { result[path] = ranks[node] }
        return result
    }

    /// The teleport distribution: seed files by weight, plus each file defining a seed
    /// identifier (a name's weight of 1 split among its definers; a name is matched exactly,
    /// else ignoring case); uniform without seeds.
    func personalisation(seedFiles: [String: Double], seedIdentifiers: Set<String>) -> [Double] {
        var weights = [Double](repeating: 0, count: paths.count)
        var index: [String: Int] = [:]
        for (node, path) in paths.enumerated() { index[path] = node }
        for (path, weight) in seedFiles where weight > 0 {
            if let node = index[path] { weights[node] += weight }
        }
        for name in seedIdentifiers.sorted() {
            guard let files = definers[name] ?? definersByLowercase[name.lowercased()] else { continue }
            for node in files { weights[node] += 1 / Double(files.count) }
        }
        let total = weights.reduce(0, +)
        guard total > 0 else { return [Double](repeating: 1 / Double(paths.count), count: paths.count) }
        return weights.map { $0 / total }
    }
}
