/// Who holds a lock and for how long: the `{locked, owner, ttl}` applications read.
public struct LockState: Sendable, Equatable {
    /// The owner string; nil when the lock is free.
    public var owner: [UInt8]?
    /// Milliseconds until the lock expires; nil when free, -1 when it never expires (a
    /// key set without TTL by some other client).
    public var ttlMs: Int64?

    public init(owner: [UInt8]?, ttlMs: Int64?) {
        self.owner = owner
        self.ttlMs = owner == nil ? nil : ttlMs
    }

    public var isLocked: Bool { owner != nil }
}

/// The outcome of one acquire attempt.
public enum LockAttempt: Sendable, Equatable {
    /// Granted, with the fencing token of this grant (strictly larger than every earlier one).
    case acquired(token: Int64)
    /// Somebody else holds it (or the same owner already does: a grant is never silently
    /// repeated).
    case held(LockState)
}

/// The outcome of an owner-checked change (release, extend).
public enum OwnerCheck: Sendable, Equatable {
    case done
    /// Nothing was touched: the lock is free or held by someone else.
    case notOwner(LockState)
}
