import RedisClient

/// The wait loop shared by lock and semaphore acquisition: retry until granted or until
/// `wait` has passed, sleeping by `backoff` (exponential with jitter) but never past the
/// moment the blocking holder's time runs out, nor past the deadline.
enum AcquireRetry {
    /// What one attempt says about the next.
    enum Verdict {
        /// Return this attempt (granted, or nothing to wait for).
        case stop
        /// Try again; `freesInMs` is when the holder's time runs out, when known.
        case retry(freesInMs: Int64?)
    }

    /// Runs `attempt` until `verdict` says stop or the deadline passes; returns the last
    /// attempt and when it was sent (a grant lives at least until `sentAt + ttl`).
    static func run<Attempt>(wait: Duration, backoff: inout LockBackoff,
                             attempt: () throws(RedisError) -> Attempt,
                             verdict: (Attempt) -> Verdict)
        throws(RedisError) -> (attempt: Attempt, sentAt: ContinuousClock.Instant) {
        let clock = ContinuousClock()
        let deadline = clock.now + wait
        while true {
            let sentAt = clock.now
            let result = try attempt()
            guard case .retry(let freesInMs) = verdict(result) else { return (result, sentAt) }
            let now = clock.now
            if now >= deadline { return (result, sentAt) }
            var delay = min(backoff.nextDelay(), deadline - now)
            if let left = freesInMs, left >= 0 {
                delay = min(delay, .milliseconds(left.saturatingAdd(1)))
            }
            pause(delay)
        }
    }
}
