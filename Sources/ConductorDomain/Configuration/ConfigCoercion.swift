/// Turns what a layer wrote (``ConfigNode``) into a typed ``ConfigValue`` for one key, or says
/// why it cannot. The same rules serve every layer, so `8`, `"8"` and `CONDUCTOR_X=8` mean
/// the same wherever a number is wanted; only YAML can quote, and a quoted `"8"` stays text.
struct ConfigCoercion {
    let key: ConfigKey
    let origin: ConfigOrigin
    var problems: [ConfigurationProblem] = []

    init(key: ConfigKey, origin: ConfigOrigin) {
        self.key = key
        self.origin = origin
    }

    /// The typed value, or nil after recording a problem.
    mutating func value(_ node: ConfigNode, as type: ConfigSchema.ValueType) -> ConfigValue? {
        switch type {
        case .text(let nullable):
            return text(node, nullable: nullable, key: key)
        case .integer(let minimum, let nullable):
            return integer(node, minimum: minimum, nullable: nullable, key: key)
        case .number(let minimum, let exclusive, let nullable):
            return number(node, minimum: minimum, exclusive: exclusive, nullable: nullable, key: key)
        case .boolean:
            return boolean(node, key: key)
        case .choice(let choices, let nullable):
            return choice(node, among: choices, nullable: nullable, key: key)
        case .textList:
            return list(node) { (coercion: inout ConfigCoercion, item, itemKey) in
                coercion.text(item, nullable: false, key: itemKey)
            }
        case .verifyList:
            return list(node) { (coercion: inout ConfigCoercion, item, itemKey) in
                coercion.verifyCommand(item, key: itemKey)
            }
        }
    }

    // MARK: Scalars

    private mutating func fail(_ key: ConfigKey, _ node: ConfigNode?, _ message: String) -> ConfigValue? {
        problems.append(.error(key, origin.at(node?.position), message))
        return nil
    }

    /// The text of a scalar, or nil after recording that a list or mapping was found.
    private mutating func scalar(_ node: ConfigNode, expected: String, key: ConfigKey) -> (text: String, quoted: Bool)? {
        guard case .scalar(let text, let quoted) = node.content else {
            _ = fail(key, node, "expected \(expected), found \(node.kindDescription)")
            return nil
        }
        return (text, quoted)
    }

    private mutating func nullOrFail(_ nullable: Bool, _ node: ConfigNode, key: ConfigKey, expected: String) -> ConfigValue? {
        nullable ? .null : fail(key, node, "expected \(expected), found null; leave the key out to keep the default")
    }

    mutating func text(_ node: ConfigNode, nullable: Bool, key: ConfigKey) -> ConfigValue? {
        guard let (text, quoted) = scalar(node, expected: "text", key: key) else { return nil }
        if node.isNull { return nullOrFail(nullable, node, key: key, expected: "text") }
        if quoted, text.isEmpty {
            return fail(key, node, nullable ? "is empty; write null (or leave the key out) for no value" : "must not be empty")
        }
        return .string(text)
    }

    mutating func integer(_ node: ConfigNode, minimum: Int, nullable: Bool, key: ConfigKey) -> ConfigValue? {
        let expected = nullable ? "a whole number or null" : "a whole number"
        guard let (text, quoted) = scalar(node, expected: expected, key: key) else { return nil }
        if node.isNull { return nullOrFail(nullable, node, key: key, expected: expected) }
        guard !quoted, let value = Self.parseInteger(text) else {
            return fail(key, node, "expected \(expected), found \(node.kindDescription)")
        }
        guard value >= minimum else { return fail(key, node, "must be at least \(minimum), not \(value)") }
        return .integer(value)
    }

    mutating func number(_ node: ConfigNode, minimum: Double, exclusive: Bool, nullable: Bool, key: ConfigKey) -> ConfigValue? {
        let expected = nullable ? "a number or null" : "a number"
        guard let (text, quoted) = scalar(node, expected: expected, key: key) else { return nil }
        if node.isNull { return nullOrFail(nullable, node, key: key, expected: expected) }
        guard !quoted else { return fail(key, node, "expected \(expected), found \(node.kindDescription)") }
        let value: ConfigValue
        if let whole = Self.parseInteger(text) {
            value = .integer(whole)
        } else if let fraction = Double(text.filter { $0 != "_" }), fraction.isFinite {
            value = .number(fraction)
        } else {
            return fail(key, node, "expected \(expected), found \(node.kindDescription)")
        }
        let number = value.number!
        let bound = minimum == minimum.rounded() ? String(Int(minimum)) : String(minimum)
        if exclusive ? number <= minimum : number < minimum {
            return fail(key, node, "must be \(exclusive ? "greater than" : "at least") \(bound), not \(value)")
        }
        return value
    }

    mutating func boolean(_ node: ConfigNode, key: ConfigKey) -> ConfigValue? {
        guard let (text, quoted) = scalar(node, expected: "true or false", key: key) else { return nil }
        if !quoted {
            switch text.lowercased() {
            case "true", "yes", "on", "1": return .bool(true)
            case "false", "no", "off", "0": return .bool(false)
            default: break
            }
        }
        return fail(key, node, "expected true or false, found \(node.kindDescription)")
    }

    mutating func choice(_ node: ConfigNode, among choices: [String], nullable: Bool, key: ConfigKey) -> ConfigValue? {
        let expected = "one of " + choices.joined(separator: ", ")
        guard let (text, _) = scalar(node, expected: expected, key: key) else { return nil }
        if node.isNull { return nullOrFail(nullable, node, key: key, expected: expected) }
        guard choices.contains(text) else {
            return fail(key, node, "must be \(expected), not \(node.kindDescription)" + Suggestion.phrase(for: text, among: choices))
        }
        return .string(text)
    }

    // MARK: Lists

    /// A list of items; a single scalar is a list of one, and null an empty list.
    private mutating func list(
        _ node: ConfigNode, item: (inout ConfigCoercion, ConfigNode, ConfigKey) -> ConfigValue?
    ) -> ConfigValue? {
        let items: [ConfigNode]
        switch node.content {
        case .list(let nodes): items = nodes
        case .scalar where node.isNull: items = []
        case .scalar: items = [node]
        case .map: return fail(key, node, "expected a list, found a mapping")
        }
        var values: [ConfigValue] = []
        var failed = false
        for (index, element) in items.enumerated() {
            let itemKey = ConfigKey(key.segments.dropLast() + ["\(key.last)[\(index)]"])
            if let value = item(&self, element, itemKey) { values.append(value) } else { failed = true }
        }
        return failed ? nil : .list(values)
    }

    static let verifyFields = ["command", "timeout_seconds", "junit"]

    /// `swift test`, or `{command: swift test, timeout_seconds: 300, junit: build/junit.xml}`.
    mutating func verifyCommand(_ node: ConfigNode, key: ConfigKey) -> ConfigValue? {
        guard case .map(let entries) = node.content else {
            guard case .scalar = node.content, !node.isNull else {
                return fail(key, node, "expected a command line or {command, timeout_seconds, junit}, found \(node.kindDescription)")
            }
            return text(node, nullable: false, key: key)
        }
        var fields: [String: ConfigValue] = [:]
        var failed = false
        for entry in entries {
            let fieldKey = key.appending(entry.key)
            let value: ConfigValue?
            switch entry.key {
            case "command": value = text(entry.value, nullable: false, key: fieldKey)
            case "timeout_seconds": value = integer(entry.value, minimum: 1, nullable: false, key: fieldKey)
            case "junit": value = text(entry.value, nullable: true, key: fieldKey)
            default:
                problems.append(.warning(
                    fieldKey, origin.at(entry.position),
                    "unknown key, ignored" + Suggestion.phrase(for: entry.key, among: Self.verifyFields)
                ))
                continue
            }
            if let value { fields[entry.key] = value } else { failed = true }
        }
        guard fields["command"] != nil else {
            return failed ? nil : fail(key, node, "a verify command written as a mapping needs a 'command'")
        }
        guard !failed else { return nil }
        return .map(Self.verifyFields.compactMap { name in fields[name].map { ConfigValue.Field(name, $0) } })
    }

    // MARK: Parsing

    /// A decimal integer, with an optional sign and `_` between digits (`30_000`).
    static func parseInteger(_ text: String) -> Int? {
        var digits = text
        if digits.hasPrefix("+") { digits.removeFirst() }
        guard !digits.hasPrefix("_"), !digits.hasSuffix("_") else { return nil }
        return Int(digits.filter { $0 != "_" })
    }
}
