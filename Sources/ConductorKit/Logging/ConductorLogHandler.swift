import ConductorDomain
import Foundation
import Logging

/// A swift-log handler writing to the clone's log (`.git/conductor/logs/conductor.log`),
/// as text or as one JSON object a line, every message and value passed through the
/// redactor first, so that no credential reaches the log.
public struct ConductorLogHandler: LogHandler {
    public enum Format: String, Sendable, CaseIterable {
        case text, json
    }

    let file: RotatingLogFile
    let format: Format
    let label: String
    let redactor: SecretRedactor
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]

    public init(label: String, file: RotatingLogFile, format: Format, level: Logger.Level, redactor: SecretRedactor) {
        self.label = label
        self.file = file
        self.format = format
        self.logLevel = level
        self.redactor = redactor
    }

    /// The log of the clone `repository` belongs to.
    public static func logger(for repository: ConductorRepository, format: Format, level: Logger.Level) -> Logger {
        let directory = repository.privateDirectory + "/logs"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let file = RotatingLogFile(path: directory + "/conductor.log")
        let redactor = SecretRedactor(environment: repository.environment)
        return Logger(label: "git-conductor") { label in
            ConductorLogHandler(label: label, file: file, format: format, level: level, redactor: redactor)
        }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let fields = merged.mapValues { redactor.redact($0.description) }
        let time = Timestamp(milliseconds: Int64(Date().timeIntervalSince1970 * 1000)).description
        let message = redactor.redact(event.message.description)
        switch format {
        case .text:
            let values = fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            file.append("\(time) \(event.level) \(message)" + (values.isEmpty ? "" : " \(values)"))
        case .json:
            var object: [String: String] = fields
            object["time"] = time
            object["level"] = event.level.rawValue
            object["label"] = label
            object["message"] = message
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            if let data = try? encoder.encode(object) { file.append(String(decoding: data, as: UTF8.self)) }
        }
    }
}
