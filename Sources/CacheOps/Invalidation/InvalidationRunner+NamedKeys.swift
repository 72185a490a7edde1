import RESP
import RedisClient

/// Named keys (`--key`, `--keys-from`): batches of the keys as given, no SCAN.
extension InvalidationRunner {
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
}
