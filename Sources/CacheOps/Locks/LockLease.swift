/// When a held lock must be renewed and until when it can be trusted, as seen from this
/// process's monotonic clock.
///
/// The server starts a lock's TTL when the command arrives, which is never before we
/// sent it, so `sent + ttl` is a safe lower bound for the expiry. A renewal that fails
/// (server unreachable, timeout) is retried sooner; once `validUntil` passes without a
/// successful renewal the lock must be presumed lost.
public struct LockLease: Sendable, Equatable {
    public typealias Instant = ContinuousClock.Instant

    public let ttl: Duration
    public private(set) var validUntil: Instant
    public private(set) var nextRenewal: Instant

    /// `sentAt`: when the acquiring command was sent.
    public init(ttl: Duration, sentAt: Instant) {
        self.ttl = ttl
        validUntil = sentAt + ttl
        nextRenewal = sentAt + ttl / 3
    }

    /// Renewals are due every ttl/3: two may fail before the lock can expire.
    public var renewalInterval: Duration { ttl / 3 }

    /// After a failed renewal: try again after ttl/10 (at least 50 ms, at most the
    /// renewal interval), but never later than the last moment the lock is still ours.
    public var retryInterval: Duration { min(max(ttl / 10, .milliseconds(50)), renewalInterval) }

    public mutating func renewed(sentAt: Instant) {
        validUntil = sentAt + ttl
        nextRenewal = sentAt + renewalInterval
    }

    public mutating func renewalFailed(at now: Instant) {
        nextRenewal = min(now + retryInterval, validUntil)
    }

    public func hasExpired(at now: Instant) -> Bool { now >= validUntil }
}
