/// The part of the keyspace a command may touch: `--prefix` / `REDIS_KEY_PREFIX` (ioredis
/// `keyPrefix`) is prepended to every key, pattern and tag set, and taken off again before
/// a key is shown, so what `keys list` prints can be fed back to `invalidate --keys-from`
/// with the same prefix.
public struct KeyScope: Sendable, Equatable {
    public var prefix: [UInt8]

    public init(prefix: [UInt8] = []) {
        self.prefix = prefix
    }

    public func key(_ key: [UInt8]) -> [UInt8] {
        prefix.isEmpty ? key : prefix + key
    }

    /// The prefix is literal text, so its glob metacharacters are escaped.
    public func pattern(_ pattern: [UInt8]) -> [UInt8] {
        prefix.isEmpty ? pattern : GlobPattern.escape(prefix) + pattern
    }

    /// The key as the application sees it (without the prefix).
    public func strip(_ key: [UInt8]) -> [UInt8] {
        guard !prefix.isEmpty, key.starts(with: prefix) else { return key }
        return Array(key[prefix.count...])
    }
}
