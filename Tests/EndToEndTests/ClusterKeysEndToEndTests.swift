import XCTest
import Foundation
import TestSupport
import RedisClient

/// keys and invalidate on a three-primary cluster: every primary is scanned, deletions are
/// grouped by slot (no CROSSSLOT), and a live slot migration loses and adds nothing.
final class ClusterKeysEndToEndTests: XCTestCase {
    private func seed(_ f: ClusterFixture, _ keys: [[UInt8]]) throws {
        let client = try ClusterClient(seed: try RedisConnection.connect(ConnectionConfig(endpoint: .tcp(host: "127.0.0.1", port: f.ports[0]))))
        for key in keys { try client.command([Array("SET".utf8), key, Array("v".utf8)], key: key) }
    }

    /// Matching keys on every node, counted with SCAN over a plain connection (keys may
    /// hold newlines, so redis-cli's line output cannot be counted).
    private func count(_ f: ClusterFixture, pattern: String) throws -> Int {
        var total = 0
        for node in f.nodes {
            let conn = try RedisConnection.connect(ConnectionConfig(endpoint: .tcp(host: "127.0.0.1", port: node.port)))
            var cursor = Array("0".utf8)
            repeat {
                let page = try conn.scan(cursor: cursor, match: Array(pattern.utf8), count: 1000)
                total += page.keys.count
                cursor = page.cursor
            } while !(cursor == Array("0".utf8))
        }
        return total
    }

    /// keys expire writes on each primary from a connection to that primary; keys show
    /// routes each key to its owner.
    func testExpireAndShowOnEveryPrimary() throws {
        let f = try ClusterFixture.shared.get()
        let tag = "ce\(getpid())"
        try seed(f, (0..<300).map { Array("\(tag):tmp:\($0)".utf8) })
        let r = try Cachectl.run(["-p", "\(f.ports[0])", "keys", "expire", "\(tag):tmp:*", "--ttl", "1h", "--only-missing",
                                  "--yes", "--json"])
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("\"updated\":300"), r.stdout)
        let audit = try Cachectl.run(["-p", "\(f.ports[1])", "keys", "audit", "\(tag):tmp:*"])
        XCTAssertEqual(audit.exitCode, 0, audit.stdout)
        let again = try Cachectl.run(["-p", "\(f.ports[2])", "keys", "expire", "\(tag):tmp:*", "--ttl", "1h", "--only-missing",
                                      "--yes", "--json"])
        XCTAssertTrue(again.stdout.contains("\"kept\":300"), again.stdout)
        let show = try Cachectl.run(["-p", "\(f.ports[0])", "keys", "show"] + (0..<6).map { "\(tag):tmp:\($0)" })
        XCTAssertEqual(show.exitCode, 0, show.stderr)
        XCTAssertEqual(show.stdout.components(separatedBy: "type      string").count - 1, 6, show.stdout)
    }

    func testListStatsAndInvalidateSpanEveryPrimary() throws {
        let f = try ClusterFixture.shared.get()
        let tag = "ck\(getpid())"
        let matching = (0..<600).map { Array("\(tag):inv:\($0)".utf8) } + [Array("\(tag):inv:sp ace\n\u{1F600}".utf8) + [0xFF]]
        let keep = (0..<200).map { Array("\(tag):keep:\($0)".utf8) }
        try seed(f, matching + keep)

        let list = try Cachectl.run(["-p", "\(f.ports[0])", "keys", "list", "\(tag):inv:*", "-0"])
        XCTAssertEqual(list.exitCode, 0, list.stderr)
        let listed = list.stdoutBytes.split(separator: 0).map { Array($0) }
        XCTAssertEqual(listed.count, matching.count, "each key exactly once")
        XCTAssertEqual(Set(listed), Set(matching))

        let limited = try Cachectl.run(["-p", "\(f.ports[1])", "keys", "list", "\(tag):inv:*", "--limit", "250"])
        XCTAssertEqual(limited.stdout.split(separator: "\n").count, 250)

        let stats = try Cachectl.run(["-p", "\(f.ports[2])", "keys", "stats", "\(tag):*", "--json"])
        XCTAssertEqual(stats.exitCode, 0, stats.stderr)
        XCTAssertTrue(stats.stdout.contains("801") || stats.stdout.contains("\"keys\":601"), stats.stdout)

        let dry = try Cachectl.run(["-p", "\(f.ports[0])", "invalidate", "\(tag):inv:*", "--dry-run", "--json"])
        XCTAssertEqual(dry.exitCode, 0, dry.stderr)
        XCTAssertEqual(try count(f, pattern: "\(tag):inv:*"), matching.count, "a dry run deletes nothing")

        let run = try Cachectl.run(["-p", "\(f.ports[0])", "invalidate", "\(tag):inv:*", "--yes", "--json"])
        XCTAssertEqual(run.exitCode, 0, run.stderr)
        let summary = try XCTUnwrap(try JSONSerialization.jsonObject(with: run.stdoutBytes) as? [String: Any])
        XCTAssertEqual(summary["deleted"] as? Int, matching.count)
        XCTAssertEqual(try count(f, pattern: "\(tag):inv:*"), 0)
        XCTAssertEqual(try count(f, pattern: "\(tag):keep:*"), keep.count, "nothing else is deleted")

        let keys = try Cachectl.run(["-p", "\(f.ports[0])", "invalidate", "--key", "\(tag):keep:1", "--key", "\(tag):keep:2",
                                     "--key", "\(tag):keep:3", "--yes"])
        XCTAssertEqual(keys.exitCode, 0, keys.stderr)
        XCTAssertEqual(try count(f, pattern: "\(tag):keep:*"), keep.count - 3)
        _ = try Cachectl.run(["-p", "\(f.ports[0])", "invalidate", "\(tag):*", "--yes"])
    }

    func testLimitStopsEveryNodeAtExactlyTheLimit() throws {
        let f = try ClusterFixture.shared.get()
        let tag = "cl\(getpid())"
        try seed(f, (0..<900).map { Array("\(tag):lim:\($0)".utf8) })
        let r = try Cachectl.run(["-p", "\(f.ports[0])", "invalidate", "\(tag):lim:*", "--limit", "250", "--batch", "40",
                                  "--count", "50", "--yes", "--json"])
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        let summary = try XCTUnwrap(try JSONSerialization.jsonObject(with: r.stdoutBytes) as? [String: Any])
        XCTAssertEqual(summary["deleted"] as? Int, 250, r.stdout)
        XCTAssertEqual(try count(f, pattern: "\(tag):lim:*"), 650)
        let rest = try Cachectl.run(["-p", "\(f.ports[0])", "invalidate", "\(tag):lim:*", "--yes"])
        XCTAssertEqual(rest.exitCode, 0, rest.stderr)
        XCTAssertEqual(try count(f, pattern: "\(tag):lim:*"), 0, "a rerun finishes the job")
    }

    func testTagInvalidationAcrossSlots() throws {
        let f = try ClusterFixture.shared.get()
        let tag = "ct\(getpid())"
        let members = (0..<50).map { "\(tag):invoice:\($0)" }
        try seed(f, members.map { Array($0.utf8) })
        let setKey = "tag:customer:\(tag)"
        let client = try ClusterClient(seed: try RedisConnection.connect(ConnectionConfig(endpoint: .tcp(host: "127.0.0.1", port: f.ports[0]))))
        try client.command([Array("SADD".utf8), Array(setKey.utf8)] + members.map { Array($0.utf8) }, key: Array(setKey.utf8))
        let r = try Cachectl.run(["-p", "\(f.ports[1])", "invalidate", "--tag", "customer:\(tag)", "--yes"])
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        XCTAssertEqual(try count(f, pattern: "\(tag):*"), 0)
        XCTAssertEqual(try count(f, pattern: setKey), 0, "the set goes last")
    }

    func testLiveSlotMigrationLosesAndAddsNothing() throws {
        let f = try ClusterFixture.start()
        defer { for n in f.nodes { n.stop() } }
        let matching = (0..<12000).map { Array("mig:del:\($0)".utf8) }
        let keep = (0..<3000).map { Array("mig:keep:\($0)".utf8) }
        let client = try ClusterClient(seed: try RedisConnection.connect(ConnectionConfig(endpoint: .tcp(host: "127.0.0.1", port: f.ports[0]))))
        // Pipelined per node would be faster, but plain SETs keep the seeding obviously right.
        for key in matching + keep { try client.command([Array("SET".utf8), key, Array("v".utf8)], key: key) }
        let ids = try f.nodeIDs()
        let group = DispatchGroup()
        nonisolated(unsafe) var reshardOutput = ""
        DispatchQueue.global().async(group: group) {
            usleep(300_000)
            reshardOutput = (try? f.nodes[0].cli(["--cluster", "reshard", "127.0.0.1:\(f.ports[0])",
                                                  "--cluster-from", ids[0], "--cluster-to", ids[1],
                                                  "--cluster-slots", "1500", "--cluster-yes",
                                                  "--cluster-pipeline", "10"])) ?? "failed"
        }
        // Throttled so the run overlaps the migration.
        let r = try Cachectl.run(["-p", "\(f.ports[2])", "invalidate", "mig:del:*", "--yes", "--rate", "8000", "--batch", "100", "--json"],
                                 timeout: 120)
        group.wait()
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        XCTAssertEqual(try count(f, pattern: "mig:del:*"), 0, "every matching key is gone; reshard: \(reshardOutput.suffix(300))")
        XCTAssertEqual(try count(f, pattern: "mig:keep:*"), keep.count, "no other key was deleted")
    }
}
