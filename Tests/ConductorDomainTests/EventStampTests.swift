import ConductorDomain
import Foundation
import Testing

@Suite("EventStamp")
struct EventStampTests {
    @Test("file names are zero-padded and parse back to the same stamp", arguments: [
        (UInt64(1), "abc", 0, "000000000001-abc-0000.json"),
        (UInt64(42), "m1", 3, "000000000042-m1-0003.json"),
        (UInt64(999_999_999_999), "0123456789abcdefghijklmnopqrstuv", 9999, "999999999999-0123456789abcdefghijklmnopqrstuv-9999.json"),
        (UInt64(0), "z", 12, "000000000000-z-0012.json"),
    ])
    func roundTrip(clock: UInt64, machineName: String, sequence: Int, fileName: String) throws {
        let stamp = EventStamp(clock: clock, machine: machine(machineName), sequence: sequence)
        #expect(stamp.fileName == fileName)
        #expect(stamp.description == fileName)
        let parsed = try #require(EventStamp(fileName: fileName))
        #expect(parsed == stamp)
    }

    @Test("sorting file names as strings gives stamp order")
    func fileNamesSortInStampOrder() {
        let stamps = [
            EventStamp(clock: 10, machine: machine("a"), sequence: 0),
            EventStamp(clock: 9, machine: machine("zz"), sequence: 5),
            EventStamp(clock: 9, machine: machine("b"), sequence: 1),
            EventStamp(clock: 9, machine: machine("b"), sequence: 0),
            EventStamp(clock: 100, machine: machine("a"), sequence: 0),
            EventStamp(clock: 1, machine: machine("q"), sequence: 10),
            EventStamp(clock: 1, machine: machine("q"), sequence: 2),
        ]
        let byStamp = stamps.sorted()
        let byName = stamps.sorted { $0.fileName < $1.fileName }
        #expect(byStamp == byName)
        #expect(byStamp.map(\.clock) == [1, 1, 9, 9, 9, 10, 100])
        #expect(byStamp.map(\.sequence) == [2, 10, 0, 1, 5, 0, 0])
        #expect(byStamp[4].machine == machine("zz"))
    }

    @Test("the clock decides before the machine, the machine before the sequence")
    func comparison() {
        let early = EventStamp(clock: 1, machine: machine("zzz"), sequence: 99)
        let late = EventStamp(clock: 2, machine: machine("aaa"), sequence: 0)
        #expect(early < late)
        #expect(EventStamp(clock: 5, machine: machine("a"), sequence: 9) < EventStamp(clock: 5, machine: machine("b"), sequence: 0))
        #expect(EventStamp(clock: 5, machine: machine("a"), sequence: 1) < EventStamp(clock: 5, machine: machine("a"), sequence: 2))
        #expect(!(late < late))
    }

    @Test("names that are not stamps are rejected", arguments: [
        "",
        ".json",
        "000000000001-abc-0000",            // no extension
        "000000000001-abc-0000.txt",
        "000000000001-abc-0000.json.tmp",
        "00000000001-abc-0000.json",         // 11-digit clock
        "0000000000001-abc-0000.json",       // 13-digit clock
        "000000000001-abc-000.json",         // 3-digit sequence
        "000000000001-abc-00000.json",       // 5-digit sequence
        "000000000001-ABC-0000.json",        // machine ids are lowercase
        "000000000001--0000.json",           // empty machine
        "000000000001-a_b-0000.json",
        "000000000001-abc-0000-x.json",      // extra part
        "000000000001-abc.json",
        "00000000000x-abc-0000.json",
        "000000000001-abc-00x0.json",
        "000000000001-0123456789abcdefghijklmnopqrstuvw-0000.json", // 33-character machine
        "README.md",
    ])
    func invalidNames(name: String) {
        #expect(EventStamp(fileName: name) == nil)
    }

    @Test("a sign is not a digit: signed numbers in a file name are rejected", arguments: [
        "+00000000001-abc-0000.json",
        "000000000001-abc-+001.json",
    ])
    func signedNumbers(name: String) {
        // Only names that ``fileName`` could have written are stamps: parsing must be the
        // exact inverse, or two different files could claim the same stamp.
        #expect(EventStamp(fileName: name) == nil)
    }

    static let clockTable: [([UInt64], UInt64)] = [
        ([], 1),
        ([1], 2),
        ([3, 7, 5], 8),
        ([7, 7, 7], 8),
        ([0], 1),
    ]

    @Test("the next clock is one past the highest clock seen", arguments: clockTable)
    func nextClock(clocks: [UInt64], expected: UInt64) {
        let stamps = clocks.enumerated().map { index, clock in
            EventStamp(clock: clock, machine: machine("m\(index)"), sequence: index)
        }
        #expect(EventStamp.nextClock(after: stamps) == expected)
    }
}

@Suite("MachineID")
struct MachineIDTests {
    @Test("valid ids are 1 to 32 lowercase letters and digits", arguments: [
        ("a", true), ("0", true), ("abc123", true), (String(repeating: "x", count: 32), true),
        ("", false), (String(repeating: "x", count: 33), false), ("Abc", false), ("a-b", false),
        ("a b", false), ("é", false), ("a.b", false),
    ])
    func validation(text: String, valid: Bool) {
        #expect((MachineID(text) != nil) == valid)
    }

    @Test("random ids are valid and differ")
    func random() {
        var generator = SeededGenerator(seed: 11)
        let ids = (0..<100).map { _ in MachineID.random(using: &generator) }
        #expect(ids.allSatisfy { $0.rawValue.count == 10 && MachineID($0.rawValue) == $0 })
        #expect(Set(ids).count == 100)
    }
}
