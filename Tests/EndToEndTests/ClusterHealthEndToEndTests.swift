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
        // Every node's memory, the one asked included (it showed "-"), and the cluster's keys
        // as the sum over the primaries, which DBSIZE on each agrees with.
        XCTAssertEqual(nodes.filter { $0["usedMemoryBytes"] as? Int == nil }.count, 0, "\(nodes)")
        let dbsizes = try f.nodes.map { Int(try $0.cli(["DBSIZE"])) ?? -1 }.reduce(0, +)
        XCTAssertEqual(cluster["keys"] as? Int, dbsizes, "\(cluster)")
        let table = try Cachectl.run(["-p", "\(f.ports[1])", "health"])
        XCTAssertEqual(table.exitCode, 0, table.stderr)
        XCTAssertTrue(table.stdout.contains("state ok"), table.stdout)
        XCTAssertTrue(table.stdout.contains("cluster keys"), table.stdout)
    }

    func testEachNodeIsJudgedAndTheWorstVerdictWins() throws {
        let f = try ClusterFixture.shared.get()
        // One node full with noeviction: a breach named for that node, asked through another.
        try f.nodes[2].cli(["config", "set", "maxmemory-policy", "noeviction"])
        try f.nodes[2].cli(["config", "set", "maxmemory", "1"])
        defer {
            _ = try? f.nodes[2].cli(["config", "set", "maxmemory", "0"])
        }
        let r = try Cachectl.run(["-p", "\(f.ports[0])", "health", "--json"])
        XCTAssertEqual(r.exitCode, 1, r.stderr)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: r.stdoutBytes) as? [String: Any])
        let breach = try XCTUnwrap((object["breaches"] as? [[String: Any]])?.first)
        XCTAssertEqual(breach["metric"] as? String, "memory")
        XCTAssertEqual(breach["node"] as? String, "127.0.0.1:\(f.ports[2])")
        let nodes = try XCTUnwrap((object["cluster"] as? [String: Any])?["nodes"] as? [[String: Any]])
        XCTAssertEqual(nodes.filter { $0["healthy"] as? Bool == false }.compactMap { $0["node"] as? String },
                       ["127.0.0.1:\(f.ports[2])"])
        let table = try Cachectl.run(["-p", "\(f.ports[0])", "health"])
        XCTAssertTrue(table.stderr.contains("breach: node 127.0.0.1:\(f.ports[2]): memory"), table.stderr)
        let prometheus = try Cachectl.run(["-p", "\(f.ports[0])", "health", "--prometheus"])
        XCTAssertEqual(prometheus.exitCode, 1)
        try assertValidExposition(prometheus.stdout)
        XCTAssertTrue(prometheus.stdout.contains("cachectl_cluster_node_healthy{node=\"127.0.0.1:\(f.ports[2])\",role=\"master\"} 0"),
                      prometheus.stdout)
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
