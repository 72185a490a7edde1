import RESP
import RedisClient

/// The cursor walks: SCAN by pattern (one server, or every primary of a cluster in
/// lockstep) and SSCAN of a tag set, each under its node's pacing.
extension InvalidationRunner {
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
        try d.convergence.check(page.cursor)
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
}
