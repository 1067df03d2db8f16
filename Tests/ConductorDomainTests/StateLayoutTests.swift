import ConductorDomain
import Foundation
import Testing

@Suite("StateLayout")
struct StateLayoutTests {
    static let id = runID("01hf7yat00abcdefghjkmnpqrs")

    @Test("paths of a run live under runs/<last>/<second-last>/<id>")
    func runPaths() {
        let stamp = EventStamp(clock: 3, machine: machine("abc"), sequence: 1)
        #expect(StateLayout.runDirectory(Self.id) == "runs/s/r/01hf7yat00abcdefghjkmnpqrs")
        #expect(StateLayout.runRecord(Self.id) == "runs/s/r/01hf7yat00abcdefghjkmnpqrs/run.json")
        #expect(StateLayout.eventsDirectory(Self.id) == "runs/s/r/01hf7yat00abcdefghjkmnpqrs/events")
        #expect(StateLayout.event(Self.id, stamp) == "runs/s/r/01hf7yat00abcdefghjkmnpqrs/events/000000000003-abc-0001.json")
        #expect(StateLayout.branch == "refs/heads/orchestrator-state")
    }

    @Test("artifacts inside the run's directory are allowed", arguments: [
        "spec.md",
        "plan.md",
        "iterations/1/request.json",
        "iterations/12/diff.patch",
        "events.md",
        "run.json.bak",
        "notes/events/x",
        "...",
    ])
    func validArtifacts(path: String) {
        #expect(StateLayout.artifact(Self.id, path) == "runs/s/r/01hf7yat00abcdefghjkmnpqrs/\(path)")
    }

    @Test("artifact paths that escape or shadow the record and events are refused", arguments: [
        "",
        ".",
        "..",
        "../x",
        "../../format.json",
        "a/../b",
        "a/./b",
        "./spec.md",
        "/etc/passwd",
        "a//b",
        "trailing/",
        "events",
        "events/000000000001-abc-0000.json",
        "events/x",
        "run.json",
    ])
    func invalidArtifacts(path: String) {
        #expect(StateLayout.artifact(Self.id, path) == nil)
    }

    @Test("only format 1 is supported")
    func format() throws {
        #expect(StateFormat.current == StateFormat(format: 1, tool: "git-conductor"))
        #expect(StateFormat.current.isSupported)
        #expect(!StateFormat(format: 2, tool: "git-conductor").isSupported)
        #expect(!StateFormat(format: 0, tool: "git-conductor").isSupported)
        let decoded = try JSONDecoder().decode(StateFormat.self, from: Data(#"{"format": 1, "tool": "git-conductor"}"#.utf8))
        #expect(decoded == .current)
    }
}

@Suite("Event coding")
struct EventCodingTests {
    static let stamp = EventStamp(clock: 7, machine: machine("abc"), sequence: 2)
    static let time = Timestamp(milliseconds: 1_700_000_000_123)

    @Test("every payload survives a JSON round trip", arguments: [
        EventPayload.transition(from: nil, to: .precheck, reason: nil, detail: nil),
        .transition(from: .verifying, to: .failed, reason: .loopDetected, detail: "same failure three times"),
        .iterationStarted(number: 4),
        .usage(TokenUsage(model: "m", tokensIn: 10, tokensOut: 5, costUSD: 0.25)),
        .usage(TokenUsage(model: nil, tokensIn: 1, tokensOut: 0, costUSD: nil)),
    ])
    func roundTrip(payload: EventPayload) throws {
        let event = Event(stamp: Self.stamp, time: Self.time, payload: payload)
        let data = try JSONEncoder().encode(event)
        #expect(try JSONDecoder().decode(Event.self, from: data) == event)
    }

    @Test("the stored JSON uses the documented keys")
    func keys() throws {
        let event = Event(stamp: Self.stamp, time: Self.time, payload: .usage(TokenUsage(model: "m", tokensIn: 10, tokensOut: 5, costUSD: nil)))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(event), as: UTF8.self)
        #expect(json == #"{"clock":7,"kind":"usage","machine":"abc","model":"m","seq":2,"time":"2023-11-14T22:13:20.123Z","tokens_in":10,"tokens_out":5}"#)
    }

    @Test("a kind from a newer version reads as unknown instead of failing")
    func unknownKind() throws {
        let json = #"{"kind":"inbox","clock":1,"machine":"abc","seq":0,"time":"2023-11-14T22:13:20.123Z","text":"hi"}"#
        let event = try JSONDecoder().decode(Event.self, from: Data(json.utf8))
        #expect(event.payload == .unknown(kind: "inbox"))
        #expect(event.stamp == EventStamp(clock: 1, machine: machine("abc"), sequence: 0))
    }
}
