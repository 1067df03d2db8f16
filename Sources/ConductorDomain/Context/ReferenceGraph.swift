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
    /// Defined names, sorted; a name's id is its index here.
    let names: [String]
    let nameIDs: [String: Int]
    /// Files defining each name (node indices, ascending), by name id.
    let definers: [[Int]]
    /// Each name's weight before seeding and the split among definers.
    let baseWeights: [Double]
    /// Name ids by lowercased name, for seed words that do not match a name's case.
    let idsByLowercase: [String: [Int]]
    /// How many files other than its definers mention each defined name.
    public let referenceCounts: [String: Int]
    /// For each node, the names it mentions that other files define: (name id, sqrt(count)),
    /// by name id.
    private let mentions: [[(name: Int, strength: Double)]]

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
        var definersByName: [String: [Int]] = [:]
        for (node, path) in paths.enumerated() {
            var seen = Set<String>()
            for symbol in facts[path]!.symbols where symbol.name.utf8.count >= 2 && !Self.conventionalNames.contains(symbol.name) {
                if seen.insert(symbol.name).inserted { definersByName[symbol.name, default: []].append(node) }
            }
        }
        let names = definersByName.filter { $0.value.count <= Self.maximumDefiners }.keys.sorted()
        var nameIDs: [String: Int] = [:]
        nameIDs.reserveCapacity(names.count)
        for (id, name) in names.enumerated() { nameIDs[name] = id }
        let definers = names.map { definersByName[$0]! }

        var referenced = [Int](repeating: 0, count: names.count)
        var mentions: [[(name: Int, strength: Double)]] = []
        mentions.reserveCapacity(paths.count)
        for (node, path) in paths.enumerated() {
            var list: [(name: Int, strength: Double)] = []
            for (name, count) in facts[path]!.mentions {
                guard let id = nameIDs[name] else { continue }
                let files = definers[id]
                if files.count == 1, files[0] == node { continue }
                list.append((id, Double(count).squareRoot()))
                if !files.contains(node) { referenced[id] += 1 }
            }
            list.sort { $0.name < $1.name }
            mentions.append(list)
        }
        var references: [String: Int] = [:]
        for (id, count) in referenced.enumerated() where count > 0 { references[names[id]] = count }
        var lowercased: [String: [Int]] = [:]
        for (id, name) in names.enumerated() { lowercased[name.lowercased(), default: []].append(id) }

        self.paths = paths
        self.names = names
        self.nameIDs = nameIDs
        self.definers = definers
        baseWeights = names.map { Self.weight(of: $0, seeded: false) }
        idsByLowercase = lowercased
        referenceCounts = references
        self.mentions = mentions
    }

    /// Aider's weight of a name, before the split among its definers.
    static func weight(of name: String, seeded: Bool) -> Double {
        var weight = 1.0
        var upper = false, lower = false, underscore = false
        for byte in name.utf8 {
            if byte >= 65 && byte <= 90 { upper = true } else if byte >= 97 && byte <= 122 { lower = true } else if byte == 95 { underscore = true }
        }
        if underscore || (upper && lower), name.count >= 8 { weight *= 10 }
        if name.hasPrefix("_") { weight *= 0.1 }
        if seeded { weight *= 10 }
        return weight
    }

    /// Ids of the names `seeds` name: exactly, else ignoring case.
    func seedIDs(_ seeds: Set<String>) -> Set<Int> {
        var ids = Set<Int>()
        for seed in seeds {
            if let id = nameIDs[seed] { ids.insert(id) } else if let matches = idsByLowercase[seed.lowercased()] { ids.formUnion(matches) }
        }
        return ids
    }

    /// Personalised PageRank over the files (damping 0.85, at most 100 iterations, stopping
    /// once the ranks move less than 1e-10 in total). The teleport goes to `seedFiles` (with
    /// their weights) and to the files defining any of `seedIdentifiers`; with neither, it is
    /// uniform. Ranks sum to 1 over the files of the graph.
    public func rank(seedFiles: [String: Double], seedIdentifiers: Set<String>) -> [String: Double] {
        let count = paths.count
        guard count > 0 else { return [:] }
        let seeded = seedIDs(seedIdentifiers)
        // Edges, as (target, weight) lists per source in target order, with out-weights summed.
        var edges: [[(target: Int, weight: Double)]] = Array(repeating: [], count: count)
        var outWeight = [Double](repeating: 0, count: count)
        var accumulated = [Double](repeating: 0, count: count)
        var touched: [Int] = []
        for source in 0..<count {
            for (id, strength) in mentions[source] {
                let files = definers[id]
                let share = baseWeights[id] * (seeded.contains(id) ? 10 : 1) * strength / Double(files.count)
                for target in files where target != source {
                    if accumulated[target] == 0 { touched.append(target) }
                    accumulated[target] += share
                }
            }
            touched.sort()
            var list: [(target: Int, weight: Double)] = []
            list.reserveCapacity(touched.count)
            var total = 0.0
            for target in touched {
                list.append((target, accumulated[target]))
                total += accumulated[target]
                accumulated[target] = 0
            }
            touched.removeAll(keepingCapacity: true)
            edges[source] = list
            outWeight[source] = total
        }
        let teleport = personalisation(seedFiles: seedFiles, seeded: seeded)
        let damping = 0.85
        var ranks = teleport
        var next = [Double](repeating: 0, count: count)
        for _ in 0..<100 {
            for node in 0..<count { next[node] = 0 }
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
            swap(&ranks, &next)
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
    func personalisation(seedFiles: [String: Double], seeded: Set<Int>) -> [Double] {
        var weights = [Double](repeating: 0, count: paths.count)
        if !seedFiles.isEmpty {
            var index: [String: Int] = [:]
            for (node, path) in paths.enumerated() { index[path] = node }
            for (path, weight) in seedFiles where weight > 0 {
                if let node = index[path] { weights[node] += weight }
            }
        }
        for id in seeded.sorted() {
            let files = definers[id]
            for node in files { weights[node] += 1 / Double(files.count) }
        }
        let total = weights.reduce(0, +)
        guard total > 0 else { return [Double](repeating: 1 / Double(paths.count), count: paths.count) }
        return weights.map { $0 / total }
    }
}
