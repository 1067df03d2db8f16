import ConductorDomain
import Foundation
import Testing

/// docs/configuration.md is the reference users read; these tests hold it to the schema.
@Suite("Configuration docs")
struct ConfigurationDocsTests {
    static func docs() throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return try String(contentsOf: root.appendingPathComponent("docs/configuration.md"), encoding: .utf8)
    }

    @Test("every fixed key has a row whose default matches the schema's")
    func keys() throws {
        let docs = try Self.docs()
        let rows = docs.split(separator: "\n").filter { $0.hasPrefix("| `") }
        let defaults = Dictionary(ConfigSchema.defaults.map { ($0.0, $0.1) }) { first, _ in first }
        for key in ConfigSchema.fixedLeafKeys {
            let row = rows.first { $0.hasPrefix("| `\(key)` |") }
            guard let row else {
                Issue.record("docs/configuration.md has no row for \(key)")
                continue
            }
            let value = try #require(defaults[key], "no default for \(key)")
            let expected = switch value {
            case .null: "null"
            case .list(let items) where items.isEmpty: "`[]`"
            default: "`\(value)`"
            }
            #expect(row.contains(expected), "the row for \(key) should give its default \(expected): \(row)")
        }
    }

    @Test("every profile field, price field and built-in profile is described")
    func fields() throws {
        let docs = try Self.docs()
        for field in ConfigSchema.profileFields + ConfigSchema.priceFields {
            #expect(docs.contains("`\(field.name)`"), "docs/configuration.md does not mention \(field.name)")
        }
        for profile in ConfigSchema.builtInProfiles {
            let row = docs.split(separator: "\n").first { $0.hasPrefix("| `\(profile.name)` |") }
            #expect(row != nil, "no row for the built-in profile \(profile.name)")
            for (field, value) in profile.fields where field != "kind" {
                #expect(row?.contains("`\(field): \(value)`") == true, "the \(profile.name) row should give \(field): \(value)")
            }
        }
    }
}
