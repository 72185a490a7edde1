import CacheOps
import CLI
import RESP

/// `--watch` on a terminal: one compact line per sample, like `redis-cli --stat`, led by
/// the time and the verdict.
enum HealthWatchLine {
    static func line(_ r: HealthReport, time: String, color: Bool) -> String {
        let style = Style(enabled: color)
        var verdict = style.green("healthy")
        if !r.healthy {
            var metrics: [String] = []
            for b in r.breaches where !metrics.contains(b.metric.rawValue) { metrics.append(b.metric.rawValue) }
            verdict = style.red("UNHEALTHY(\(metrics.joined(separator: ",")))")
        }
        var parts = [time, verdict]
        if let x = r.rates {
            parts.append("ops/s \(HealthRenderer.perSec(x.opsPerSec))")
            parts.append("hit " + (x.hitRatePercent.map { "\(formatFixed($0, decimals: 1))%" } ?? "-"))
            parts.append("evicted/s \(HealthRenderer.perSec(x.evictedPerSec))")
        } else {
            parts.append("hit " + (r.hitRatePercent.map { "\(formatFixed($0, decimals: 1))%" } ?? "-"))
        }
        if let used = r.usedMemoryBytes {
            let max = r.maxMemoryBytes.flatMap { $0 > 0 ? "/" + formatBytes(Int($0)) : nil } ?? ""
            parts.append("mem \(formatBytes(Int(used)))\(max)")
        }
        if let clients = r.connectedClients { parts.append("clients \(clients)") }
        if let keys = r.keyspace { parts.append("keys \(keys.reduce(Int64(0)) { $0.saturatingAdd($1.keys) })") }
        parts.append("ping \(HealthRenderer.ms(r.latency.maxMs))")
        if let slowest = r.slowestRoundTrip, slowest.milliseconds > r.latency.maxMs {
            parts.append("slowest \(slowest.name) \(HealthRenderer.ms(slowest.milliseconds))")
        }
        return parts.joined(separator: "  ")
    }

    static func failure(_ f: HealthFailure, time: String, color: Bool) -> String {
        "\(time)  \(Style(enabled: color).red(f.status.uppercased()))  \(f.error.description)"
    }
}
