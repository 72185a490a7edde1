/// A cached value and how long it has left.
public struct CacheEntry: Sendable, Equatable {
    public var value: [UInt8]
    /// Milliseconds until it expires; nil when it never does (set with `--no-ttl` or by a
    /// client that gave no TTL).
    public var ttlMs: Int64?

    public init(value: [UInt8], ttlMs: Int64?) {
        self.value = value
        self.ttlMs = ttlMs
    }

    /// Redis's PTTL: -1 no expiry, -2 gone (it expired between the two reads: 0 left).
    init(value: [UInt8], pttl: Int64) {
        self.init(value: value, ttlMs: pttl == -1 ? nil : max(pttl, 0))
    }
}

/// How `cache fetch` behaves: the TTL it stores with and how it waits and refreshes.
public struct FetchPolicy: Sendable, Equatable {
    /// The TTL a computed value is stored with.
    public var ttl: Duration
    /// How long a caller that finds the stampede lock held waits for the fresh value.
    public var wait: Duration
    /// The stampede lock's TTL; the runner renews it every third of it while CMD runs.
    public var lockTTL: Duration
    /// Refresh ahead: a caller that finds less than this left recomputes (one at a time,
    /// under the lock) while the others keep serving the current value. nil: off.
    public var refreshWindow: Duration?
    /// Stale-if-error: how long past `ttl` the stale copy is kept. nil: off.
    public var staleFor: Duration?

    public init(ttl: Duration, wait: Duration, lockTTL: Duration,
                refreshWindow: Duration? = nil, staleFor: Duration? = nil) {
        self.ttl = ttl
        self.wait = wait
        self.lockTTL = lockTTL
        self.refreshWindow = refreshWindow
        self.staleFor = staleFor
    }
}

/// The stampede lock as granted to the one caller that computes the value.
public struct CacheLockGrant: Sendable, Equatable {
    public var keys: LockKeys
    public var owner: [UInt8]
    public var ttl: Duration
    /// When the acquiring command was sent: the lock lives at least until `sentAt + ttl`.
    public var sentAt: ContinuousClock.Instant
}

/// What computing the value gave.
public enum Computation: Sendable, Equatable {
    /// CMD exited 0: its stdout is the value.
    case succeeded([UInt8])
    /// CMD exited with `status` (non-zero): nothing is stored; `output` is what it printed.
    case failed(status: Int32, output: [UInt8])
}

/// How `cache fetch` ended.
public enum FetchOutcome: Sendable, Equatable {
    /// Served from the cache.
    case hit(CacheEntry)
    /// Computed by this caller. `stored` is false when the stampede lock was lost
    /// meanwhile (expired or taken over), so the value was not written.
    case computed([UInt8], stored: Bool)
    /// CMD failed and there was nothing to serve instead.
    case failed(status: Int32, output: [UInt8])
    /// The current value, still valid, served after an early refresh failed with `status`.
    case refreshFailed(CacheEntry, status: Int32)
    /// The stale copy, served because CMD failed with `status` (nil: the wait for another
    /// caller's value ran out).
    case stale([UInt8], status: Int32?)
    /// `--wait` ran out while another caller held the stampede lock, and no stale copy.
    case timedOut(LockState)
}
