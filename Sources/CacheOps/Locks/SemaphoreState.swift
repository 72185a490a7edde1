/// Who holds a semaphore's leases and how many wait for one.
public struct SemaphoreState: Sendable, Equatable {
    public struct Holder: Sendable, Equatable {
        public var owner: [UInt8]
        /// Milliseconds until this lease lapses.
        public var ttlMs: Int64

        public init(owner: [UInt8], ttlMs: Int64) {
            self.owner = owner
            self.ttlMs = ttlMs
        }
    }

    /// Live leases, soonest to lapse first.
    public var holders: [Holder]
    /// Owners with a live place in the queue.
    public var waiting: Int

    public init(holders: [Holder], waiting: Int) {
        self.holders = holders
        self.waiting = waiting
    }

    /// Milliseconds until the next lease lapses on its own; nil when nobody holds one.
    public var nextExpiryMs: Int64? { holders.map(\.ttlMs).min() }
}

/// The outcome of one semaphore acquire attempt.
public enum SemaphoreAttempt: Sendable, Equatable {
    /// Granted, with the fencing token of this grant (shared counter with the mutex NAME).
    case acquired(token: Int64)
    /// No slot for this owner now: `position` is its place in the queue (0 = next), -1
    /// when it already holds a lease.
    case full(position: Int, SemaphoreState)
}

/// The outcome of an owner-checked semaphore change (release, extend).
public enum SemaphoreCheck: Sendable, Equatable {
    case done
    /// Nothing was touched: the owner holds no live lease.
    case notOwner(SemaphoreState)
}
