import CacheOps
import CLI
import RedisClient

/// The result of one health sample.
enum HealthOutcome {
    case report(HealthReport)
    case failure(HealthFailure)
}

/// One connection kept across `--watch` samples (re-made after a failure), with the last
/// INFO sample as the baseline of the next one's rates.
struct HealthSession {
    let config: ConnectionConfig
    var request: HealthRequest
    private var connection: RedisConnection?
    private var baseline: InfoSample?

    init(config: ConnectionConfig, request: HealthRequest) {
        self.config = config
        self.request = request
    }

    mutating func sample() -> HealthOutcome {
        do throws(RedisError) {
            var req = request
            req.baseline = baseline
            req.handshake = nil
            if connection == nil {
                // The connection set-up is a round trip like any other: a stall there counts.
                let start = ContinuousClock.now
                connection = try RedisConnection.connect(config)
                let elapsed = ContinuousClock.now - start
                req.handshake = RoundTrip(name: "handshake",
                                          milliseconds: Double(elapsed.components.seconds) * 1000
                                              + Double(elapsed.components.attoseconds) / 1e15)
            }
            guard let conn = connection else { throw RedisError.connectionFailed(endpoint: config.endpoint.display, reason: "no connection") }
            let report = try HealthCheck.run(on: conn, req, shouldStop: { Signals.pending != nil })
            baseline = report.sample
            return .report(report)
        } catch {
            connection = nil
            baseline = nil
            return .failure(HealthFailure(error, endpoint: config.endpoint.display,
                                          maxLatencyMs: request.thresholds.maxLatencyMs))
        }
    }
}
