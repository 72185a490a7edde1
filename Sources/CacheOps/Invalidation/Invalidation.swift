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
    ///   - shouldStop: polled between batches; true stops after the batch in flight.
    /// Never throws: a failure mid-run is returned in `failure` with the partial figures.
    ///
    /// On a cluster, each pattern is scanned on every primary in turn and deletions are
    /// grouped by slot. When the slot map changed during a pass (a live resharding), the
    /// pass runs again, so keys that moved to a node already scanned are not missed.
    public static func run<Keys: Sequence>(
        on client: RoutedClient, scope: KeyScope, request: InvalidationRequest, keys: Keys,
        shouldStop: () -> Bool = { false },
        progress: (InvalidationProgress) -> Void = { _ in }
    ) -> InvalidationSummary where Keys.Element == [UInt8] {
        let connection = client.seed
        var runner = InvalidationRunner(connection: connection, scope: scope, request: request,
                                        throttle: Throttle(rate: request.rate))
        do {
            let cluster = try client.clusterIfAny()
            runner.cluster = cluster
            if !request.dryRun { runner.summary.deleteCommand = try deleteCommand(on: connection, scope: scope) }
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

    /// Publishes an invalidation event (applications listen on `cache:invalidate`); returns
    /// how many subscribers received it.
    @discardableResult
    public static func publish(on connection: RedisConnection, channel: [UInt8], message: [UInt8]) throws(RedisError) -> Int {
        Int(try connection.command([Array("PUBLISH".utf8), channel, message]).quantity ?? 0)
    }

    /// `UNLINK` frees memory off the main thread; servers before 4.0 only know `DEL`.
    /// `COMMAND INFO` answers `[nil]` for an unknown command; a server or user that may
    /// not run `COMMAND` gets `UNLINK`, the modern default.
    ///
    /// An ACL user may be allowed DEL and not UNLINK: an UNLINK of a key that cannot exist
    /// tells, since the server checks the command before the keys.
    static func deleteCommand(on connection: RedisConnection, scope: KeyScope) throws(RedisError) -> String {
        do {
            let reply = try connection.command("COMMAND", "INFO", "UNLINK")
            if let first = reply.elements?.first, first.isNull { return "DEL" }
        } catch .server, .permissionDenied {
        }
        let probe = scope.key(Array("cachectl:unlink-probe:\(UInt64.random(in: 1...UInt64.max))".utf8))
        for command in ["UNLINK", "DEL"] {
            do {
                try connection.command([Array(command.utf8), probe])
                return command
            } catch .permissionDenied(let text) where text.lowercased().contains("'\(command.lowercased())'") {
                continue
            } catch .server, .permissionDenied {
                return command
            }
        }
        // Neither: the first deletion fails and names UNLINK, the command meant.
        return "UNLINK"
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
        countPauses(&summary)
    }

    private func countPauses(_ s: inout InvalidationSummary) {
        s.pauses = throttle.pauses + pacingPauses.values.reduce(0) { $0 + $1.count }
        s.paused = throttle.paused + .microseconds(pacingPauses.values.reduce(0) { $0 + $1.microseconds })
    }

    /// Pauses asked by each node's pacing, by node (their controllers count since the start).
    private var pacingPauses: [String: (count: Int, microseconds: Double)] = [:]

    /// Folds a node's current pacing into the summary: sizes now, the smallest, pauses.
    mutating func note(_ pacer: ScanPacer, node: String? = nil) {
        let plan = pacer.plan
        summary.scanCount = plan.scanCount
        summary.batchSize = plan.batchSize
        summary.smallestBatch = min(summary.smallestBatch ?? plan.batchSize, plan.batchSize)
        summary.inFlight = plan.depth
        if pacer.blind { summary.pacingBlind = true }
        let c = pacer.controller
        pacingPauses[node ?? ""] = (c.pauses, c.pausedMicroseconds)
    }

    // MARK: Patterns and tags

    mutating func drainPattern(_ pattern: [UInt8], shouldStop: () -> Bool,
                               progress: (InvalidationProgress) -> Void) throws(RedisError) {
        let dbsize = try Invalidation.databaseSize(on: connection)
        let match = scope.pattern(pattern)
        let type = request.type?.rawValue
        var fraction = 0.0
        let matchedBefore = summary.matched
        defer { summary.scanned += Self.scanned(dbsize: dbsize, fraction: fraction, matched: summary.matched - matchedBefore) }
        try drainCursor(source: pattern, kind: .pattern,
                        cursorCommand: { RedisConnection.scanCommand(cursor: $0, match: match, count: $1, type: type) },
                        fraction: &fraction, shouldStop: shouldStop, progress: progress)
    }

    /// Keys a pattern's walk covered: the database size times the share of the hash table
    /// the cursor visited (an estimate when cut short, the table changing as keys go), never
    /// less than the keys it matched (SCAN may return a key twice: it was then looked at twice)
    /// nor, apart from those, more than the database held.
    static func scanned(dbsize: Int, fraction: Double, matched: Int) -> Int {
        let estimate = Int(saturating: (Double(max(dbsize, 0)) * min(max(fraction, 0), 1)).rounded())
        return max(min(estimate, dbsize), matched)
    }

    /// A tag's members are deleted batch by batch, each batch also removed from the set in
    /// the same step (one `MULTI`/`EXEC` on one server), so members added while the run goes
    /// on stay listed and the set disappears when its last member is removed (Redis deletes
    /// an empty set itself, atomically with that `SREM`). On a cluster the members live in
    /// other slots than the set, where no transaction or script can reach both: there each
    /// batch is removed from the set first and deleted once that `SREM` was answered; a member
    /// re-added (SET, then SADD) after the `SREM` is listed again, so nothing is orphaned
    /// for applications that write the key before they tag it.
    mutating func drainTag(_ tag: [UInt8], shouldStop: () -> Bool,
                           progress: (InvalidationProgress) -> Void) throws(RedisError) {
        let setKey = scope.key(request.tagSetKey(tag))
        var fraction = 0.0
        let matchedBefore = summary.matched
        try drainCursor(source: tag, kind: .tag, setKey: setKey, cursorCommand: {
            [Array("SSCAN".utf8), setKey, $0, Array("COUNT".utf8), Array(String($1).utf8)]
        }, fraction: &fraction, shouldStop: shouldStop, progress: progress)
        if !request.dryRun && summary.matched > matchedBefore {
            if try connection.command([Array("EXISTS".utf8), setKey]).int == 0 {
                summary.tagSetsDeleted += 1
            } else {
                summary.tagSetsKept += 1
            }
        }
    }

    enum Kind { case pattern, tag }

    /// The overlapped loop on the current connection. Returns true when the cursor ran to
    /// its end. On an error reply, every reply already on its way is read and counted
    /// before the error is passed on.
    @discardableResult
    private mutating func drainCursor(source: [UInt8], kind: Kind, setKey: [UInt8]? = nil,
                                      cursorCommand: @escaping ([UInt8], Int) -> [[UInt8]],
                                      fraction: inout Double, shouldStop: () -> Bool,
                                      progress: (InvalidationProgress) -> Void) throws(RedisError) -> Bool {
        var drain = startDrain(on: connection, source: source, kind: kind, routeToOwner: true, setKey: setKey,
                               cursorCommand: cursorCommand)
        defer {
            fold(drain.pipe, kind: kind)
            fraction = drain.fraction
        }
        do throws(RedisError) {
            while !drain.finished {
                try step(&drain, shouldStop: shouldStop) { d, runner in
                    runner.report(progress, source: source, fraction: d.fraction, inFlight: d.pipe.total)
                }
            }
            if let error = drain.pipe.firstError { throw error }
        } catch {
            settle(&drain)
            throw drain.pipe.firstError ?? error
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
        for _ in 0..<4 {
            let before = cluster.topology
            var drains: [CursorDrain] = []
            var sizes: [Int] = []
            defer {
                for (d, size) in zip(drains, sizes) {
                    fold(d.pipe, kind: .pattern)
                    summary.scanned += Self.scanned(dbsize: size, fraction: d.fraction, matched: d.matched)
                }
            }
            do throws(RedisError) {
                for endpoint in before.primaries {
                    let node = try cluster.connection(to: endpoint)
                    sizes.append(try Invalidation.databaseSize(on: node))
                    // Deletions stay on the scanning node: a key it returned is its own unless a
                    // slot is migrating, and then the redirection is followed separately.
                    drains.append(startDrain(on: node, source: pattern, kind: .pattern, routeToOwner: false) {
                        RedisConnection.scanCommand(cursor: $0, match: match, count: $1, type: type)
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
                if let error = drains.lazy.compactMap(\.pipe.firstError).first { throw error }
            } catch {
                // Every node's replies already on their way are read and counted first.
                for i in drains.indices { settle(&drains[i]) }
                throw drains.lazy.compactMap(\.pipe.firstError).first ?? error
            }
            // A dry run deletes nothing, so another pass would only count the same keys again.
            if summary.stop != nil || request.dryRun { return }
            try cluster.refreshTopology()
            if cluster.topology.sameSlotOwners(as: before) { return }
        }
    }

    private func startDrain(on node: RedisConnection, source: [UInt8], kind: Kind, routeToOwner: Bool,
                            setKey: [UInt8]? = nil,
                            cursorCommand: @escaping ([UInt8], Int) -> [[UInt8]]) -> CursorDrain {
        // Dry runs of a tag count which members exist; dry runs of a pattern need nothing more.
        let pipe = BatchPipeline(connection: node, cluster: cluster, routeToOwner: routeToOwner,
                                 command: request.dryRun ? "EXISTS" : summary.deleteCommand,
                                 removingFrom: request.dryRun ? nil : setKey)
        var drain = CursorDrain(connection: node, kind: kind, cursorCommand: cursorCommand, pipe: pipe)
        drain.setKey = request.dryRun ? nil : setKey
        drain.pacing = ScanPacer(node: node, settings: request.pacing)
        drain.sendCursor(ScanCursor.start)
        return drain
    }

    /// One page of one node: read its SCAN reply, then send (in one write) the next SCAN
    /// first and the deletions of what came back second.
    private mutating func step(_ d: inout CursorDrain, shouldStop: () -> Bool,
                               report: (CursorDrain, InvalidationRunner) -> Void) throws(RedisError) {
        let connection = d.connection
        let usesPipe = !request.dryRun || d.kind == .tag
        try d.collectAheadOfScan()
        let reply = try connection.readReply()
        d.scanInFlight = false
        // One write in flight at a time while others use the server: the deletions sent
        // behind this SCAN are answered before the next write goes.
        if d.pacing.plan.depth <= 1 { try d.pipe.collectAll() }
        // An error reply among the deletions: nothing more is sent (the caller settles).
        if let error = d.pipe.firstError { throw error }
        let resumed = d.pacing.adapt(commandsSent: d.pipe.commandsSent, keysSent: d.pipe.sentKeys, shouldStop: shouldStop)
        note(d.pacing, node: d.connection.endpoint)
        if !resumed { summary.stop = summary.stop ?? .requested }
        let batch = throttle.batchSize(d.pacing.plan.batchSize)
        let page = try RedisConnection.parseScanReply(reply)
        var keys = page.keys
        // Keys dropped from this page by the limit: work left undone, so a stop to report.
        var truncated = false
        if let left = limitLeft, keys.count > left {
            keys.removeLast(keys.count - left)
            truncated = true
        }
        summary.matched += keys.count
        d.matched += keys.count
        if d.kind == .tag { summary.scanned += keys.count }
        d.fraction = page.isLast ? 1 : ScanCursor.fractionVisited(page.cursor) ?? d.fraction
        if request.dryRun { takeSample(d.kind == .tag ? keys.map(request.memberKey) : keys, prefixed: d.kind == .pattern) }
        if usesPipe { d.pending.append(contentsOf: keys) }

        let limitReached = limitLeft == 0
        let stopping = shouldStop() || summary.stop == .requested
        let done = page.isLast || limitReached || stopping
        if truncated {
            summary.stop = .limit
        } else if !page.isLast && done {
            summary.stop = limitReached ? .limit : .requested
        }

        // The next cursor call first, so the server scans while we send the deletions.
        d.batchesAheadOfScan = d.pipe.pendingBatches
        if !done { d.sendCursor(page.cursor) }
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
            try send(&d, n)
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
            try d.collectAheadOfScan()
            _ = try connection.readReply()
            d.scanInFlight = false
            try d.pipe.collectAll()
            d.finished = true
        }
    }

    /// Sends the first `n` pending keys for deletion. A tag's pending entries are members as
    /// stored (without the prefix), each naming its key (`memberKey`); on a cluster they
    /// leave the set before their keys go.
    private mutating func send(_ d: inout CursorDrain, _ n: Int) throws(RedisError) {
        let chunk = d.pending[0..<n]
        if d.kind == .tag {
            let keys = chunk.map { scope.key(request.memberKey($0)) }
            if let setKey = d.setKey, let cluster {
                let removed = try cluster.redirectClient().send([Array("SREM".utf8), setKey] + chunk,
                                                                slot: KeySlot.slot(for: setKey))
                if let e = removed.errorBytes {
                    throw RedisError.fromServerReply(d.connection.redactingSecrets(String(decoding: e, as: UTF8.self)))
                }
            }
            d.pipe.send(keys[...], members: chunk)
        } else {
            d.pipe.send(chunk)
        }
        d.pending.removeFirst(n)
    }

    /// Ends a node's loop because the run stopped elsewhere (a limit, a signal): its SCAN
    /// in flight is read and dropped, keys already matched are still deleted.
    private mutating func abandon(_ d: inout CursorDrain) throws(RedisError) {
        try d.collectAheadOfScan()
        _ = try d.connection.readReply()
        d.scanInFlight = false
        if !d.pending.isEmpty && d.pipe.firstError == nil {
            try send(&d, d.pending.count)
            try d.connection.flush()
            try d.pipe.flushOthers()
        }
        try d.pipe.collectAll()
        d.finished = true
    }

    /// After an error: ends this node's loop once every reply still on its way to it was read
    /// and counted (`CursorDrain.readWhatIsInFlight`); sends nothing new.
    private func settle(_ d: inout CursorDrain) {
        guard !d.finished else { return }
        d.finished = true
        // Batches whose replies cannot be read stay counted in `unansweredKeys`.
        d.readWhatIsInFlight()
    }

    // MARK: Named keys

    mutating func drainKeys<Keys: Sequence>(_ keys: Keys, shouldStop: () -> Bool,
                                            progress: (InvalidationProgress) -> Void) throws(RedisError)
        where Keys.Element == [UInt8] {
        var iterator = keys.makeIterator()
        // Nothing named: no pacing probe, no pipeline.
        guard let head = iterator.next() else { return }
        var first: [UInt8]? = head
        var pacing = ScanPacer(node: connection, settings: request.pacing)
        var pipe = BatchPipeline(connection: connection, cluster: cluster, routeToOwner: true,
                                 command: request.dryRun ? "EXISTS" : summary.deleteCommand)
        defer { fold(pipe, kind: nil) }
        do {
            var chunk: [[UInt8]] = []
            var exhausted = false
            while !exhausted {
                if !pacing.adapt(commandsSent: pipe.commandsSent, keysSent: pipe.sentKeys, shouldStop: shouldStop) {
                    summary.stop = .requested
                    break
                }
                note(pacing, node: "keys")
                let batch = throttle.batchSize(pacing.plan.batchSize)
                chunk.removeAll(keepingCapacity: true)
                let room = min(batch, limitLeft ?? batch)
                while chunk.count < room {
                    guard let key = first ?? iterator.next() else { exhausted = true; break }
                    first = nil
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
                // Two batches in flight on an idle server (it works on one while the next is
                // encoded); one while others use it.
                try pipe.collect(pipe.pendingBatches - (pacing.plan.depth > 1 ? 1 : 0))
                if pipe.firstError != nil { break }
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
        } catch {
            // A connection broke (or the throttle's flush failed): every batch still on its
            // way is read in its place, so parts on healthy connections are counted, not
            // left unconfirmed, as the pattern and tag walks settle.
            try? pipe.collectAll()
            throw error
        }
        if let error = pipe.firstError { throw error }
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
        summary.unconfirmed += pipe.unansweredKeys
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
        countPauses(&snapshot)
        progress(InvalidationProgress(summary: snapshot, source: source, fractionDone: fraction))
    }
}
