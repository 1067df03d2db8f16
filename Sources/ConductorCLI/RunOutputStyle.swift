/// How `git conductor run` shows a run as it happens, chosen once from the flags, whether
/// standard output is a terminal, and the environment.
enum RunOutputStyle: Sendable, Equatable {
    /// One plain line per update and no escape codes: what pipes, files, CI logs and the
    /// tests get, and what `--no-progress` asks for on a terminal.
    case plain
    /// One JSON object per update (`--json`), for scripts.
    case json
    /// The plain lines, kept as a transcript, above a status line redrawn in place; state
    /// names are coloured when `colour` is on.
    case live(colour: Bool)

    static func choose(json: Bool, noProgress: Bool, standardOutputIsTerminal: Bool, environment: [String: String]) -> RunOutputStyle {
        if json { return .json }
        // A dumb terminal (Emacs' shell, some CI consoles) would print the erase-line code
        // literally, so it gets the plain lines too.
        guard standardOutputIsTerminal, !noProgress, !isDumb(environment) else { return .plain }
        return .live(colour: colourAllowed(environment))
    }

    /// Colour unless `NO_COLOR` is set to anything non-empty (https://no-color.org) or the
    /// terminal is dumb. Only asked on a terminal: nothing is ever coloured off one.
    static func colourAllowed(_ environment: [String: String]) -> Bool {
        (environment["NO_COLOR"] ?? "").isEmpty && !isDumb(environment)
    }

    private static func isDumb(_ environment: [String: String]) -> Bool {
        environment["TERM"] == "dumb"
    }
}
