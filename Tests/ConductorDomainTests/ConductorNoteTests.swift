import ConductorDomain
import Testing

@Suite("ConductorNote")
struct ConductorNoteTests {
    static let id = runID("01hf7yat00abcdefghjkmnpqrs")

    @Test("renders keys in a fixed order, one per line, ending with a newline")
    func render() {
        let note = ConductorNote(
            runID: Self.id, iteration: 3, state: .verifying, bist: "pass (12 tests)", model: "gpt-x", tokens: 1234, costUSD: 0.0123
        )
        #expect(note.text == """
            Conductor-Run: 01hf7yat00abcdefghjkmnpqrs
            Iteration: 3
            State: VERIFYING
            BIST: pass (12 tests)
            Model: gpt-x
            Tokens: 1234
            Cost: $0.0123

            """)
    }

    @Test("a note with only a run id is one line")
    func minimal() {
        #expect(ConductorNote(runID: Self.id).text == "Conductor-Run: 01hf7yat00abcdefghjkmnpqrs\n")
    }

    @Test("render then parse gives the same note", arguments: [
        ConductorNote(runID: runID("01hf7yat00abcdefghjkmnpqrs")),
        ConductorNote(runID: runID("01hf7yat00abcdefghjkmnpqrs"), iteration: 1, state: .building),
        ConductorNote(runID: runID("01hf7yat00abcdefghjkmnpqrs"), iteration: 7, state: .complete, bist: "fail: 2 of 12", model: "claude-x", tokens: 98_765, costUSD: 12.5),
        ConductorNote(runID: runID("01hf7yat00abcdefghjkmnpqrs"), tokens: 10, costUSD: nil),
        ConductorNote(runID: runID("01hf7yat00abcdefghjkmnpqrs"), model: "ollama:llama3:8b", costUSD: 0.0001),
        ConductorNote(runID: runID("01hf7yat00abcdefghjkmnpqrs"), state: .awaitingApproval, costUSD: 0),
    ])
    func roundTrip(note: ConductorNote) {
        #expect(ConductorNote(text: note.text) == note)
    }

    @Test("unknown keys and lines without a key are ignored")
    func unknownKeys() {
        let text = """
            Conductor-Run: 01hf7yat00abcdefghjkmnpqrs
            Reviewed-by: Someone <someone@example.com>
            just a remark
            Iteration: 2
            Future-Key: whatever: with colons

            """
        let note = ConductorNote(text: text)
        #expect(note == ConductorNote(runID: Self.id, iteration: 2))
    }

    @Test("multi-line values are flattened to one line when rendered")
    func multiLineValues() throws {
        let note = ConductorNote(runID: Self.id, bist: "fail:\n2 of 12\r\nsee log", model: "a\nb")
        let lines = note.text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines == ["Conductor-Run: 01hf7yat00abcdefghjkmnpqrs", "BIST: fail: 2 of 12 see log", "Model: a b", ""])
        let parsed = try #require(ConductorNote(text: note.text))
        #expect(parsed.bist == "fail: 2 of 12 see log")
        #expect(parsed.model == "a b")
    }

    @Test("tokens without a price say the cost is unknown, and read back as nil")
    func unknownCost() throws {
        let note = ConductorNote(runID: Self.id, tokens: 500, costUSD: nil)
        #expect(note.text.contains("\nCost: unknown\n"))
        let parsed = try #require(ConductorNote(text: note.text))
        #expect(parsed.tokens == 500)
        #expect(parsed.costUSD == nil)
    }

    @Test("text without a valid run id is not a conductor note", arguments: [
        "",
        "Iteration: 2\n",
        "Conductor-Run: not-an-id\n",
        "Conductor-Run:\n",
        "Some other tool's note\n",
    ])
    func notOurs(text: String) {
        #expect(ConductorNote(text: text) == nil)
    }

    @Test("parsing tolerates surrounding blanks and an upper-case id")
    func whitespace() {
        let text = "Conductor-Run:   01HF7YAT00ABCDEFGHJKMNPQRS  \nIteration:\t4 \t\n"
        #expect(ConductorNote(text: text) == ConductorNote(runID: Self.id, iteration: 4))
    }

    @Test("parsing tolerates CRLF line ends")
    func crlf() {
        // `trimmingSpaces` strips a trailing "\r", so CRLF notes are meant to parse; but in Swift
        // "\r\n" is one Character, so `split(separator: "\n")` never splits at it.
        let text = "Conductor-Run: 01hf7yat00abcdefghjkmnpqrs\r\nIteration: 4\r\n"
        #expect(ConductorNote(text: text) == ConductorNote(runID: Self.id, iteration: 4))
    }

    @Test("the first value of a repeated key wins")
    func repeatedKey() {
        let text = "Conductor-Run: 01hf7yat00abcdefghjkmnpqrs\nIteration: 1\nIteration: 9\n"
        #expect(ConductorNote(text: text)?.iteration == 1)
    }

    @Test("costs: four decimals below a dollar, two from a dollar up, never negative", arguments: [
        (0.0, "$0.0000"),
        (0.0123, "$0.0123"),
        (0.00005, "$0.0001"),
        (0.5, "$0.5000"),
        (1.0, "$1.00"),
        (12.5, "$12.50"),
        (1234.567, "$1234.57"),
        (-3.0, "$0.0000"),
    ])
    func costFormat(value: Double, text: String) {
        #expect(CostFormat.dollars(value) == text)
    }
}
