import RedisClient

/// `--rate`: a hard cap of keys a second, whatever pacing would allow.
struct Throttle {
    private let rate: Double?
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private var admitted = 0
    private(set) var pauses = 0
    private(set) var paused: Duration = .zero

    init(rate: Double?) {
        self.rate = rate
        self.start = clock.now
    }

    var isActive: Bool { rate != nil }

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
}
