/// Everything `invalidate` was asked to do. Patterns, keys and tags are as the user wrote
/// them; the `KeyScope` adds the prefix.
public struct InvalidationRequest: Sendable {
    public var patterns: [[UInt8]] = []
    public var tags: [[UInt8]] = []
    /// Where a tag's set lives: `{tag}` is replaced by the tag name (seed 003: `tag:NAME`).
    public var tagKeyFormat: [UInt8] = Array("tag:{tag}".utf8)
    public var type: KeyType?
    /// SCAN's COUNT hint.
    public var scanCount = 1000
    /// Keys per UNLINK.
    public var batchSize = 1000
    /// Keys per second; nil for as fast as the server goes.
    public var rate: Double?
    /// Pause while a PING takes longer than this.
    public var maxLatency: Duration?
    /// Stop after this many matching keys.
    public var limit: Int?
    /// Read and count; delete nothing.
    public var dryRun = false
    /// Matching keys to show in a dry run.
    public var sampleSize = 10

    public init() {}

    public static let tagPlaceholder = Array("{tag}".utf8)

    /// The key of `tag`'s set, without the prefix.
    public func tagSetKey(_ tag: [UInt8]) -> [UInt8] {
        let f = tagKeyFormat, p = Self.tagPlaceholder
        var out: [UInt8] = []
        var i = 0
        while i < f.count {
            if f.count - i >= p.count && f[i..<(i + p.count)].elementsEqual(p) {
                out += tag
                i += p.count
            } else {
                out.append(f[i])
                i += 1
            }
        }
        return out
    }
}
