import ConductorDomain
import Foundation
import Mustache

/// Renders a run's pull-request description: Markdown through a Mustache template (the
/// built-in one, or the user's), or the ``RunDigest`` as JSON. The Markdown always fits
/// GitHub's limit: when a rendering is too long, the long sections are cut further
/// (``PullRequestView/Detail``), and each cut says what it left out.
public struct PullRequestBody {
    /// GitHub refuses pull-request bodies longer than this many characters.
    public static let limit = 65_536

    /// The layout of the built-in body; `pr-body --print-template` prints it as a starting
    /// point for `--template`, and docs/pr-body.md lists the variables it may use.
    public static let builtInTemplate = """
        # {{{title}}}

        {{{summary}}}

        {{#has_plan}}
        {{{plan}}}

        {{/has_plan}}
        {{{changes}}}

        {{{verification}}}

        {{#has_iterations}}
        {{{iterations}}}

        {{/has_iterations}}
        {{{provenance}}}

        {{{marker}}}

        """

    let template: MustacheTemplate
    let redact: @Sendable (String) -> String

    /// `templateText` defaults to the built-in layout; `source` names it in errors.
    public init(templateText: String = Self.builtInTemplate, source: String = "the built-in template", redact: @escaping @Sendable (String) -> String) throws(ConductorError) {
        do {
            template = try MustacheTemplate(string: templateText)
        } catch let error as MustacheTemplate.ParserError {
            throw .invalidTemplate(path: source, line: error.context.lineNumber, column: error.context.columnNumber, detail: "\(error.error)")
        } catch {
            throw .invalidTemplate(path: source, line: nil, column: nil, detail: "\(error)")
        }
        self.redact = redact
    }

    /// The Markdown body, at most ``limit`` characters.
    public func markdown(for digest: RunDigest) -> String {
        var body = ""
        for detail in PullRequestView.Detail.allCases {
            body = template.render(Self.mustacheValue(.object(PullRequestView(digest, detail: detail, redact: redact).context)))
            if body.count <= Self.limit { return body }
        }
        // A template that prints enormous recorded text on its own still gets cut, and says so.
        let note = "\n\n_This description was cut at GitHub's limit; `git conductor pr-body \(digest.run)` prints it whole._\n"
        return String(body.prefix(Self.limit - note.count)) + note
    }

    /// The digest as JSON (schema in docs/pr-body.md), with recorded text redacted.
    public func json(for digest: RunDigest) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(digest)) ?? Data()
        return redact(String(decoding: data, as: UTF8.self))
    }

    /// Recorded text goes in with its control characters shown (``TerminalText/visible(_:)``):
    /// `pr-body` prints the body on a terminal, and a pull request has no use for them either.
    static func mustacheValue(_ value: TemplateValue) -> Any {
        switch value {
        case .text(let text): TerminalText.visible(text)
        case .flag(let flag): flag
        case .list(let items): items.map { item in item.mapValues(mustacheValue) }
        case .object(let object): object.mapValues(mustacheValue)
        }
    }
}
