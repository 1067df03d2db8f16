import ConductorDomain

/// A compact way to write the YAML trees the tests feed to the domain: `.m(["mode": .s("fast")])`.
/// Every mapping key gets a position: line = its index among all keys written so far + 1,
/// column 1, so tests can check that origins carry the line of the key.
indirect enum Tree {
    /// A plain scalar (`8`, `fast`, `null`).
    case s(String)
    /// A quoted scalar (`"8"`).
    case q(String)
    case l([Tree])
    case m(KeyValuePairs<String, Tree>)

    func node(lines: inout Int) -> ConfigNode {
        switch self {
        case .s(let text): return .text(text)
        case .q(let text): return ConfigNode(.scalar(text, quoted: true))
        case .l(let items): return ConfigNode(.list(items.map { $0.node(lines: &lines) }))
        case .m(let pairs):
            var entries: [ConfigNode.Entry] = []
            for (key, value) in pairs {
                lines += 1
                let position = SourcePosition(line: lines, column: 1)
                entries.append(ConfigNode.Entry(key: key, position: position, value: value.node(lines: &lines)))
            }
            return ConfigNode(.map(entries))
        }
    }

    var node: ConfigNode {
        var lines = 0
        return node(lines: &lines)
    }
}

/// A file layer from a tree.
func fileLayer(_ tree: Tree, _ layer: ConfigLayer = .repository, file: String = "conductor.yml") -> LayerSettings {
    LayerSettings.document(tree.node, layer: layer, file: file)
}

/// Defaults plus the given layers, resolved.
func resolve(_ layers: LayerSettings...) -> ConfigurationReport {
    ConfigurationResolver.resolve([LayerSettings.defaults] + layers)
}

extension ConfigurationReport {
    /// The setting at a dotted key.
    subscript(key: String) -> EffectiveSetting? {
        settings.first { $0.key == ConfigKey(stringLiteral: key) }
    }

    /// Every problem, as printed.
    var messages: [String] { problems.map(\.description) }
}

extension LayerSettings {
    subscript(key: String) -> ConfigSetting? {
        settings[ConfigKey(stringLiteral: key)]
    }
}
