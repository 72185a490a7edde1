/// How requests are counted.
public enum RateLimitAlgorithm: String, Sendable, CaseIterable {
    /// A counter per window (INCR + EXPIRE), as applications count.
    case fixed
    /// Exact sliding-window log in a sorted set.
    case sliding
    /// Generic cell rate algorithm: a smooth rate with bursts (as redis-cell).
    case gcra
}

/// `limit` requests per `window`, counted by `algorithm`.
public struct RateLimitPolicy: Sendable, Equatable {
    public var algorithm: RateLimitAlgorithm
    public var limit: Int64
    public var window: Duration
    /// GCRA only: how many requests may arrive at once; nil means `limit`.
    public var burst: Int64?

    public init(algorithm: RateLimitAlgorithm = .fixed, limit: Int64, window: Duration, burst: Int64? = nil) {
        self.algorithm = algorithm
        self.limit = limit
        self.window = window
        self.burst = burst
    }
}

/// One check's answer: the `{allowed, remaining, resetIn, total, limit}` applications
/// read, in exact units, plus when a denied request may try again.
public struct RateLimitResult: Sendable, Equatable {
    public var allowed: Bool
    /// Requests (units of cost) counted in the current window; for GCRA the burst
    /// capacity in use.
    public var total: Int64
    /// How many more units would be allowed right now.
    public var remaining: Int64
    public var limit: Int64
    /// Until the count is back to zero; nil when a fixed counter has no TTL (only
    /// `status` can see one: `check` repairs it).
    public var resetInMs: Int64?
    /// Denied only: the earliest moment the same request could be allowed.
    public var retryAfterMs: Int64?
    /// The check found a counter without TTL and gave it one.
    public var repairedTTL: Bool

    public init(allowed: Bool, total: Int64, remaining: Int64, limit: Int64, resetInMs: Int64?,
                retryAfterMs: Int64?, repairedTTL: Bool = false) {
        self.allowed = allowed
        self.total = total
        self.remaining = remaining
        self.limit = limit
        self.resetInMs = resetInMs
        self.retryAfterMs = retryAfterMs
        self.repairedTTL = repairedTTL
    }

    /// `resetIn` as applications read it: whole seconds, rounded up.
    public var resetInSeconds: Int64? { resetInMs.map { wholeSecondsRoundedUp(milliseconds: $0) } }
}
