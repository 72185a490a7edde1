/// SplitMix64: a tiny, fast generator for choosing keys and commands. Load generation
/// needs spread, not secrecy, and each worker owns one, so nothing is shared or locked.
struct BenchRandom {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    @inline(__always)
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in `0..<bound` (Lemire's multiply-shift; the bias is below 2^-40 for any
    /// keyspace a benchmark uses).
    @inline(__always)
    mutating func below(_ bound: UInt64) -> UInt64 {
        bound.multipliedFullWidth(by: next()).high
    }
}
