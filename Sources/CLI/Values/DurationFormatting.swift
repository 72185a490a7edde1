/// A short human form of a duration for tables and messages: `850ns`, `12.5µs`, `1.2ms`,
/// `250ms`, `3s`, `1.5s`, `5m3s`, `1h2m`.
///
/// One decimal below a minute (enough to compare latencies by eye), whole units above,
/// and seconds are dropped once hours are shown.
public func formatDuration(_ duration: Duration) -> String {
    let (seconds, attoseconds) = duration.components
    // Whole nanoseconds, saturating: human output need not be exact past ~292 years.
    let (fromSeconds, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
    let (sum, sumOverflow) = fromSeconds.addingReportingOverflow(attoseconds / 1_000_000_000)
    let nanos = overflow || sumOverflow ? (seconds < 0 ? Int64.min : Int64.max) : sum
    if nanos < 0 { return "-" + formatNanoseconds(nanos == .min ? .max : -nanos) }
    return formatNanoseconds(nanos)
}

private func formatNanoseconds(_ ns: Int64) -> String {
    if ns == 0 { return "0s" }
    if ns < 1_000 { return "\(ns)ns" }
    // Round to one decimal of the unit first, so 999.96µs shows as 1ms rather than 1000µs.
    if ns < 999_950 { return formatTrimmed(Double(ns) / 1e3, maxDecimals: 1) + "µs" }
    if ns < 999_950_000 { return formatTrimmed(Double(ns) / 1e6, maxDecimals: 1) + "ms" }
    if ns < 59_950_000_000 { return formatTrimmed(Double(ns) / 1e9, maxDecimals: 1) + "s" }
    // Rounded by remainder rather than by adding half a unit: `ns` may be near Int64.max
    // (a server's TTL of ~292 years) and must not overflow.
    let totalSeconds = ns / 1_000_000_000 + (ns % 1_000_000_000 >= 500_000_000 ? 1 : 0)
    if totalSeconds < 3600 {
        let m = totalSeconds / 60, s = totalSeconds % 60
        return s == 0 ? "\(m)m" : "\(m)m\(s)s"
    }
    let totalMinutes = totalSeconds / 60 + (totalSeconds % 60 >= 30 ? 1 : 0)
    let h = totalMinutes / 60, m = totalMinutes % 60
    return m == 0 ? "\(h)h" : "\(h)h\(m)m"
}
