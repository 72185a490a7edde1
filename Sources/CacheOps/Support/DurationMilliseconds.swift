extension Duration {
    /// Milliseconds as a Double, for latencies, rates and reports.
    var inMilliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}
