import RedisClient

/// The Redis keys behind a lock NAME: the key applications lock with,
/// `lock:{resource}:{id}`, holding the owner, and the fencing counter. Both start with the
/// prefix, so one `~PREFIX*` ACL rule covers them, and both hash to one cluster slot, so
/// one script can touch both.
public struct LockKeys: Sendable, Equatable {
    /// `PREFIX` + `lock:` + NAME.
    public let key: [UInt8]
    /// `PREFIX fence:{PREFIX lock:NAME}`, or `PREFIX fence:lock:NAME` when the lock key
    /// already carries a hash tag (which then decides both slots).
    public let fenceKey: [UInt8]

    public init(name: [UInt8], prefix: [UInt8] = []) {
        key = prefix + Self.lockWord + name
        fenceKey = Self.fenceKey(name: name, prefix: prefix, key: key)
    }

    /// False when the two keys would land in different cluster slots: a name or prefix
    /// holding a `{` or `}` that is not part of a complete hash tag. The command refuses
    /// such a name (usage error) rather than run scripts a cluster would reject.
    public var sameSlot: Bool { KeySlot.slot(for: key) == KeySlot.slot(for: fenceKey) }

    /// The fencing counter's earlier layout, which versions before the counter moved under
    /// the prefix wrote: `{PREFIX lock:NAME}:fence`, or `PREFIX lock:NAME:fence` when the key
    /// carries a hash tag of its own. Nil when it would lie in another slot than `fenceKey`
    /// (a `}` outside a complete tag), where no script may read it.
    public var legacyFenceKey: [UInt8]? {
        let legacy = Self.hasHashTag(key) ? key + Self.legacySuffix
            : [UInt8(ascii: "{")] + key + [UInt8(ascii: "}")] + Self.legacySuffix
        return KeySlot.slot(for: legacy) == KeySlot.slot(for: fenceKey) ? legacy : nil
    }

    static let legacySuffix = Array(":fence".utf8)

    static let lockWord = Array("lock:".utf8)
    static let fenceWord = Array("fence:".utf8)

    /// A key with a valid hash tag keeps it (the tag is found at the same place after
    /// `fence:` is inserted behind the prefix); otherwise the whole lock key becomes the tag.
    static func fenceKey(name: [UInt8], prefix: [UInt8], key: [UInt8]) -> [UInt8] {
        if hasHashTag(key) { return prefix + fenceWord + lockWord + name }
        return prefix + fenceWord + [UInt8(ascii: "{")] + key + [UInt8(ascii: "}")]
    }

    static func hasHashTag(_ key: [UInt8]) -> Bool {
        guard let open = key.firstIndex(of: UInt8(ascii: "{")),
              let close = key[(open + 1)...].firstIndex(of: UInt8(ascii: "}"))
        else { return false }
        return close > open + 1
    }

    /// True when `key` (with its prefix) is a fencing counter cachectl keeps for some lock:
    /// bookkeeping without a TTL on purpose, which `keys audit` must not report. Also knows
    /// the earlier layout (`{PREFIX lock:NAME}:fence`), which older versions left behind.
    public static func isFenceCounter(_ key: [UInt8], prefix: [UInt8]) -> Bool {
        let open = UInt8(ascii: "{"), close = UInt8(ascii: "}")
        let head = prefix + fenceWord
        if key.starts(with: head) {
            let rest = Array(key[head.count...])
            let wrappedHead = [open] + prefix + lockWord
            if rest.starts(with: wrappedHead), rest.last == close {
                let name = Array(rest[wrappedHead.count..<(rest.count - 1)])
                if LockKeys(name: name, prefix: prefix).fenceKey == key { return true }
            }
            if rest.starts(with: lockWord) {
                let name = Array(rest[lockWord.count...])
                if LockKeys(name: name, prefix: prefix).fenceKey == key { return true }
            }
        }
        let legacyHead = [open] + prefix + lockWord, legacyTail = Array("}:fence".utf8)
        if key.count > legacyHead.count + legacyTail.count && key.starts(with: legacyHead)
            && key.suffix(legacyTail.count).elementsEqual(legacyTail) { return true }
        // The earlier layout of a key with a hash tag of its own: `PREFIX lock:NAME:fence`.
        let head2 = prefix + lockWord
        guard key.count > head2.count + legacySuffix.count, key.starts(with: head2),
              key.suffix(legacySuffix.count).elementsEqual(legacySuffix) else { return false }
        let name = Array(key[head2.count..<(key.count - legacySuffix.count)])
        return LockKeys(name: name, prefix: prefix).legacyFenceKey == key
    }
}
