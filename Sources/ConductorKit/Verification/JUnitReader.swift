import ConductorDomain
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Why a JUnit XML file gave no counts.
public enum JUnitError: Error, Equatable, CustomStringConvertible {
    case unreadable(path: String, detail: String)
    case tooLarge(path: String, bytes: Int)
    case malformed(path: String, line: Int, detail: String)
    /// Well-formed XML without any `testsuites`, `testsuite` or `testcase` element.
    case notJUnit(path: String)

    public var description: String {
        switch self {
        case let .unreadable(path, detail): "cannot read JUnit file \(path): \(detail)"
        case let .tooLarge(path, bytes): "JUnit file \(path) is too large to read (\(bytes) bytes)"
        case let .malformed(path, line, detail): "JUnit file \(path) is not well-formed XML (line \(line)): \(detail)"
        case .notJUnit(let path): "\(path) is XML but not a JUnit report"
        }
    }
}

/// Reads test counts from JUnit XML with Foundation's `XMLParser`; the counting rules are
/// ``JUnitTally``'s. This lives here rather than in ConductorDomain because the domain stays
/// free of Foundation, and a correct XML tokenizer (entities, CDATA, encodings) is not worth
/// rewriting.
public enum JUnitReader {
    /// Files above this size are refused rather than read into memory.
    public static let maximumBytes = 64 * 1024 * 1024

    public static func counts(atPath path: String) throws(JUnitError) -> TestCounts {
        let data: Data
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
            guard size <= maximumBytes else { throw JUnitError.tooLarge(path: path, bytes: size) }
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch let error as JUnitError {
            throw error
        } catch {
            throw .unreadable(path: path, detail: (error as NSError).localizedDescription)
        }
        return try counts(in: data, path: path)
    }

    /// Counts in `data`; `path` only names the file in errors.
    public static func counts(in data: Data, path: String = "JUnit XML") throws(JUnitError) -> TestCounts {
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        parser.shouldProcessNamespaces = false
        let delegate = TallyingDelegate()
        parser.delegate = delegate
        // On Linux `parse()` can return true after recovering from an error, so errors are
        // also collected from the delegate: a truncated file must not pass for an empty report.
        let succeeded = parser.parse()
        if let error = delegate.firstError ?? (succeeded ? nil : (parser.parserError.map { ($0 as NSError).code }, parser.lineNumber)) {
            throw .malformed(path: path, line: error.line, detail: Self.describe(code: error.code))
        }
        guard let counts = delegate.tally.counts else { throw .notJUnit(path: path) }
        return counts
    }
}

extension JUnitReader {
    /// Words for the `XMLParser` error codes a broken report produces; the framework's own
    /// messages are empty on Linux.
    static func describe(code: Int?) -> String {
        switch code {
        case 4?: "the document is empty"
        case 5?: "the document ends early"
        case 73?: "'>' expected"
        case 76?: "an end tag does not match its start tag"
        case let code?: "XML parser error \(code)"
        case nil: "unknown XML error"
        }
    }
}

/// Feeds `XMLParser`'s callbacks to a ``JUnitTally``. Used on one thread, for one parse.
private final class TallyingDelegate: NSObject, XMLParserDelegate {
    var tally = JUnitTally()
    /// The first error reported, with the line it was found on.
    var firstError: (code: Int?, line: Int)?

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        if firstError == nil { firstError = ((parseError as NSError).code, parser.lineNumber) }
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
        qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
    ) {
        tally.start(elementName, attributes: attributeDict)
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        tally.end(elementName)
    }
}
