/// Everything `invalidate` was asked to do. Patterns, keys and tags are as the user wrote
/// them; the `KeyScope` adds the prefix.
public struct InvalidationRequest: Sendable {
    public var patterns: [[UInt8]] = []
    public var tags: [[UInt8]] = []
    /// Where a tag's set lives: `{tag}` is replaced by the tag name (by default `tag:NAME`,
    /// the tag sets applications keep).
    public var tagKeyFormat: [UInt8] = Array("tag:{tag}".utf8)
    /// How a tag's member names its key, `{member}` standing for the member; nil when the
    /// members are the keys themselves.
    public var memberKeyFormat: [UInt8]?
    public var type: KeyType?
    /// SCAN's COUNT hint (`--count`); nil: adapted to the server's load.
    public var scanCount: Int?
    /// Keys per UNLINK (`--batch`); nil: adapted to the server's load.
    public var batchSize: Int?
    /// Keys per second, a hard cap; nil for as fast as pacing allows.
    public var rate: Double?
    /// Server time our writes in flight may take while other clients use the server: the
    /// latency we may add to theirs (`--max-latency-ms`).
    public var latencyBudget = PacingController.Settings.defaultBudget
    /// `--no-throttle`: full-size commands whatever the load (maintenance windows).
    public var unthrottled = false
    /// Stop after this many matching keys.
    public var limit: Int?
    /// Read and count; delete nothing.
    public var dryRun = false
    /// Matching keys to show in a dry run.
    public var sampleSize = 10

    public init() {}

    /// The pacing these settings ask for.
    public var pacing: PacingController.Settings {
        var s = PacingController.Settings()
        s.budgetMicroseconds = max(1, latencyBudget.inMilliseconds * 1000)
        s.fixedCount = scanCount
        s.fixedBatch = batchSize
        s.unthrottled = unthrottled
        return s
    }

    public static let tagPlaceholder = Array("{tag}".utf8)
    public static let memberPlaceholder = Array("{member}".utf8)

    /// The key of `tag`'s set, without the prefix.
    public func tagSetKey(_ tag: [UInt8]) -> [UInt8] {
        KeyTemplate.fill(tagKeyFormat, placeholder: Self.tagPlaceholder, with: tag)
    }

    /// The key a tag member names, without the prefix: the member itself, or with
    /// `memberKeyFormat` the format with `{member}` replaced (an index of session ids,
    /// `session:user:{tag}`, names the keys `session:{member}`).
    public func memberKey(_ member: [UInt8]) -> [UInt8] {
        guard let format = memberKeyFormat else { return member }
        return KeyTemplate.fill(format, placeholder: Self.memberPlaceholder, with: member)
    }
}
