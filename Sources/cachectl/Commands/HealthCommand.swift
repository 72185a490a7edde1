import CacheOps
import CLI

/// `cachectl health`: exit 0 when every threshold holds, 1 when any is breached.
enum HealthCommand {
    static func run(_ context: CommandContext) throws -> ExitCode {
        let options = context.options
        let samples = options.int("samples") ?? 5
        guard (1...10_000).contains(samples) else { throw context.usageError("--samples must be from 1 to 10000") }
        let thresholds = HealthThresholds(maxLatencyMs: options.double("max-latency-ms"),
                                          minHitRatePercent: options.double("min-hit-rate"),
                                          maxMemoryPercent: options.double("max-memory-pct"))
        for (name, value) in [("min-hit-rate", thresholds.minHitRatePercent), ("max-memory-pct", thresholds.maxMemoryPercent)] {
            if let v = value, !(0...100).contains(v) {
                throw context.usageError("--\(name) is a percentage from 0 to 100, not \(v)")
            }
        }
        if let v = thresholds.maxLatencyMs, !(0...86_400_000).contains(v) {
            throw context.usageError("--max-latency-ms must be from 0 to 86400000 (a day)")
        }

        let connection = try context.connect()
        let report = try HealthCheck.run(on: connection, samples: samples, thresholds: thresholds)
        let output = context.output
        if output.json {
            try output.result(HealthRenderer.json(report).serialized())
        } else {
            try output.report(HealthRenderer.table(report, color: output.color))
        }
        for warning in HealthRenderer.warnings(report) { output.warn(warning) }
        if !report.healthy && !output.json {
            for breach in report.breaches { _ = writeStderr("cachectl: breach: \(HealthRenderer.message(breach))\n") }
        }
        return report.healthy ? .success : .no
    }
}
