/// The Redis keys behind a lock NAME: seed 001's `lock:{resource}:{id}` holding the
/// owner, and the fencing counter that must live in the same cluster slot so one script
/// can touch both.
public struct LockKeys: Sendable, Equatable {
    /// `PREFIX` + `lock:` + NAME.
    public let key: [UInt8]
    /// `{PREFIX lock:NAME}:fence`, or `KEY:fence` when the key already carries a hash tag.
    public let fenceKey: [UInt8]

    public init(name: [UInt8], prefix: [UInt8] = []) {
        key = prefix + Array("lock:".utf8) + name
        fenceKey = Self.fenceKey(for: key)
    }

    /// A key in the lock key's slot. Cluster hashes only the first non-empty `{…}` of a
    /// key: a key that has one keeps it when `:fence` is appended; otherwise the whole key
    /// becomes the tag. (A key containing `}` without a valid tag cannot be wrapped whole;
    /// its counter may land in another slot, which matters only on a cluster.)
    static func fenceKey(for key: [UInt8]) -> [UInt8] {
        let suffix = Array(":fence".utf8)
        if hasHashTag(key) { return key + suffix }
        return [UInt8(ascii: "{")] + key + [UInt8(ascii: "}")] + suffix
    }

    static func hasHashTag(_ key: [UInt8]) -> Bool {
        guard let open = key.firstIndex(of: UInt8(ascii: "{")),
              let close = key[(open + 1)...].firstIndex(of: UInt8(ascii: "}"))
        else { return false }
        return close > open + 1
    }
}
