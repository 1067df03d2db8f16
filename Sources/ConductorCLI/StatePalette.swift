import ConductorDomain

/// Colours for state names on a terminal, so the outcome of a run (and trouble on the way)
/// stands out in a scrolling transcript: green for success, red for failure, yellow for
/// states that need attention, cyan for ordinary work. Pure: callers decide whether colour
/// is on (``RunOutputStyle``), and with it off the text is returned unchanged.
enum StatePalette {
    /// The ANSI select-graphic-rendition parameters for `state`.
    static func code(for state: RunState) -> String {
        switch state {
        case .complete: "1;32"
        case .failed: "1;31"
        case .repairing, .paused, .cancelled, .awaitingApproval: "33"
        case .precheck, .planning, .building, .verifying: "36"
        }
    }

    /// The state's name, coloured when `colour` is on.
    static func paint(_ state: RunState, colour: Bool) -> String {
        paint(state.rawValue, code: code(for: state), colour: colour)
    }

    /// The `warning:` label, yellow when `colour` is on.
    static func warningLabel(colour: Bool) -> String {
        paint("warning:", code: "33", colour: colour)
    }

    static func paint(_ text: String, code: String, colour: Bool) -> String {
        colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
