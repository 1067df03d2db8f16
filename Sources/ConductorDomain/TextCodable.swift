/// A value stored in JSON as one validated string: run ids, machine ids, timestamps.
/// Decoding goes through the same validating initialiser as user input, so a state file can
/// never smuggle in a value the type itself would refuse.
public protocol TextCodable: Codable {
    /// What the value is called in a decoding error ("run id").
    static var codingName: String { get }
    init?(_ text: String)
    var rawValue: String { get }
}

extension TextCodable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Self(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a \(Self.codingName): \(text)"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
