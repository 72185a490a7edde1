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
    /// The session ids given (`--session`); empty when a user's index was revoked.
    public var sessionIds: [[UInt8]] = []
    /// Index members read and handled (a user's revocation), or ids given.
    public var matched = 0
    /// How many of their keys existed and were deleted (in a dry run: exist now).
    public var deleted = 0
    /// Dry runs of a user: the session keys that would go, without the prefix.
    public var sample: [[UInt8]] = []
    /// A signal stopped the run between batches; running it again finishes it.
    public var interrupted = false
    /// Index keys emptied and therefore gone, without the prefix.
    public var indexesDeleted: [[UInt8]] = []
    /// Members still in an index at the end: sessions added faster than they were revoked
    /// (the run gives up after a bounded number of passes); their keys stay with them.
    public var remaining = 0
    /// Runs over the index (more than one when ids were added meanwhile).
    public var passes = 0

    public init() {}
}
