/// One session named in a user's index.
public struct SessionEntry: Sendable, Equatable {
    /// The id as the index holds it.
    public var id: [UInt8]
    /// Its key, without the prefix.
    public var key: [UInt8]
    /// Milliseconds left; nil when the key has no TTL. Meaningless when `exists` is false.
    public var ttlMs: Int64?
    /// False for an id whose key is already gone (expired): a stale index entry.
    public var exists: Bool
}

/// `session list`: a user's index and what it points at.
public struct SessionListing: Sendable, Equatable {
    public var user: [UInt8]
    /// The index key, without the prefix.
    public var indexKey: [UInt8]
    /// Sorted by id.
    public var sessions: [SessionEntry]
}

/// What `session revoke` did (or, in a dry run, would do).
public struct SessionRevocation: Sendable, Equatable {
    public var dryRun = false
    /// Session ids handled: named in the index (or given), their keys deleted.
    public var sessionIds: [[UInt8]] = []
    /// How many of their keys existed and were deleted (in a dry run: exist now).
    public var deleted = 0
    /// Index keys emptied and therefore gone, without the prefix.
    public var indexesDeleted: [[UInt8]] = []
    /// Members still in an index at the end: sessions added faster than they were revoked
    /// (the run gives up after a bounded number of passes); their keys stay with them.
    public var remaining = 0
    /// SSCAN passes over the index.
    public var passes = 0

    public init() {}
}
