import XCTest
import TestSupport
import RedisClient
@testable import CacheOps

/// Every reply of a deletion pipeline is read once and in its place, whatever fails: a
/// redirected re-send that gives up, a connection that breaks while batches ahead of a SCAN
/// are being read.
final class BatchPipelineInStepTests: XCTestCase {
    private func b(_ s: String) -> [UInt8] { Array(s.utf8) }

    /// `key(node, n)`: the first key `TAG:n:i` that the cluster serves from `node`.
    private func keyMaker(_ cluster: ClusterClient, tag: String) -> (Endpoint, Int) -> [UInt8] {
        { node, n in
            var i = 0
            while true {
                let k = Array("\(tag):\(n):\(i)".utf8)
                if cluster.topology.primary(forSlot: KeySlot.slot(for: k)) == node { return k }
                i += 1
            }
        }
    }

    func testAFailedRedirectKeepsTheConnectionInStepAndTheCountsTrue() throws {
        let f = try ClusterFixture.start()
        defer { for node in f.nodes { node.stop() } }
        let cluster = try ClusterClient(seed: try RedisConnection.connect(
            ConnectionConfig(endpoint: .tcp(host: "127.0.0.1", port: f.ports[0]))))
        // Three keys in three slots of one node, the middle one in a slot made unreachable.
        let owner = try XCTUnwrap(cluster.topology.primary(forSlot: KeySlot.slot(for: b("p:{a}0"))))
        var keys: [[UInt8]] = []
        var i = 0
        while keys.count < 3 {
            let key = b("p:{a\(i)}")
            i += 1
            let slot = KeySlot.slot(for: key)
            guard cluster.topology.primary(forSlot: slot) == owner, !keys.contains(where: { KeySlot.slot(for: $0) == slot }) else { continue }
            keys.append(key)
        }
        try cluster.command([b("SET"), keys[0], b("v")], key: keys[0])
        try cluster.command([b("SET"), keys[2], b("v")], key: keys[2])
        let unreachable = KeySlot.slot(for: keys[1])
        try f.disputeSlot(unreachable)

        let connection = try cluster.connection(to: owner)
        var pipe = BatchPipeline(connection: connection, cluster: cluster, routeToOwner: true, command: "UNLINK")
        pipe.send(keys[...])
        do {
            try pipe.collectAll()
        } catch {
            return XCTFail("a failed redirect must not throw out of the reading: \(error)\n\(f.diagnostics())")
        }
        XCTAssertEqual(pipe.pendingBatches, 0)
        XCTAssertEqual(pipe.total, 2, "the two reachable keys, each counted once")
        XCTAssertEqual(pipe.unansweredKeys, 0, "every retry was answered: the third key was not deleted")
        let failure = try XCTUnwrap(pipe.firstError)
        XCTAssertTrue(failure.description.contains("slot \(unreachable)"), failure.description)
        // The connection is still in step: its next reply is its next command's.
        XCTAssertEqual(try connection.command("PING").string, "PONG")
        XCTAssertEqual(try cluster.command([b("EXISTS"), keys[0]], key: keys[0]).int, 0)
        XCTAssertEqual(try cluster.command([b("EXISTS"), keys[2]], key: keys[2]).int, 0)
    }

    /// A client of the shared cluster (nothing here changes its slots), its primaries, and
    /// `key(node, n)`; each key it makes is deleted when the test ends, however it ends.
    private func sharedCluster(tag: String, replyTimeout: Duration? = nil) throws
        -> (cluster: ClusterClient, nodes: [Endpoint], key: (Endpoint, Int) -> [UInt8]) {
        let f = try ClusterFixture.shared.get()
        var config = ConnectionConfig(endpoint: .tcp(host: "127.0.0.1", port: f.ports[0]))
        if let replyTimeout { config.replyTimeout = replyTimeout }
        let cluster = try ClusterClient(seed: try RedisConnection.connect(config))
        let make = keyMaker(cluster, tag: "\(tag)\(getpid())")
        let key: (Endpoint, Int) -> [UInt8] = { [self] node, n in
            let k = make(node, n)
            addTeardownBlock { _ = try? cluster.command([self.b("DEL"), k], key: k) }
            return k
        }
        return (cluster, cluster.primaries, key)
    }

    /// A drain scanning on `nodes[0]` whose pipeline sent the `ahead` batches, then the SCAN
    /// (a PING stands for it), then the `behind` batches; all written, then the connection to
    /// `nodes[1]` closed under it.
    private func drainWithABrokenNode(_ cluster: ClusterClient, _ nodes: [Endpoint], ahead: [[[UInt8]]],
                                      behind: [[[UInt8]]]) throws -> CursorDrain {
        for k in (ahead + behind).joined() { try cluster.command([b("SET"), k, b("v")], key: k) }
        let scanning = try cluster.connection(to: nodes[0])
        var drain = CursorDrain(connection: scanning, kind: .pattern, cursorCommand: { _, _ in [] },
                                pipe: BatchPipeline(connection: scanning, cluster: cluster, routeToOwner: true, command: "UNLINK"))
        for batch in ahead { drain.pipe.send(batch[...]) }
        drain.batchesAheadOfScan = drain.pipe.pendingBatches
        scanning.enqueue([b("PING")])
        drain.scanInFlight = true
        for batch in behind { drain.pipe.send(batch[...]) }
        try scanning.flush()
        try drain.pipe.flushOthers()
        try cluster.connection(to: nodes[1]).close()
        return drain
    }

    /// Settling after a connection broke midway reads only what is left of the batches sent
    /// before the SCAN in flight: the SCAN's reply comes next, then the batches sent after it.
    func testBatchesAheadOfTheScanAreReadOnceAndInTheirPlace() throws {
        let (cluster, nodes, key) = try sharedCluster(tag: "ahead")
        let a = [key(nodes[0], 1), key(nodes[0], 2), key(nodes[0], 3)]
        var drain = try drainWithABrokenNode(cluster, nodes, ahead: [[a[0]], [a[1], key(nodes[1], 4)]], behind: [[a[2]]])

        XCTAssertThrowsError(try drain.collectAheadOfScan(), "the closed connection's reply cannot be read")
        XCTAssertNoThrow(try drain.collectAheadOfScan(), "what is left ahead of the SCAN: nothing")
        XCTAssertEqual(drain.batchesAheadOfScan, 0)
        XCTAssertEqual(try drain.connection.readReply().string, "PONG", "the SCAN's reply is next, in its place")
        try drain.pipe.collectAll()
        XCTAssertEqual(drain.pipe.total, 3, "the three keys on the open connection")
        XCTAssertEqual(drain.pipe.unansweredKeys, 1, "the key on the closed connection")
        XCTAssertNil(drain.pipe.firstError)
    }

    /// Settling after an error reads every healthy connection's replies even when a batch
    /// on a broken one comes first: only the broken connection's keys stay unanswered.
    func testSettlingReadsHealthyRepliesBehindABrokenBatch() throws {
        let (cluster, nodes, key) = try sharedCluster(tag: "settle")
        let a = [key(nodes[0], 1), key(nodes[0], 2)]
        var drain = try drainWithABrokenNode(cluster, nodes, ahead: [[key(nodes[1], 3)], [a[0]]], behind: [[a[1]]])

        drain.readWhatIsInFlight()
        XCTAssertEqual(drain.pipe.total, 2, "both keys on the healthy connection, read behind the broken batch")
        XCTAssertEqual(drain.pipe.unansweredKeys, 1, "only the key on the closed connection")
        XCTAssertEqual(drain.batchesAheadOfScan, 0)
        XCTAssertFalse(drain.scanInFlight)
        XCTAssertEqual(try drain.connection.command("PING").string, "PONG", "the healthy connection is still in step")
        XCTAssertEqual(try cluster.command([b("EXISTS"), a[0]], key: a[0]).int, 0)
    }

    /// Named keys (`--key`, `--keys-from`), two batches in flight: when a batch's part on a
    /// broken connection fails, the batch behind it is still read and counted, so only the
    /// broken part's keys are unconfirmed (before, the whole later batch was too).
    func testNamedKeysSettleTheBatchBehindABrokenPart() throws {
        let f = try ClusterFixture.shared.get()
        let client = RoutedClient(seed: try RedisConnection.connect(ConnectionConfig(endpoint: .tcp(host: "127.0.0.1", port: f.ports[0]))))
        let cluster = try XCTUnwrap(try client.clusterIfAny())
        let (_, _, key) = try sharedCluster(tag: "named")
        // Two nodes other than the seed's: the run's own connection stays healthy.
        let others = cluster.primaries.filter { $0 != client.seed.config.endpoint }
        let (a, broken) = (others[0], others[1])
        // Batches of ten, each five keys on `a` and five on `broken`.
        let keys = (0..<20).map { key($0 % 2 == 0 ? a : broken, $0) }
        for k in keys { try cluster.command([b("SET"), k, b("v")], key: k) }
        var request = InvalidationRequest()
        request.batchSize = 10
        request.scanCount = 10  // both sizes fixed: two batches in flight, no pacing probe
        var closed = false
        let summary = Invalidation.run(on: client, scope: KeyScope(), request: request, keys: keys, shouldStop: { false }) { _ in
            // After the first batch was sent: its part on `broken` can no longer be read.
            if !closed { closed = true; try? cluster.connection(to: broken).close() }
        }
        XCTAssertNotNil(summary.failure)
        XCTAssertEqual(summary.unconfirmed, 5, "only the first batch's part on the closed connection")
        XCTAssertEqual(summary.deleted, 15, "the first batch's other part and the whole second batch")
        var left: Int64 = 0
        for k in keys { left += try cluster.command([b("EXISTS"), k], key: k).int ?? 0 }
        XCTAssertEqual(left, 0, "the closed connection's keys were deleted too, unseen")
    }

    /// A connection of the redirect client that broke earlier (another drain's timeout) is
    /// replaced, not reused: the redirected key is deleted and counted, nothing is left
    /// unconfirmed.
    func testABrokenPooledConnectionIsReplacedBeforeARedirect() throws {
        let (cluster, nodes, key) = try sharedCluster(tag: "rp")
        let k = key(nodes[1], 0)
        try cluster.command([b("SET"), k, b("v")], key: k)
        try cluster.redirectClient().connection(to: nodes[1]).close()
        // Sent to the wrong node on purpose: MOVED, then the re-send through the redirect client.
        var pipe = BatchPipeline(connection: try cluster.connection(to: nodes[0]), cluster: cluster,
                                 routeToOwner: false, command: "UNLINK")
        pipe.send([k][...])
        try pipe.collectAll()
        XCTAssertEqual(pipe.total, 1)
        XCTAssertEqual(pipe.unansweredKeys, 0)
        XCTAssertNil(pipe.firstError)
        XCTAssertEqual(try cluster.command([b("EXISTS"), k], key: k).int, 0)
    }

    /// A redirected re-send that times out with the command sent may still have run: its key
    /// counts as unconfirmed (so `deleted + unconfirmed` bounds the truth), not as deleted
    /// nor as kept. The owner is paused for writes, so the UNLINK runs after we gave up.
    func testARedirectThatTimesOutInFlightLeavesItsKeyUnconfirmed() throws {
        let (cluster, nodes, key) = try sharedCluster(tag: "late", replyTimeout: .milliseconds(300))
        let k = key(nodes[1], 0)
        try cluster.command([b("SET"), k, b("v")], key: k)
        _ = try cluster.redirectClient()
        let owner = try RedisConnection.connect(ConnectionConfig(endpoint: nodes[1]))
        try owner.command("CLIENT", "PAUSE", "1500", "WRITE")
        defer { _ = try? owner.command("CLIENT", "UNPAUSE") }
        var pipe = BatchPipeline(connection: try cluster.connection(to: nodes[0]), cluster: cluster,
                                 routeToOwner: false, command: "UNLINK")
        pipe.send([k][...])
        try pipe.collectAll()
        XCTAssertEqual(pipe.total, 0)
        XCTAssertEqual(pipe.unansweredKeys, 1, "sent, never answered: its fate is unknown")
        XCTAssertNotNil(pipe.firstError)
        usleep(1_600_000)
        XCTAssertEqual(try owner.command([b("EXISTS"), k]).int, 0, "the UNLINK did run once the pause ended")
    }
}
