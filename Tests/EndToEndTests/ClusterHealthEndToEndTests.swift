import XCTest
import Foundation
import TestSupport

final class ClusterHealthEndToEndTests: XCTestCase {
    func testHealthReportsEveryNodeAndClusterState() throws {
        let f = try ClusterFixture.shared.get()
        let r = try Cachectl.run(["-p", "\(f.ports[0])", "health", "--json"])
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: r.stdoutBytes) as? [String: Any])
        XCTAssertEqual(object["mode"] as? String, "cluster")
        let cluster = try XCTUnwrap(object["cluster"] as? [String: Any])
        XCTAssertEqual(cluster["state"] as? String, "ok")
        let nodes = try XCTUnwrap(cluster["nodes"] as? [[String: Any]])
        XCTAssertEqual(Set(nodes.compactMap { $0["node"] as? String }), Set(f.ports.map { "127.0.0.1:\($0)" }))
        XCTAssertEqual(nodes.compactMap { $0["slots"] as? Int }.reduce(0, +), 16384)
        let table = try Cachectl.run(["-p", "\(f.ports[1])", "health"])
        XCTAssertEqual(table.exitCode, 0, table.stderr)
        XCTAssertTrue(table.stdout.contains("state ok"), table.stdout)
    }

    func testAFailedNodeIsABreachNotACrash() throws {
        let f = try ClusterFixture.start()
        f.nodes[2].stop()
        let r = try Cachectl.run(["-p", "\(f.ports[0])", "--timeout", "1s", "health"])
        XCTAssertEqual(r.exitCode, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("127.0.0.1:\(f.ports[2])"), r.stderr)
        XCTAssertTrue(r.stdout.contains("UNREACHABLE"), r.stdout)
        for node in f.nodes { node.stop() }
    }
}
