/// The Redis types `SCAN … TYPE` filters on.
public enum KeyType: String, Sendable, CaseIterable {
    case string, hash, list, set, zset, stream
}

/// When a key expires, from `PTTL`.
public enum KeyExpiry: Sendable, Equatable {
    /// No TTL: the key lives until deleted or evicted.
    case never
    case inMilliseconds(Int64)
}

/// One key found by a scan, with the details that were asked for.
public struct KeyEntry: Sendable, Equatable {
    /// The key as the application sees it: the `--prefix` is taken off.
    public var key: [UInt8]
    /// nil when not fetched.
    public var expiry: KeyExpiry?
    /// `MEMORY USAGE` in bytes; nil when not fetched.
    public var sizeBytes: Int64?

    public init(key: [UInt8], expiry: KeyExpiry? = nil, sizeBytes: Int64? = nil) {
        self.key = key
        self.expiry = expiry
        self.sizeBytes = sizeBytes
    }
}

/// Which details to fetch for one key.
public struct KeyDetailRequest: Sendable, Equatable {
    public var expiry: Bool
    public var size: Bool

    public init(expiry: Bool = false, size: Bool = false) {
        self.expiry = expiry
        self.size = size
    }

    public static let none = KeyDetailRequest()
    var commandCount: Int { (expiry ? 1 : 0) + (size ? 1 : 0) }
}

/// What to scan: a pattern (without the prefix), an optional type and the SCAN hint.
public struct KeyScanRequest: Sendable, Equatable {
    public var pattern: [UInt8]
    public var type: KeyType?
    /// The `COUNT` hint: buckets the server visits per call.
    public var count: Int
    /// Stop after this many keys.
    public var limit: Int?
    /// Adaptive COUNT (`ScanPacer`) instead of `count`, when `--count` was not given.
    public var pacing: PacingController.Settings?

    public init(pattern: [UInt8], type: KeyType? = nil, count: Int = 1000, limit: Int? = nil) {
        self.pattern = pattern
        self.type = type
        self.count = count
        self.limit = limit
    }
}

/// How a scan ended.
public struct KeyScanOutcome: Sendable, Equatable {
    /// Keys handed to the caller.
    public var keys: Int
    /// The whole keyspace was visited (not cut short by a limit, the caller or a stop).
    public var complete: Bool
    /// Share of the keyspace visited, from the last cursor.
    public var fractionVisited: Double
    /// Optional details the server refused (`MEMORY USAGE`).
    public var unavailable = OptionalFacts()
    /// Keys SCAN returned that the user may not read (NOPERM on their details: outside
    /// the ACL user's key patterns). Left out of the keys handed over, counted here: SCAN
    /// is not key-checked, reading a key is.
    public var unreadable = 0
}
