import RESP

/// What happened between two INFO samples, per second: the present, which counters since
/// the last restart cannot show.
public struct HealthRates: Sendable, Equatable {
    public var intervalMs: Double
    public var opsPerSec: Double
    public var hitsPerSec: Double
    public var missesPerSec: Double
    /// Hits / lookups over the interval, percent; `nil` when nothing was looked up.
    public var hitRatePercent: Double?
    public var evictedPerSec: Double
    public var expiredPerSec: Double
    public var netInputBytesPerSec: Double
    public var netOutputBytesPerSec: Double
    public var rejectedConnectionsPerSec: Double
    /// Blocked clients at the end minus at the start (a gauge, not a counter).
    public var blockedClientsChange: Int64?

    /// Rates from `earlier` to `later`; nil when INFO stats was not readable in both, the
    /// interval is empty, or a counter went back (the server restarted in between).
    public init?(from earlier: InfoSample, to later: InfoSample) {
        let ms = (later.at - earlier.at).inMilliseconds
        guard ms > 0 else { return nil }
        func delta(_ field: String) -> Double? {
            guard let a = earlier.info.int(field), let b = later.info.int(field), b >= a else { return nil }
            return Double(b) - Double(a)  // never traps, whatever the server sent
        }
        guard let ops = delta("total_commands_processed"), let hits = delta("keyspace_hits"),
              let misses = delta("keyspace_misses") else { return nil }
        let seconds = ms / 1000
        intervalMs = ms
        opsPerSec = ops / seconds
        hitsPerSec = hits / seconds
        missesPerSec = misses / seconds
        hitRatePercent = hits + misses > 0 ? hits / (hits + misses) * 100 : nil
        evictedPerSec = (delta("evicted_keys") ?? 0) / seconds
        expiredPerSec = (delta("expired_keys") ?? 0) / seconds
        netInputBytesPerSec = (delta("total_net_input_bytes") ?? 0) / seconds
        netOutputBytesPerSec = (delta("total_net_output_bytes") ?? 0) / seconds
        rejectedConnectionsPerSec = (delta("rejected_connections") ?? 0) / seconds
        if let a = earlier.info.int("blocked_clients"), let b = later.info.int("blocked_clients") {
            blockedClientsChange = b.saturatingSubtract(a)
        }
    }
}
