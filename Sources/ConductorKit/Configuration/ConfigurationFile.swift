import ConductorDomain
import Foundation
import Yams

/// Reads one YAML configuration file (the user file or `conductor.yml`) into a layer.
///
/// Yams is used at the level of its node tree rather than `Decodable`, because the tree
/// keeps every key's line and column, and the domain's schema, not a Swift type, decides
/// what each value means; the messages can then name file, line, column and key alike.
public enum ConfigurationFile {
    /// What became of a file: read, absent (which is fine: every layer is optional), or
    /// unusable (the layer then holds the problem).
    public enum Status: Sendable, Equatable {
        case read
        case absent
        case unreadable
    }

    /// The file's layer, or an empty one when the file does not exist. A file that cannot
    /// be read or parsed gives a layer holding that error, so that it is reported with all
    /// the others instead of hiding them.
    public static func load(path: String, layer: ConfigLayer) -> (settings: LayerSettings, status: Status) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return (LayerSettings(layer: layer), .absent)
        }
        let origin = ConfigOrigin(layer: layer, source: path)
        var settings = LayerSettings(layer: layer)
        guard !isDirectory.boolValue else {
            settings.report(.error, origin: origin, "is a directory, not a configuration file")
            return (settings, .unreadable)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            settings.report(.error, origin: origin, "cannot be read (check its permissions)")
            return (settings, .unreadable)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            settings.report(.error, origin: origin, "is not UTF-8 text")
            return (settings, .unreadable)
        }
        return (parse(text, path: path, layer: layer), .read)
    }

    /// The layer a YAML text gives, with YAML errors located by line and column.
    public static func parse(_ text: String, path: String, layer: ConfigLayer) -> LayerSettings {
        let origin = ConfigOrigin(layer: layer, source: path)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            var settings = LayerSettings(layer: layer)
            let (position, message) = describe(error)
            settings.report(.error, origin: origin.at(position), message)
            return settings
        } catch {
            var settings = LayerSettings(layer: layer)
            settings.report(.error, origin: origin, "is not valid YAML: \(error)")
            return settings
        }
        guard let root else { return LayerSettings.document(nil, layer: layer, file: path) }
        if case .mapping = root {} else if !isNull(root) {
            var settings = LayerSettings(layer: layer)
            settings.report(.error, origin: origin.at(position(root.mark)), "expected a mapping of keys to values at the top of the file")
            return settings
        }
        return LayerSettings.document(node(root), layer: layer, file: path)
    }

    // MARK: Yams to the domain

    /// The domain's view of a YAML node: scalars stay text, marked as quoted when YAML would
    /// never read them as anything but a string.
    static func node(_ yaml: Node) -> ConfigNode {
        let position = position(yaml.mark)
        switch yaml {
        case .scalar(let scalar):
            let quoted = scalar.style != .plain || scalar.tag.rawValue == Tag.Name.str.rawValue
            return ConfigNode(.scalar(scalar.string, quoted: quoted), position: position)
        case .sequence(let sequence):
            return ConfigNode(.list(sequence.map(node)), position: position)
        case .mapping(let mapping):
            let entries = mapping.map { pair in
                ConfigNode.Entry(key: pair.key.string ?? "\(pair.key)", position: Self.position(pair.key.mark), value: node(pair.value))
            }
            return ConfigNode(.map(entries), position: position)
        case .alias(let alias):
            // Yams resolves aliases while composing; an unresolved one reads as its anchor's name.
            return ConfigNode(.scalar("*\(alias.anchor)", quoted: true), position: position)
        }
    }

    static func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    static func position(_ mark: Mark?) -> SourcePosition? {
        mark.map { SourcePosition(line: $0.line, column: $0.column) }
    }

    /// Where a YAML error is and what it says, without the snippet Yams appends (the
    /// position says where to look).
    static func describe(_ error: YamlError) -> (SourcePosition?, String) {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            let while_ = context.map { " (\($0.text))" } ?? ""
            return (position(mark), "is not valid YAML: \(problem)\(while_)")
        case let .duplicatedKeysInMapping(duplicates, context):
            let keys = duplicates.sorted().map { "'\($0)'" }.joined(separator: ", ")
            return (position(context.mark), "is not valid YAML: the key \(keys) appears more than once in one mapping")
        case let .reader(problem, _, _, _):
            return (nil, "is not valid YAML: \(problem)")
        default:
            return (nil, "is not valid YAML: \(error)")
        }
    }
}

extension ConfigurationFile {
    /// Writes the commented `conductor.yml` template (every key at its default, commented
    /// out) at the root of the repository's working tree, unless one exists or there is no
    /// working tree. Returns the path written, or nil.
    public static func writeTemplate(in repository: ConductorRepository) throws(ConductorError) -> String? {
        guard let root = repository.git.workingDirectory else { return nil }
        let path = (root.hasSuffix("/") ? root : root + "/") + ConfigurationLoader.repositoryFileName
        guard !FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            try Data(ConfigurationTemplate.text.utf8).write(to: URL(fileURLWithPath: path), options: .withoutOverwriting)
        } catch {
            throw .fileSystem(path: path, detail: error.localizedDescription)
        }
        return path
    }
}
