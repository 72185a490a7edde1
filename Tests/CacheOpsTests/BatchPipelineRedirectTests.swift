import XCTest
import TestSupport
import RedisClient
@testable import CacheOps

/// A deletion part answered with a redirection is re-sent through the redirect client; when
/// that fails (the slot unreachable), the failure is remembered like an error reply and the
/// replies still on their way are read in step, each once.
final class BatchPipelineRedirectTests: XCTestCase {
    private func b(_ s: String) -> [UInt8] { Array(s.utf8) }

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
}
