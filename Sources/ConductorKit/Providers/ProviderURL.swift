import Foundation

/// Checks the URLs in provider settings before any call, so that a typo is reported once,
/// at construction, instead of being retried as a connection failure.
enum ProviderURL {
    /// `text` without trailing slashes, when it is an absolute http(s) URL with a host.
    static func base(_ text: String, setting: String, provider: String) throws(ProviderError) -> String {
        var trimmed = text.trimmingCharacters(in: .whitespaces)
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty, url.query == nil
        else {
            throw .transport(provider: provider, detail: "\(setting) '\(text)' is not an http or https URL")
        }
        return trimmed
    }

    /// `text` made safe as one path segment (an Azure deployment name).
    static func segment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? text
    }

    /// `text` made safe as a query value.
    static func queryValue(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+#"))) ?? text
    }
}
