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
    /// Keys looked at: for each pattern the database size times the share of the hash table
    /// the cursor visited (an estimate for a walk cut short), never less than the keys it
    /// matched; plus the keys named and the tag members read. Always `>= matched`.
    public var scanned = 0
    /// Keys SCAN returned matching a pattern, keys named, and tag members read, up to
    /// `--limit`. SCAN may return a key twice while the server resizes its table, and each
    /// time counts, so `matched` can exceed the distinct keys (and `deleted`).
    public var matched = 0
    /// The sum of the servers' replies to the deletions: exact for every batch whose reply
    /// was read. After an error reply the replies of batches already sent are still read.
    public var deleted = 0
    /// Keys in batches sent whose replies never came (the connection broke): the server may
    /// have deleted some of them, so `deleted` is then a lower bound, off by at most this.
    public var unconfirmed = 0
    /// Dry runs of keys and tags: how many of the named keys exist.
    public var existing: Int?
    /// Tag sets that ended empty (and so were deleted by the server with their last member).
    public var tagSetsDeleted = 0
    /// Tag sets that still exist at the end: members added during the run, or left by
    /// `--limit` or a stop; they list exactly the members not handled.
    public var tagSetsKept = 0
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
    /// Pacing at the end (or now, in a progress snapshot): SCAN COUNT, keys per deletion,
    /// writes in flight; and the smallest deletion batch used.
    public var scanCount = 0
    public var batchSize = 0
    public var inFlight = 0
    public var smallestBatch: Int?
    /// A node refused the pacing probe (INFO): its sizes stayed at the gentle start.
    public var pacingBlind = false
    /// Pauses (pacing on a starved server, `--rate`) and their total length.
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
