/// Whole milliseconds for Redis (`PX`, `PEXPIRE`), rounded up so that a lock or a
/// window is never shorter than asked; saturates instead of trapping on huge values.
public func wholeMilliseconds(_ d: Duration) -> Int64 {
    let (seconds, attoseconds) = d.components
    let (ms, overflow) = seconds.multipliedReportingOverflow(by: 1000)
    if overflow { return seconds < 0 ? .min : .max }
    let perMs: Int64 = 1_000_000_000_000_000
    var result = ms + attoseconds / perMs
    if attoseconds % perMs > 0 { result += 1 }
    return result
}

/// Whole seconds rounded up (`resetIn`, lock status `ttl`): 1 ms left still shows as 1 s,
/// so a positive value never reads as "expired".
public func wholeSecondsRoundedUp(milliseconds ms: Int64) -> Int64 {
    // By remainder, not `ms + 999`: a TTL near Int64.max must not overflow.
    ms <= 0 ? 0 : ms / 1000 + (ms % 1000 > 0 ? 1 : 0)
}

extension Duration {
    /// Milliseconds as a Double, for latencies, rates and reports.
    var inMilliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}
