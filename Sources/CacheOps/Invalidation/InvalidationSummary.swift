import RedisClient

/// What an invalidation did, also when it stopped early: every figure is true for the
/// work actually done, so a partial summary can be trusted and a rerun finishes the job.
public struct InvalidationSummary: Sendable {
    public enum Stop: Sendable, Equatable {
        /// The caller asked to stop (SIGINT, SIGTERM): stopped after the batch in flight.
        case requested
        /// `--limit` reached.
        case limit
    }

    public var dryRun = false
    /// Keys the server looked at: the database size for each completed pattern scan
    /// (estimated from the cursor for one cut short), plus keys named and tag members read.
    public var scanned = 0
    /// Keys that matched a pattern, were named, or were in a tag's set.
    public var matched = 0
    public var deleted = 0
    /// Dry runs of keys and tags: how many of the named keys exist.
    public var existing: Int?
    public var tagSetsDeleted = 0
    /// Deleted per kind of source, for the published events.
    public var deletedByPattern = 0
    public var deletedByKey = 0
    public var deletedByTag = 0
    /// Keys named (`--key`, `--keys-from`) that were processed.
    public var keysProcessed = 0
    public var elapsed: Duration = .zero
    /// `UNLINK`, or `DEL` on servers that do not know it.
    public var deleteCommand = "UNLINK"
    /// Dry runs: the first matching keys, without the prefix.
    public var sample: [[UInt8]] = []
    /// Latency pauses (`--max-latency-ms`) and their total length.
    public var pauses = 0
    public var paused: Duration = .zero
    public var stop: Stop?
    /// The error that ended the run; the figures above are what was done before it.
    public var failure: RedisError?

    public init() {}

    public var elapsedMs: Double { elapsed.inMilliseconds }
    public var pausedMs: Double { paused.inMilliseconds }

    /// Keys deleted a second (keys matched, in a dry run).
    public var keysPerSecond: Double {
        let seconds = elapsedMs / 1000
        return seconds > 0 ? Double(dryRun ? matched : deleted) / seconds : 0
    }
}

/// A snapshot for progress lines.
public struct InvalidationProgress: Sendable {
    public var summary: InvalidationSummary
    /// The pattern or tag being worked on (without the prefix); nil for named keys.
    public var source: [UInt8]?
    /// Share of the current scan done, when known.
    public var fractionDone: Double?
}
