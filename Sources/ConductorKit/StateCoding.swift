import ConductorDomain
import Foundation

/// The one place that decides how state files are serialised, so every writer produces
/// byte-identical files for identical content (and two machines agree on blob ids).
enum StateCoding {
    /// Decoders are reused: creating one per file costs more than decoding a small event.
    private static let decoder = JSONDecoder()
    private static let lineEncoder = makeEncoder([.sortedKeys, .withoutEscapingSlashes])
    private static let documentEncoder = makeEncoder([.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])

    /// Compact, sorted keys, ending with a newline: events and small records.
    static func line<Value: Encodable>(_ value: Value) -> [UInt8] {
        encode(value, with: lineEncoder)
    }

    /// Indented, sorted keys, ending with a newline: files people read (`run.json`, `format.json`).
    static func document<Value: Encodable>(_ value: Value) -> [UInt8] {
        encode(value, with: documentEncoder)
    }

    static func decode<Value: Decodable>(_ type: Value.Type, from bytes: [UInt8], path: String) throws(ConductorError) -> Value {
        do {
            return try decoder.decode(type, from: Data(bytes))
        } catch let error as DecodingError {
            throw .corruptState(path: path, detail: describe(error))
        } catch {
            throw .corruptState(path: path, detail: "\(error)")
        }
    }

    private static func makeEncoder(_ formatting: JSONEncoder.OutputFormatting) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = formatting
        return encoder
    }

    private static func encode<Value: Encodable>(_ value: Value, with encoder: JSONEncoder) -> [UInt8] {
        // Our state types encode only strings, numbers and arrays; failure would be a programming error.
        guard let data = try? encoder.encode(value) else { preconditionFailure("unencodable state value \(Value.self)") }
        return Array(data) + [UInt8(ascii: "\n")]
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? "not valid JSON" : "\(path): \(context.debugDescription)"
        case .keyNotFound(let key, _):
            return "missing key '\(key.stringValue)'"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(context.codingPath.map(\.stringValue).joined(separator: ".")): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
