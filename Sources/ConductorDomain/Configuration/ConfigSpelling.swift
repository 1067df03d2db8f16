/// How a key is spelt where `_` is not allowed or everything is upper case: git configuration
/// (`conductor.budgets.max-tokens`) and the environment (`CONDUCTOR_BUDGETS_MAX_TOKENS`).
///
/// The names of the schema change spelling; names of the user's (a profile, a model under
/// `prices`) are kept as they are in git, where they sit in the case-sensitive subsection
/// (`conductor.providers.my_proxy.base-url`), and are upper-cased with every other character
/// turned into `_` in the environment, where they are matched against the names lower layers
/// define rather than guessed.
extension ConfigKey {
    /// The section every git configuration key of ours lives in.
    public static let gitSection = "conductor"
    /// The prefix every environment variable of ours starts with.
    public static let environmentPrefix = "CONDUCTOR_"

    /// `conductor.budgets.max-tokens`, `conductor.providers.openai.base-url`,
    /// `conductor.prices.gpt-4.1.input-per-mtok`.
    public var gitName: String {
        let spelt = segments.enumerated().map { index, segment in
            isUserName(at: index) ? segment : segment.replacingUnderscores()
        }
        return ([Self.gitSection] + spelt).joined(separator: ".")
    }

    /// The key a git configuration name stands for, read the way git reads names: the
    /// section before the first dot, the variable after the last, the subsection between.
    /// Nil unless the section is `conductor`. The key may still be unknown to the schema.
    public init?(gitName: String) {
        guard let firstDot = gitName.firstIndex(of: "."),
              gitName[..<firstDot].lowercased() == Self.gitSection,
              let lastDot = gitName.lastIndex(of: ".")
        else { return nil }
        let variable = String(gitName[gitName.index(after: lastDot)...]).lowercased().replacingDashes()
        guard !variable.isEmpty else { return nil }
        guard lastDot > firstDot else {
            self.init([variable])
            return
        }
        let subsection = gitName[gitName.index(after: firstDot)..<lastDot]
        let groupEnd = subsection.firstIndex(of: ".") ?? subsection.endIndex
        let group = String(subsection[..<groupEnd]).lowercased().replacingDashes()
        let rest = groupEnd < subsection.endIndex ? String(subsection[subsection.index(after: groupEnd)...]) : nil
        if let rest {
            if ConfigSchema.entryGroups.contains(where: { $0.name == group }) {
                self.init([group, rest, variable])
            } else {
                self.init([group] + rest.split(separator: ".", omittingEmptySubsequences: false).map(String.init) + [variable])
            }
        } else {
            self.init([group, variable])
        }
    }

    /// `CONDUCTOR_BUDGETS_MAX_TOKENS`, `CONDUCTOR_PROVIDERS_MY_PROXY_BASE_URL`.
    public var environmentName: String {
        Self.environmentPrefix + segments.enumerated().map { index, segment in
            isUserName(at: index) ? Self.environmentSpelling(ofName: segment) : segment.uppercased()
        }.joined(separator: "_")
    }

    /// A name of the user's as it appears in an environment variable: upper case, with every
    /// character other than a letter or digit turned into `_` (`gpt-4.1` → `GPT_4_1`).
    public static func environmentSpelling(ofName name: String) -> String {
        String(String.UnicodeScalarView(name.unicodeScalars.map { $0.isASCIIAlphanumeric ? $0 : "_" })).uppercased()
    }

    /// Whether the segment at `index` is a name of the user's: the one right under
    /// `providers` or `prices`.
    func isUserName(at index: Int) -> Bool {
        index == 1 && ConfigSchema.entryGroups.contains { $0.name == segments[0] }
    }
}

extension String {
    func replacingUnderscores() -> String {
        String(map { $0 == "_" ? "-" : $0 })
    }
}
