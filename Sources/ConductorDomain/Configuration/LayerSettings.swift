/// One layer flattened: each key it sets (`budgets.max_tokens`, `providers.openai.model`)
/// with its typed value and origin, and what was wrong with it. Each layer is checked on its
/// own, so a bad value is reported where it was written, even when a higher layer overrides
/// it.
public struct LayerSettings: Sendable, Equatable {
    public let layer: ConfigLayer
    public private(set) var settings: [ConfigKey: ConfigSetting] = [:]
    public private(set) var problems: [ConfigurationProblem] = []

    public init(layer: ConfigLayer) {
        self.layer = layer
    }

    mutating func set(_ key: ConfigKey, _ value: ConfigValue, origin: ConfigOrigin) {
        settings[key] = ConfigSetting(value, origin: origin)
    }

    mutating func report(_ problem: ConfigurationProblem) {
        problems.append(problem)
    }

    /// Reports a problem with the whole source (a file that cannot be read or parsed).
    public mutating func report(_ severity: ConfigurationProblem.Severity, origin: ConfigOrigin, _ message: String) {
        problems.append(ConfigurationProblem(severity, key: nil, origin: origin, message))
    }

    /// Coerces `node` for the leaf `key` and records it, or records why not.
    mutating func setLeaf(_ key: ConfigKey, _ node: ConfigNode, type: ConfigSchema.ValueType, origin: ConfigOrigin) {
        var coercion = ConfigCoercion(key: key, origin: origin)
        if let value = coercion.value(node, as: type) { set(key, value, origin: origin) }
        problems += coercion.problems
    }

    // MARK: Defaults

    /// The built-in defaults (``ConfigSchema/defaults``).
    public static let defaults: LayerSettings = {
        var layer = LayerSettings(layer: .defaults)
        for (key, value) in ConfigSchema.defaults { layer.set(key, value, origin: .builtIn) }
        return layer
    }()

    // MARK: Files

    /// A YAML file's top-level mapping (nil for an empty file), flattened by the schema.
    /// Unknown keys are warnings with a suggestion; secret-looking keys are errors.
    public static func document(_ root: ConfigNode?, layer: ConfigLayer, file: String) -> LayerSettings {
        var settings = LayerSettings(layer: layer)
        let origin = ConfigOrigin(layer: layer, source: file)
        if let root { settings.flatten(root, at: nil, fields: ConfigSchema.root, origin: origin) }
        return settings
    }

    /// `keyPosition` is where the key holding `node` is written: problems with the whole
    /// mapping point there.
    private mutating func flatten(
        _ node: ConfigNode, at key: ConfigKey?, fields: [ConfigSchema.Field], origin: ConfigOrigin, keyPosition: SourcePosition? = nil
    ) {
        guard case .map(let entries) = node.content else {
            if node.isNull { return }
            let names = fields.map(\.name).joined(separator: ", ")
            report(.error(key, origin.at(keyPosition ?? node.position), "expected a mapping (of \(names)), found \(node.kindDescription)"))
            return
        }
        for entry in entries {
            let entryKey = key?.appending(entry.key) ?? ConfigKey([entry.key])
            let here = origin.at(entry.position)
            guard let field = fields.first(where: { $0.name == entry.key }) else {
                reportUnknown(entryKey, origin: here, siblings: fields.map(\.name))
                continue
            }
            switch field.node {
            case .leaf(let type):
                setLeaf(entryKey, entry.value, type: type, origin: here)
            case .group(let children):
                flatten(entry.value, at: entryKey, fields: children, origin: origin, keyPosition: entry.position)
            case .entries(let children):
                flattenEntries(entry.value, at: entryKey, fields: children, origin: origin, keyPosition: entry.position)
            }
        }
    }

    /// `providers:` or `prices:`: a mapping from names of the user's to groups of fields.
    private mutating func flattenEntries(
        _ node: ConfigNode, at key: ConfigKey, fields: [ConfigSchema.Field], origin: ConfigOrigin, keyPosition: SourcePosition?
    ) {
        guard case .map(let entries) = node.content else {
            if node.isNull { return }
            report(.error(key, origin.at(keyPosition ?? node.position), "expected a mapping of names to settings, found \(node.kindDescription)"))
            return
        }
        for entry in entries {
            let entryKey = key.appending(entry.key)
            if let problem = Self.nameProblem(entry.key, in: key.last) {
                report(.error(entryKey, origin.at(entry.position), problem))
                continue
            }
            flatten(entry.value, at: entryKey, fields: fields, origin: origin, keyPosition: entry.position)
        }
    }

    /// Why `name` cannot name an entry of `group`, or nil. Profile names appear in
    /// `provider: name:model` and `fallback`, so they may not hold `:`; keeping them to
    /// letters, digits, `_` and `-` also keeps their git and environment spellings plain.
    static func nameProblem(_ name: String, in group: String) -> String? {
        if name.isEmpty { return "an empty name is not allowed" }
        if group == "providers", !ConfigKey.isPlainName(name) {
            return "a provider profile name may hold only letters, digits, '_' and '-'"
        }
        if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return "a name may not hold control characters"
        }
        return nil
    }

    /// An unknown key: an error when it looks like a secret, else a warning with a suggestion.
    private mutating func reportUnknown(_ key: ConfigKey, origin: ConfigOrigin, siblings: [String], spelling: (String) -> String = { $0 }) {
        // A near miss of a real key (`max_token`) is a typo, not a secret.
        let suggestion = Suggestion.closest(to: spelling(key.last), among: siblings.map(spelling))
        if suggestion == nil, ConfigSchema.looksLikeSecret(key.last) {
            let profile = key.segments.first == "providers" && key.segments.count == 3 ? key.parent : nil
            report(.error(key, origin, ConfigSchema.secretMessage(profileKey: profile)))
        } else {
            report(.warning(key, origin, "unknown key, ignored" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")))
        }
    }

    // MARK: Git configuration

    /// The `conductor.*` entries of git configuration, in the order libgit2 gives them
    /// (system, global, local…). A single-valued key takes its last value, as git does; a
    /// list (`verify`, `protect`, `fallback`, a command's argv) takes every value of the
    /// highest level that sets it, so a local list replaces a global one instead of
    /// growing it.
    public static func gitConfig(_ entries: [GitConfigEntry]) -> LayerSettings {
        var settings = LayerSettings(layer: .git)
        var lists: [ConfigKey: (scope: String, origin: ConfigOrigin, values: [ConfigNode])] = [:]
        var listOrder: [ConfigKey] = []
        for entry in entries {
            guard let key = ConfigKey(gitName: entry.name) else { continue }
            let origin = ConfigOrigin(layer: .git, source: entry.name, scope: entry.scope)
            guard let node = ConfigSchema.node(at: key) else {
                let siblings = ConfigSchema.fieldNames(under: key.parent)
                settings.reportUnknown(key, origin: origin, siblings: siblings) { $0.replacingUnderscores() }
                continue
            }
            guard case .leaf(let type) = node else {
                settings.report(.error(key, origin, "is a group of settings, not a value; set one of its keys, such as \(key.appending(ConfigSchema.fieldNames(under: key).first ?? "…").gitName)"))
                continue
            }
            // `[conductor] stream` with no `=` is git's spelling of true.
            let text = entry.value ?? (type == .boolean ? "true" : "")
            switch type {
            case .textList, .verifyList:
                // A higher level starts the list afresh.
                if lists[key]?.scope != entry.scope {
                    if lists[key] == nil { listOrder.append(key) }
                    lists[key] = (entry.scope, origin, [])
                }
                lists[key]!.values.append(.text(text))
                lists[key]!.origin = origin
            default:
                settings.setLeaf(key, .text(text), type: type, origin: origin)
            }
        }
        for key in listOrder {
            let list = lists[key]!
            settings.setLeaf(key, ConfigNode(.list(list.values)), type: ConfigSchema.type(at: key)!, origin: list.origin)
        }
        return settings
    }

    // MARK: Environment

    /// Variables that start with `CONDUCTOR_` but are not configuration: test hooks.
    public static let ignoredEnvironmentVariables: Set<String> = ["CONDUCTOR_CRASH_AT", "CONDUCTOR_BUILT_PRODUCTS"]

    /// The `CONDUCTOR_*` variables, matched against the spellings of the known keys: every
    /// fixed key, and the fields of each profile and price entry named in `lowerLayers` (a
    /// variable cannot say where a name ends, so names are never guessed from it). Lists are
    /// comma-separated.
    public static func environment(_ variables: [String: String], lowerLayers: [LayerSettings]) -> LayerSettings {
        var settings = LayerSettings(layer: .environment)
        let spellings = environmentSpellings(knownNames: knownEntryNames(in: lowerLayers))
        for name in variables.keys.sorted() where name.hasPrefix(ConfigKey.environmentPrefix) {
            guard !ignoredEnvironmentVariables.contains(name) else { continue }
            let value = variables[name]!
            let origin = ConfigOrigin(layer: .environment, source: name)
            guard let keys = spellings[name] else {
                settings.reportUnknownVariable(name, origin: origin, spellings: Array(spellings.keys))
                continue
            }
            guard keys.count == 1, let key = keys.first, let type = ConfigSchema.type(at: key) else {
                let listed = keys.map(\.description).sorted().joined(separator: " and ")
                settings.report(.error(nil, origin, "matches both \(listed); rename one of them, or set it in a file or git config"))
                continue
            }
            switch type {
            case .textList, .verifyList:
                let items = value.split(separator: ",").map { $0.trimmingSpaces() }.filter { !$0.isEmpty }
                settings.setLeaf(key, .texts(items), type: type, origin: origin)
            default:
                settings.setLeaf(key, .text(value), type: type, origin: origin)
            }
        }
        return settings
    }

    /// Names of the user's that lower layers (and the built-in profiles) define, by group.
    static func knownEntryNames(in layers: [LayerSettings]) -> [String: Set<String>] {
        var names: [String: Set<String>] = ["providers": Set(ConfigSchema.builtInProfileNames)]
        for layer in layers {
            for key in layer.settings.keys where key.segments.count >= 2 && key.isUserName(at: 1) {
                names[key.segments[0], default: []].insert(key.segments[1])
            }
        }
        return names
    }

    /// Environment spelling → the keys it could mean (more than one is a clash to report).
    static func environmentSpellings(knownNames: [String: Set<String>]) -> [String: [ConfigKey]] {
        var spellings: [String: [ConfigKey]] = [:]
        for key in ConfigSchema.fixedLeafKeys { spellings[key.environmentName, default: []].append(key) }
        for group in ConfigSchema.entryGroups {
            for name in (knownNames[group.name] ?? []).sorted() {
                for field in group.fields {
                    let key = ConfigKey([group.name, name, field.name])
                    spellings[key.environmentName, default: []].append(key)
                }
            }
        }
        return spellings
    }

    private mutating func reportUnknownVariable(_ name: String, origin: ConfigOrigin, spellings: [String]) {
        let body = String(name.dropFirst(ConfigKey.environmentPrefix.count))
        let suggestion = Suggestion.closest(to: name, among: spellings)
        if suggestion == nil, ConfigSchema.looksLikeSecret(body) {
            report(.error(nil, origin, ConfigSchema.secretMessage(profileKey: nil)))
            return
        }
        for group in ConfigSchema.entryGroups {
            let prefix = group.name.uppercased() + "_"
            guard body.hasPrefix(prefix),
                  let field = group.fields.first(where: { body.hasSuffix("_" + $0.name.uppercased()) })
            else { continue }
            let spelt = body.dropFirst(prefix.count).dropLast(field.name.count + 1)
            if ConfigSchema.looksLikeSecret(field.name) { break }
            report(.warning(nil, origin, "no \(group.name) entry is spelt \(spelt) in the defaults, files or git config, so this variable is ignored; define \(group.name).<name> there first"))
            return
        }
        report(.warning(nil, origin, "not a configuration variable, ignored" + (suggestion.map { "; did you mean \($0)?" } ?? "")))
    }

    // MARK: Flags

    /// Values from the command line, by dotted key (`mode`, `budgets.max_iterations`,
    /// `verify`). A key the schema does not know is an error: flags are the program's own.
    public static func flags(_ values: [String: ConfigNode]) -> LayerSettings {
        var settings = LayerSettings(layer: .flag)
        for name in values.keys.sorted() {
            let origin = ConfigOrigin(layer: .flag, source: name)
            guard let key = ConfigKey(parsing: name), let type = ConfigSchema.type(at: key) else {
                let known = ConfigSchema.fixedLeafKeys.map(\.description)
                settings.report(.error(nil, origin, "not a configuration key" + Suggestion.phrase(for: name, among: known)))
                continue
            }
            settings.setLeaf(key, values[name]!, type: type, origin: origin)
        }
        return settings
    }
}

/// One `conductor.*` entry of git configuration, as read from git.
public struct GitConfigEntry: Sendable, Equatable {
    /// The name as git normalises it: section and variable lower case, subsection as written.
    public let name: String
    /// Nil for a key written without `=` (git's true).
    public let value: String?
    /// The file level: `system`, `global`, `local`, `worktree`…
    public let scope: String

    public init(name: String, value: String?, scope: String) {
        self.name = name
        self.value = value
        self.scope = scope
    }
}

extension Substring {
    func trimmingSpaces() -> String {
        String(drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
    }
}

extension ConfigNode: ExpressibleByStringLiteral, ExpressibleByArrayLiteral {
    /// Unquoted text, as a flag's value.
    public init(stringLiteral value: String) {
        self = .text(value)
    }

    /// A list of unquoted texts, as a repeated flag's values.
    public init(arrayLiteral elements: String...) {
        self = .texts(elements)
    }
}
