import RESP
import RedisClient

/// `cachectl invalidate`: deletes keys by pattern, by name and by tag, fast and gently.
///
/// Pattern and tag runs keep the pipeline full: each write carries the next `SCAN` (or
/// `SSCAN`) first and the `UNLINK` of the page just read second. The scan reply comes
/// back while the server is still unlinking, so the next write is on its way before the
/// server is idle: one round trip per page, and scanning overlaps deleting.
public enum Invalidation {
    /// - Parameters:
    ///   - keys: named keys (`--key`, `--keys-from`), without the prefix; read once, lazily.
    ///   - latencyProbe: a second connection for `maxLatency` PINGs.
    ///   - shouldStop: polled between batches; true stops after the batch in flight.
    /// Never throws: a failure mid-run is returned in `failure` with the partial figures.
    ///
    /// On a cluster, each pattern is scanned on every primary in turn and deletions are
    /// grouped by slot. When the slot map changed during a pass (a live resharding), the
    /// pass runs again, so keys that moved to a node already scanned are not missed.
    public static func run<Keys: Sequence>(
        on client: RoutedClient, scope: KeyScope, request: InvalidationRequest, keys: Keys,
        latencyProbe: RedisConnection? = nil, shouldStop: () -> Bool = { false },
        progress: (InvalidationProgress) -> Void = { _ in }
    ) -> InvalidationSummary where Keys.Element == [UInt8] {
        let connection = client.seed
        var runner = InvalidationRunner(connection: connection, scope: scope, request: request,
                                        throttle: Throttle(rate: request.rate, latencyLimit: request.maxLatency,
                                                           probe: latencyProbe))
        do {
            let cluster = try client.clusterIfAny()
            runner.cluster = cluster
            if !request.dryRun { runner.summary.deleteCommand = try deleteCommand(on: connection) }
            for pattern in request.patterns where runner.canContinue(shouldStop) {
                if let cluster {
                    try runner.drainPatternOnCluster(pattern, cluster: cluster, shouldStop: shouldStop, progress: progress)
                } else {
                    try runner.drainPattern(pattern, shouldStop: shouldStop, progress: progress)
                }
            }
            runner.connection = connection
            if runner.canContinue(shouldStop, moreWork: false) {
                try runner.drainKeys(keys, shouldStop: shouldStop, progress: progress)
            } else if runner.summary.stop == nil {
                // The limit was reached exactly: only named keys still waiting make it a stop.
                var pending = keys.makeIterator()
                if pending.next() != nil { runner.summary.stop = .limit }
            }
            for tag in request.tags where runner.canContinue(shouldStop) {
                if let cluster, let owner = cluster.topology.primary(forSlot: KeySlot.slot(for: scope.key(request.tagSetKey(tag)))) {
                    runner.connection = try cluster.connection(to: owner)
                }
                try runner.drainTag(tag, shouldStop: shouldStop, progress: progress)
            }
        } catch {
            runner.summary.failure = error
        }
        runner.finish()
        return runner.summary
    }

    /// `DBSIZE`, for the confirmation prompt: summed over every primary of a cluster.
    public static func databaseSize(on client: RoutedClient) throws(RedisError) -> Int {
        var total = 0
        for node in try client.primaryConnections() { total = total.saturatingAdd(try databaseSize(on: node)) }
        return total
    }

    static func databaseSize(on connection: RedisConnection) throws(RedisError) -> Int {
        let reply = try connection.command("DBSIZE")
        guard let n = reply.quantity else {
            throw .protocolViolation("DBSIZE answered " + (reply.int.map { "\($0)" } ?? "something other than an integer"))
        }
        return Int(n)
    }

    /// Publishes an invalidation event (seed 001: `cache:invalidate`); returns how many
    /// subscribers received it.
    @discardableResult
    public static func publish(on connection: RedisConnection, channel: [UInt8], message: [UInt8]) throws(RedisError) -> Int {
        Int(try connection.command([Array("PUBLISH".utf8), channel, message]).quantity ?? 0)
    }

    /// `UNLINK` frees memory off the main thread; servers before 4.0 only know `DEL`.
    /// `COMMAND INFO` answers `[nil]` for an unknown command; a server or user that may
    /// not run `COMMAND` gets `UNLINK`, the modern default.
    static func deleteCommand(on connection: RedisConnection) throws(RedisError) -> String {
        do {
            let reply = try connection.command("COMMAND", "INFO", "UNLINK")
            if let first = reply.elements?.first, first.isNull { return "DEL" }
            return "UNLINK"
        } catch .server, .permissionDenied {
            return "UNLINK"
        }
    }
}

/// The state of one run; each `drain…` folds its counts into `summary` even when it
/// throws, so the partial summary stays true.
struct InvalidationRunner {
    /// The node being worked on: the server, or one primary of a cluster at a time.
    var connection: RedisConnection
    var cluster: ClusterClient?
    let scope: KeyScope
    let request: InvalidationRequest
    var throttle: Throttle
    var summary = InvalidationSummary()
    private let clock = ContinuousClock()
    private let began: ContinuousClock.Instant

    init(connection: RedisConnection, scope: KeyScope, request: InvalidationRequest, throttle: Throttle) {
        self.connection = connection
        self.scope = scope
        self.request = request
        self.throttle = throttle
        self.began = clock.now
        summary.dryRun = request.dryRun
    }

    private var limitLeft: Int? { request.limit.map { max(0, $0 - summary.matched) } }

    /// `moreWork`: the caller knows there is something left to do, so reaching the limit
    /// now is a stop worth reporting.
    mutating func canContinue(_ shouldStop: () -> Bool, moreWork: Bool = true) -> Bool {
        if summary.stop != nil { return false }
        if limitLeft == 0 {
            if moreWork { summary.stop = .limit }
            return false
        }
        if shouldStop() {
            summary.stop = .requested
            return false
        }
        return true
    }

    mutating func finish() {
        summary.elapsed = clock.now - began
        summary.pauses = throttle.pauses
        summary.paused = throttle.paused
    }

    // MARK: Patterns and tags

    mutating func drainPattern(_ pattern: [UInt8], shouldStop: () -> Bool,
                               progress: (InvalidationProgress) -> Void) throws(RedisError) {
        let dbsize = try Invalidation.databaseSize(on: connection)
        let match = scope.pattern(pattern)
        let type = request.type?.rawValue
        let count = request.scanCount
        var fraction = 0.0
        defer { summary.scanned += Int(saturating: (Double(dbsize) * fraction).rounded()) }
        try drainCursor(source: pattern, kind: .pattern,
                        cursorCommand: { RedisConnection.scanCommand(cursor: $0, match: match, count: count, type: type) },
                        fraction: &fraction, shouldStop: shouldStop, progress: progress)
    }

    mutating func drainTag(_ tag: [UInt8], shouldStop: () -> Bool,
                           progress: (InvalidationProgress) -> Void) throws(RedisError) {
        let setKey = scope.key(request.tagSetKey(tag))
        let count = Array(String(request.scanCount).utf8)
        var fraction = 0.0
        let complete = try drainCursor(source: tag, kind: .tag, cursorCommand: {
            [Array("SSCAN".utf8), setKey, $0, Array("COUNT".utf8), count]
        }, fraction: &fraction, shouldStop: shouldStop, progress: progress)
        // The set goes last, and only when every member was handled: an interrupted run
        // leaves it for the rerun to finish.
        if complete && !request.dryRun {
            let n = min(1, try connection.command([Array(summary.deleteCommand.utf8), setKey]).quantity ?? 0)
            summary.tagSetsDeleted += Int(n)
        }
    }

    enum Kind { case pattern, tag }

    /// The overlapped loop on the current connection. Returns true when the cursor ran to
    /// its end.
    @discardableResult
    private mutating func drainCursor(source: [UInt8], kind: Kind, cursorCommand: @escaping ([UInt8]) -> [[UInt8]],
                                      fraction: inout Double, shouldStop: () -> Bool,
                                      progress: (InvalidationProgress) -> Void) throws(RedisError) -> Bool {
        var drain = startDrain(on: connection, source: source, kind: kind, routeToOwner: true, cursorCommand: cursorCommand)
        defer {
            fold(drain.pipe, kind: kind)
            fraction = drain.fraction
        }
        while !drain.finished {
            try step(&drain, shouldStop: shouldStop) { d, runner in
                runner.report(progress, source: source, fraction: d.fraction, inFlight: d.pipe.total)
            }
        }
        return drain.complete
    }

    /// Every primary at once, in lockstep from this thread: each round reads one page from
    /// each node and sends that node its next SCAN and deletions, so while one node's reply
    /// is read the others are already working. Runs again while the slot map keeps changing
    /// (bounded), so keys that a resharding moved to a node already scanned are not missed.
    mutating func drainPatternOnCluster(_ pattern: [UInt8], cluster: ClusterClient, shouldStop: () -> Bool,
                                        progress: (InvalidationProgress) -> Void) throws(RedisError) {
        let match = scope.pattern(pattern)
        let type = request.type?.rawValue
        let count = request.scanCount
        for _ in 0..<4 {
            let before = cluster.topology
            var drains: [CursorDrain] = []
            var sizes: [Int] = []
            defer {
                for (d, size) in zip(drains, sizes) {
                    fold(d.pipe, kind: .pattern)
                    summary.scanned += Int(saturating: (Double(size) * d.fraction).rounded())
                }
            }
            for endpoint in before.primaries {
                let node = try cluster.connection(to: endpoint)
                sizes.append(try Invalidation.databaseSize(on: node))
                // Deletions stay on the scanning node: a key it returned is its own unless a
                // slot is migrating, and then the redirection is followed separately.
                drains.append(startDrain(on: node, source: pattern, kind: .pattern, routeToOwner: false) {
                    RedisConnection.scanCommand(cursor: $0, match: match, count: count, type: type)
                })
                // Sent now, so every node scans its first page while the first is read.
                try node.flush()
            }
            while drains.contains(where: { !$0.finished }) {
                for i in drains.indices where !drains[i].finished {
                    let others = drains.indices.filter { $0 != i }
                    let otherFractions = others.reduce(0) { $0 + drains[$1].fraction }
                    let otherDeleted = others.reduce(0) { $0 + drains[$1].pipe.total }
                    let nodes = Double(drains.count)
                    try step(&drains[i], shouldStop: shouldStop) { d, runner in
                        runner.report(progress, source: pattern, fraction: (otherFractions + d.fraction) / nodes,
                                      inFlight: otherDeleted + d.pipe.total)
                    }
                    if summary.stop != nil {
                        for j in drains.indices where !drains[j].finished { try abandon(&drains[j]) }
                        break
                    }
                }
            }
            // A dry run deletes nothing, so another pass would only count the same keys again.
            if summary.stop != nil || request.dryRun { return }
            try cluster.refreshTopology()
            if cluster.topology.sameSlotOwners(as: before) { return }
        }
    }

    private func startDrain(on node: RedisConnection, source: [UInt8], kind: Kind, routeToOwner: Bool,
                            cursorCommand: @escaping ([UInt8]) -> [[UInt8]]) -> CursorDrain {
        // Dry runs of a tag count which members exist; dry runs of a pattern need nothing more.
        let pipe = BatchPipeline(connection: node, cluster: cluster, routeToOwner: routeToOwner,
                                 command: request.dryRun ? "EXISTS" : summary.deleteCommand)
        node.enqueue(cursorCommand(ScanCursor.start))
        return CursorDrain(connection: node, kind: kind, cursorCommand: cursorCommand, pipe: pipe)
    }

    /// One page of one node: read its SCAN reply, then send (in one write) the next SCAN
    /// first and the deletions of what came back second.
    private mutating func step(_ d: inout CursorDrain, shouldStop: () -> Bool,
                               report: (CursorDrain, InvalidationRunner) -> Void) throws(RedisError) {
        let connection = d.connection
        let batch = throttle.batchSize(request.batchSize)
        let usesPipe = !request.dryRun || d.kind == .tag
        try d.pipe.collect(d.batchesAheadOfScan)
        let page = try RedisConnection.parseScanReply(try connection.readReply())
        var keys = page.keys
        // Keys dropped from this page by the limit: work left undone, so a stop to report.
        var truncated = false
        if let left = limitLeft, keys.count > left {
            keys.removeLast(keys.count - left)
            truncated = true
        }
        if d.kind == .tag { keys = keys.map(scope.key) }
        summary.matched += keys.count
        if d.kind == .tag { summary.scanned += keys.count }
        d.fraction = page.isLast ? 1 : ScanCursor.fractionVisited(page.cursor) ?? d.fraction
        if request.dryRun { takeSample(keys, prefixed: true) }
        if usesPipe { d.pending.append(contentsOf: keys) }

        let limitReached = limitLeft == 0
        let stopping = shouldStop()
        let done = page.isLast || limitReached || stopping
        if truncated {
            summary.stop = .limit
        } else if !page.isLast && done {
            summary.stop = limitReached ? .limit : .requested
        }

        // The next cursor call first, so the server scans while we send the deletions.
        d.batchesAheadOfScan = d.pipe.pendingBatches
        if !done { connection.enqueue(d.cursorCommand(page.cursor)) }
        var cut = false
        if request.dryRun && d.kind == .pattern && throttle.isActive {
            cut = try !throttle.admit(keys.count, beforeWaiting: connection.flush, shouldStop: shouldStop)
        }
        while !cut && (d.pending.count >= batch || (done && !d.pending.isEmpty)) {
            let n = min(batch, d.pending.count)
            if throttle.isActive,
               try !throttle.admit(n, beforeWaiting: connection.flush, shouldStop: shouldStop) {
                cut = true
                break
            }
            d.pipe.send(d.pending[0..<n])
            d.pending.removeFirst(n)
        }
        if cut { summary.stop = .requested }
        try connection.flush()
        try d.pipe.flushOthers()
        report(d, self)
        if done {
            try d.pipe.collectAll()
            d.finished = true
            d.complete = page.isLast && !limitReached
        } else if cut {
            // Stopped while throttled: read the scan already asked for, delete no more.
            try d.pipe.collect(d.batchesAheadOfScan)
            _ = try connection.readReply()
            try d.pipe.collectAll()
            d.finished = true
        }
    }

    /// Ends a node's loop because the run stopped elsewhere (a limit, a signal): its SCAN
    /// in flight is read and dropped, keys already matched are still deleted.
    private mutating func abandon(_ d: inout CursorDrain) throws(RedisError) {
        try d.pipe.collect(d.batchesAheadOfScan)
        _ = try d.connection.readReply()
        if !d.pending.isEmpty {
            d.pipe.send(d.pending[...])
            d.pending.removeAll()
            try d.connection.flush()
            try d.pipe.flushOthers()
        }
        try d.pipe.collectAll()
        d.finished = true
    }

    // MARK: Named keys

    mutating func drainKeys<Keys: Sequence>(_ keys: Keys, shouldStop: () -> Bool,
                                            progress: (InvalidationProgress) -> Void) throws(RedisError)
        where Keys.Element == [UInt8] {
        let batch = throttle.batchSize(request.batchSize)
        var pipe = BatchPipeline(connection: connection, cluster: cluster, routeToOwner: true,
                                 command: request.dryRun ? "EXISTS" : summary.deleteCommand)
        defer { fold(pipe, kind: nil) }
        var iterator = keys.makeIterator()
        var chunk: [[UInt8]] = []
        chunk.reserveCapacity(batch)
        var exhausted = false
        while !exhausted {
            chunk.removeAll(keepingCapacity: true)
            let room = min(batch, limitLeft ?? batch)
            while chunk.count < room {
                guard let key = iterator.next() else { exhausted = true; break }
                if request.dryRun { takeSample([key], prefixed: false) }
                chunk.append(scope.key(key))
            }
            if chunk.isEmpty { break }
            if throttle.isActive,
               try !throttle.admit(chunk.count, beforeWaiting: connection.flush, shouldStop: shouldStop) {
                summary.stop = .requested
                break
            }
            pipe.send(chunk[...])
            summary.matched += chunk.count
            summary.scanned += chunk.count
            summary.keysProcessed += chunk.count
            try connection.flush()
            try pipe.flushOthers()
            // Two batches in flight: the server works on one while the next is encoded.
            try pipe.collect(pipe.pendingBatches - 1)
            report(progress, source: nil, fraction: nil, inFlight: pipe.total)
            if limitLeft == 0 {
                if iterator.next() != nil { summary.stop = .limit }
                break
            }
            if shouldStop() {
                summary.stop = .requested
                break
            }
        }
        try pipe.collectAll()
    }

    // MARK: Bookkeeping

    private mutating func takeSample(_ keys: [[UInt8]], prefixed: Bool) {
        for key in keys where summary.sample.count < request.sampleSize {
            summary.sample.append(prefixed ? scope.strip(key) : key)
        }
    }

    /// Adds a finished (or failed) pipeline's replies to the summary.
    mutating func fold(_ pipe: BatchPipeline, kind: Kind?) {
        if request.dryRun {
            if pipe.sentKeys > 0 { summary.existing = (summary.existing ?? 0) + pipe.total }
            return
        }
        summary.deleted += pipe.total
        switch kind {
        case .pattern?: summary.deletedByPattern += pipe.total
        case .tag?: summary.deletedByTag += pipe.total
        case nil: summary.deletedByKey += pipe.total
        }
    }

    /// `inFlight`: what pipelines not yet folded into the summary have deleted so far.
    func report(_ progress: (InvalidationProgress) -> Void, source: [UInt8]?, fraction: Double?,
                inFlight: Int) {
        var snapshot = summary
        if !request.dryRun { snapshot.deleted += inFlight }
        snapshot.elapsed = clock.now - began
        progress(InvalidationProgress(summary: snapshot, source: source, fractionDone: fraction))
    }
}
