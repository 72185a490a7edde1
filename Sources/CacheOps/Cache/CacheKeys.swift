import RedisClient

/// The Redis keys behind one cache KEY. The value itself lives at `PREFIX KEY` as a plain
/// string (what applications' `getOrSet` reads and writes with SETEX). `cache fetch` adds two
/// companions, both under the prefix and in the value's cluster slot, because one script
/// writes the value, the stale copy and checks the stampede lock together:
///
/// - the stampede lock `PREFIX lock:cache:{PREFIX KEY}` (a lock NAME of
///   `cache:{PREFIX KEY}`, so `lock status` can show it), or `PREFIX lock:cache:KEY`
///   when the value key already carries a hash tag, which then decides every slot;
/// - the stale copy `PREFIX stale:{PREFIX KEY}` (or `PREFIX stale:KEY`), kept by
///   `--stale-if-error` a while past the value's TTL.
public struct CacheKeys: Sendable, Equatable {
    public let value: [UInt8]
    public let stale: [UInt8]
    public let lock: LockKeys

    public init(key: [UInt8], prefix: [UInt8] = []) {
        value = prefix + key
        if LockKeys.hasHashTag(value) {
            stale = prefix + Self.staleWord + key
            lock = LockKeys(name: Self.cacheWord + key, prefix: prefix)
        } else {
            let tagged = [UInt8(ascii: "{")] + value + [UInt8(ascii: "}")]
            stale = prefix + Self.staleWord + tagged
            lock = LockKeys(name: Self.cacheWord + tagged, prefix: prefix)
        }
    }

    /// False when the companions cannot share the value's cluster slot: a key or prefix
    /// with a brace outside a complete hash tag (`a}b`). `cache fetch` refuses such a key.
    public var sameSlot: Bool {
        let slot = KeySlot.slot(for: value)
        return KeySlot.slot(for: stale) == slot && KeySlot.slot(for: lock.key) == slot
    }

    static let staleWord = Array("stale:".utf8)
    static let cacheWord = Array("cache:".utf8)
}
