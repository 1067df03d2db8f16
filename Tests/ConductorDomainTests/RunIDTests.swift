import ConductorDomain
import Foundation
import Testing

@Suite("RunID")
struct RunIDTests {
    @Test("the first ten characters encode the time in Crockford base32", arguments: [
        (UInt64(0), "0000000000"),
        (UInt64(1), "0000000001"),
        (UInt64(31), "000000000z"),
        (UInt64(32), "0000000010"),
        (UInt64(1_700_000_000_000), "01hf7yat00"),
        ((UInt64(1) << 48) - 1, "7zzzzzzzzz"),
    ])
    func timePrefix(milliseconds: UInt64, prefix: String) throws {
        var generator = SeededGenerator(seed: milliseconds)
        let id = RunID.generate(atMilliseconds: milliseconds, using: &generator)
        #expect(id.rawValue.count == RunID.length)
        #expect(id.rawValue.hasPrefix(prefix))
        #expect(id.milliseconds == milliseconds)
        // What we generate, we can parse back to the same value.
        #expect(RunID(id.rawValue) == id)
    }

    @Test("only the low 48 bits of the time are kept")
    func timeIsTruncatedTo48Bits() {
        var generator = SeededGenerator(seed: 1)
        let id = RunID.generate(atMilliseconds: (1 << 48) + 5, using: &generator)
        #expect(id.milliseconds == 5)
    }

    @Test("generated ids use only the lowercase Crockford alphabet")
    func alphabet() {
        var generator = SeededGenerator(seed: 42)
        let allowed = Set("0123456789abcdefghjkmnpqrstvwxyz")
        for index in 0..<500 {
            let id = RunID.generate(atMilliseconds: UInt64(index) * 1_234_567, using: &generator)
            #expect(Set(id.rawValue).isSubset(of: allowed), "\(id)")
        }
    }

    @Test("ids sort by creation time, whatever their random part")
    func orderingByTime() {
        var generator = SeededGenerator(seed: 7)
        let times: [UInt64] = [1, 2, 31, 32, 999, 1000, 1_700_000_000_000, 1_700_000_000_001, 1 << 47]
        for (earlier, later) in zip(times, times.dropFirst()) {
            for _ in 0..<20 {
                let a = RunID.generate(atMilliseconds: earlier, using: &generator)
                let b = RunID.generate(atMilliseconds: later, using: &generator)
                #expect(a < b, "\(a) (\(earlier)) should sort before \(b) (\(later))")
                #expect(a.rawValue < b.rawValue)
            }
        }
    }

    @Test("ids minted in the same millisecond differ")
    func randomTail() {
        var generator = SeededGenerator(seed: 99)
        let ids = (0..<1000).map { _ in RunID.generate(atMilliseconds: 1_700_000_000_000, using: &generator) }
        #expect(Set(ids).count == ids.count)
        #expect(Set(ids.map { $0.rawValue.prefix(10) }).count == 1)
    }

    @Test("parsing accepts either case and stores lowercase", arguments: [
        "01hf4k5m00abcdefghjkmnpqrs",
        "01HF4K5M00ABCDEFGHJKMNPQRS",
        "01Hf4K5m00AbCdEfGhJkMnPqRs",
    ])
    func parseCase(text: String) throws {
        let id = try #require(RunID(text))
        #expect(id.rawValue == "01hf4k5m00abcdefghjkmnpqrs")
        #expect(id.description == id.rawValue)
        #expect(id == runID("01hf4k5m00abcdefghjkmnpqrs"))
    }

    @Test("parsing rejects anything that is not a ULID", arguments: [
        "",
        "01hf4k5m00abcdefghjkmnpqr",    // 25 characters
        "01hf4k5m00abcdefghjkmnpqrst",  // 27 characters
        "01hf4k5m00abcdefghjkmnpqri",   // i is not in Crockford's alphabet
        "01hf4k5m00abcdefghjkmnpqrl",   // l
        "01hf4k5m00abcdefghjkmnpqro",   // o
        "01hf4k5m00abcdefghjkmnpqru",   // u
        "81hf4k5m00abcdefghjkmnpqrs",   // first character above 7 overflows 48 bits
        "z1hf4k5m00abcdefghjkmnpqrs",
        "01hf4k5m00abcdefghjkmnpq s",
        "01hf4k5m00abcdefghjkmnpq-s",
        "01hf4k5m00abcdefghjkmnpqé",    // 26 bytes but 25 characters, one not ASCII
        " 01hf4k5m00abcdefghjkmnpqr",
    ])
    func parseRejects(text: String) {
        #expect(RunID(text) == nil)
    }

    @Test("the shard is the last character, then the second-last, and the short tag the last six")
    func shardAndTag() {
        let id = runID("01hf4k5m00abcdefghjkmnpqrs")
        #expect(id.shard == "s/r")
        #expect(id.shortTag == "mnpqrs")
        var generator = SeededGenerator(seed: 3)
        // Shards come from the random tail, so runs created together spread out.
        let shards = Set((0..<200).map { _ in RunID.generate(atMilliseconds: 5, using: &generator).shard })
        #expect(shards.count > 100)
    }

    @Test("JSON encodes a run id as its string and refuses invalid ones")
    func codable() throws {
        let id = runID("01hf4k5m00abcdefghjkmnpqrs")
        let data = try JSONEncoder().encode([id])
        #expect(String(decoding: data, as: UTF8.self) == #"["01hf4k5m00abcdefghjkmnpqrs"]"#)
        #expect(try JSONDecoder().decode([RunID].self, from: data) == [id])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([RunID].self, from: Data(#"["not-a-run-id"]"#.utf8))
        }
    }
}

@Suite("RunIDMatch")
struct RunIDMatchTests {
    static let ids = [
        runID("01hf4k5m00aaaaaaaaaaaaaaaa"),
        runID("01hf4k5m00aaaaaaaaaaaaaaab"),
        runID("01hf4k5m01bbbbbbbbbbbbbbbb"),
        runID("01hg000000cccccccccccccccc"),
    ]

    @Test("exact ids, unique prefixes, ambiguity and misses", arguments: [
        ("01hf4k5m00aaaaaaaaaaaaaaaa", RunIDMatch.found(ids[0])),
        ("01hf4k5m00aaaaaaaaaaaaaaab", .found(ids[1])),
        ("01hf4k5m01", .found(ids[2])),
        ("01hg", .found(ids[3])),
        ("01HG", .found(ids[3])),
        ("01HF4K5M00AAAAAAAAAAAAAAAB", .found(ids[1])),
        ("01hf4k5m00", .ambiguous([ids[0], ids[1]])),
        ("01hf", .ambiguous([ids[0], ids[1], ids[2]])),
        ("0", .ambiguous(ids)),
        ("01hf4k5m02", .notFound),
        ("zz", .notFound),
        ("", .notFound),
        ("01hf4k5m00aaaaaaaaaaaaaaaaX", .notFound),
    ])
    func resolve(text: String, expected: RunIDMatch) {
        #expect(RunIDMatch.resolve(text, among: Self.ids) == expected)
        // The input order of the candidates does not matter, and ambiguity lists them sorted.
        #expect(RunIDMatch.resolve(text, among: Self.ids.reversed()) == expected)
    }

    @Test("nothing matches among no runs")
    func empty() {
        #expect(RunIDMatch.resolve("01", among: [RunID]()) == .notFound)
    }
}
