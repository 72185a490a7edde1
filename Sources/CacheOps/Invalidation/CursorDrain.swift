import RedisClient

/// One node's overlapped SCAN-and-delete loop (a pattern's `SCAN` or a tag's `SSCAN`),
/// kept as a value so it advances a page at a time: one thread can then drive every
/// primary of a cluster in lockstep.
struct CursorDrain {
    let connection: RedisConnection
    let kind: InvalidationRunner.Kind
    /// The SCAN (or SSCAN) for a cursor and a COUNT.
    let cursorCommand: ([UInt8], Int) -> [[UInt8]]
    var pipe: BatchPipeline
    /// Matched keys not yet sent for deletion (less than a batch); a tag's members as stored.
    var pending: [[UInt8]] = []
    /// Deletion batches sent before the SCAN now in flight: their replies come first.
    var batchesAheadOfScan = 0
    /// Keys this loop matched (SCAN may return a key twice: each time counts).
    var matched = 0
    /// A SCAN (or SSCAN) was sent and its reply not yet read.
    var scanInFlight = false
    /// A tag's set, when handled members are removed from it (not in dry runs).
    var setKey: [UInt8]?
    /// Share of this node's keyspace visited, from the last cursor.
    var fraction = 0.0
    var finished = false
    /// The cursor ran to its end (not cut short).
    var complete = false
    /// Stops a walk whose cursor comes back (a server whose iteration never ends).
    var convergence = ScanConvergence()

    /// This node's sizes; replaced by the runner with one probing the node.
    var pacing = ScanPacer(fixed: PacingController.Settings())

    init(connection: RedisConnection, kind: InvalidationRunner.Kind, cursorCommand: @escaping ([UInt8], Int) -> [[UInt8]],
         pipe: BatchPipeline) {
        self.connection = connection
        self.kind = kind
        self.cursorCommand = cursorCommand
        self.pipe = pipe
        convergence = ScanConvergence(command: kind == .tag ? "SSCAN" : "SCAN")
    }
}

extension CursorDrain {
    /// Queues the cursor call for `cursor`, sized by this node's pacing.
    mutating func sendCursor(_ cursor: [UInt8]) {
        connection.enqueue(cursorCommand(cursor, pacing.scanSent()))
        scanInFlight = true
    }

    /// Reads the deletion batches sent before the SCAN now in flight. The count is zeroed
    /// first and `collect` takes every batch it is asked for off the queue even when it
    /// throws, so a later call (settling) never reads a batch twice, nor one sent after the
    /// SCAN, whose replies come after the SCAN's.
    mutating func collectAheadOfScan() throws(RedisError) {
        let ahead = batchesAheadOfScan
        batchesAheadOfScan = 0
        try pipe.collect(ahead)
    }

    /// After an error: reads, in order, every reply still on its way (the deletions ahead of
    /// the SCAN, the SCAN, the deletions after), counting what they deleted; sends nothing.
    /// A broken connection fails only its own parts (`collect` reads the others').
    mutating func readWhatIsInFlight() {
        try? collectAheadOfScan()
        if scanInFlight {
            _ = try? connection.readReply()
            scanInFlight = false
        }
        try? pipe.collectAll()
    }
}
