import RedisClient

/// Keeps an invalidation from hurting production: at most `rate` keys a second, and no
/// new work while the server's PING latency is above a limit.
///
/// The PING goes over a second connection, so it measures what other clients see
/// (including the queue our own batches make) rather than our pipeline's depth.
struct Throttle {
    private let rate: Double?
    private let latencyLimit: Duration?
    private let probe: RedisConnection?
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private var admitted = 0
    private var lastProbe: ContinuousClock.Instant?
    private(set) var pauses = 0
    private(set) var paused: Duration = .zero

    /// Latency is probed at most this often while it is below the limit.
    static let probeInterval: Duration = .milliseconds(100)
    /// How long to wait before probing again while it is above.
    static let backoff: Duration = .milliseconds(100)

    init(rate: Double?, latencyLimit: Duration?, probe: RedisConnection?) {
        self.rate = rate
        self.latencyLimit = latencyLimit
        self.probe = latencyLimit == nil ? nil : probe
        self.start = clock.now
    }

    var isActive: Bool { rate != nil || probe != nil }

    /// Keys per batch that keep a rate-limited run smooth (about ten batches a second).
    func batchSize(_ requested: Int) -> Int {
        guard let rate else { return requested }
        // Clamped before converting: a huge rate must not trap.
        return max(1, min(requested, Int(min(rate / 10, Double(requested)))))
    }

    /// Waits until `count` more keys may go; `beforeWaiting` runs first (flush queued
    /// commands so the server is not left waiting on us). False when a stop cut the wait.
    mutating func admit(_ count: Int, beforeWaiting: () throws(RedisError) -> Void,
                        shouldStop: () -> Bool) throws(RedisError) -> Bool {
        if let probe, let limit = latencyLimit {
            let now = clock.now
            if lastProbe.map({ now - $0 >= Self.probeInterval }) ?? true {
                lastProbe = now
                var latency = try measure(probe)
                if latency > limit {
                    try beforeWaiting()
                    pauses += 1
                    let pauseStart = clock.now
                    while latency > limit {
                        let resumed = Pause.until(clock.now + Self.backoff, shouldStop: shouldStop)
                        if !resumed {
                            paused += clock.now - pauseStart
                            return false
                        }
                        latency = try measure(probe)
                    }
                    paused += clock.now - pauseStart
                    lastProbe = clock.now
                }
            }
        }
        if let rate {
            // Capped at a day ahead so absurd rates cannot overflow the clock arithmetic.
            let due = start + .milliseconds(min(Double(admitted) / rate * 1000, 86_400_000))
            if due > clock.now {
                try beforeWaiting()
                if !Pause.until(due, shouldStop: shouldStop) { return false }
            }
        }
        admitted += count
        return true
    }

    private func measure(_ probe: RedisConnection) throws(RedisError) -> Duration {
        let before = clock.now
        try probe.command("PING")
        return clock.now - before
    }
}
