/// Round-trip times of a series of PINGs, in milliseconds.
public struct LatencySummary: Sendable, Equatable {
    public var samples: Int
    public var minMs: Double
    public var avgMs: Double
    public var p50Ms: Double
    public var p99Ms: Double
    public var maxMs: Double

    /// Nearest-rank percentiles: with a handful of samples, interpolating would invent
    /// latencies nobody measured.
    public init(millis: [Double]) {
        let sorted = millis.sorted()
        samples = sorted.count
        guard let first = sorted.first, let last = sorted.last else {
            minMs = 0; avgMs = 0; p50Ms = 0; p99Ms = 0; maxMs = 0
            return
        }
        minMs = first
        maxMs = last
        avgMs = sorted.reduce(0, +) / Double(sorted.count)
        p50Ms = Self.percentile(sorted, 50)
        p99Ms = Self.percentile(sorted, 99)
    }

    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[max(0, min(sorted.count - 1, rank - 1))]
    }
}
