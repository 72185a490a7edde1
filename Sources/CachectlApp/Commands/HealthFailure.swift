import CacheOps
import CLI
import RedisClient

/// A health run that got no answer to judge: the server unreachable, silent past
/// `--timeout`, or refusing who we are. Rendered as a document too, so `--json` and
/// `--prometheus` never go silent.
struct HealthFailure {
    var error: RedisError
    var endpoint: String
    /// A stall past `--timeout` is also a latency breach, with the time waited.
    var breach: HealthFinding?

    init(_ error: RedisError, endpoint: String, maxLatencyMs: Double?) {
        self.error = error
        self.endpoint = endpoint
        if case .timeout(_, let what, let after) = error {
            let waited = Double(after.components.seconds) * 1000 + Double(after.components.attoseconds) / 1e15
            breach = HealthFinding(metric: .latency, limit: maxLatencyMs, actual: waited,
                                   reason: "waited --timeout for \(what)")
        }
    }

    /// `unreachable`, `timeout`, `unauthorized` or `error`: never a word that reads as healthy.
    var status: String {
        switch error.category {
        case .unavailable: return "unreachable"
        case .timeout: return "timeout"
        case .authentication, .tlsVerification: return "unauthorized"
        case .configuration, .server, .protocolViolation, .io: return "error"
        }
    }

    var exitCode: ExitCode { Failure(error).exitCode }
}
