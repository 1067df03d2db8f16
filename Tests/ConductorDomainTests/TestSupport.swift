import ConductorDomain

/// A seeded SplitMix64 generator, so that "random" ids are the same on every run.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A machine id that is known to be valid.
func machine(_ name: String) -> MachineID {
    guard let id = MachineID(name) else { fatalError("test bug: invalid machine id \(name)") }
    return id
}

/// A run id that is known to be valid.
func runID(_ text: String) -> RunID {
    guard let id = RunID(text) else { fatalError("test bug: invalid run id \(text)") }
    return id
}
